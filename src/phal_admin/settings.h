// The mycroft.conf keys `hark phal-admin` reads: PHAL.admin.ovos-PHAL-plugin-system (the name
// OVOS gives the system plugin's admin settings) plus log_level.
//
//   "PHAL": {"admin": {"ovos-PHAL-plugin-system": {
//     "allow": ["reboot", "ssh.status"],                  // default: nothing
//     "commands": {"reboot": ["systemctl", "reboot", "-i"]},
//     "command_prefix": [], "timeout": 60
//   }}}
#pragma once

#include <chrono>
#include <map>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "config/settings.h"

namespace hark::phal_admin {

std::span<const config::Setting> settings();
// The table's checks, plus: allow names known actions, commands are argument lists.
std::vector<std::string> validate(const Json& config);

struct AdminSettings {
  std::set<std::string> allowed;
  std::map<std::string, std::vector<std::string>> commands;  // action name -> argv
  std::vector<std::string> command_prefix;                   // put before every command
  std::chrono::milliseconds timeout;
  std::string log_level;

  // From a validated configuration.
  static AdminSettings from(const Json& config);
  // The argv the action runs (prefix included); empty when the table has none for it.
  std::vector<std::string> command_of(const std::string& action) const;
};

}  // namespace hark::phal_admin
