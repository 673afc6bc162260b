// The mycroft.conf keys `hark up` reads (the `hark.up` section plus log_level), and the services
// it runs, resolved from them.
//
//   "hark": {"up": {
//     "services": ["bus", "core", "audio", "listener", "phal", "mine"],
//     "commands": {"mine": {"command": ["/usr/bin/my-skill"], "ready": "started"}},
//     "log_levels": {"bus": "WARNING"}
//   }}
#pragma once

#include <chrono>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/settings.h"
#include "supervisor/restart_policy.h"

namespace hark::supervisor {

std::span<const config::Setting> settings();
// The table's checks plus the shape of hark.up.services, commands and log_levels.
std::vector<std::string> validate(const Json& config);

// How the supervisor knows a service is ready for the next one to start.
enum class Readiness {
  BusAccepts,  // the bus: it accepts a WebSocket connection
  Status,      // it answers mycroft.<status_name>.is_ready with true (client::ProcessStatus)
  Started,     // a command of the user's that says nothing on the bus: as soon as it runs
};

struct ServiceSpec {
  std::string name;
  // Empty: `hark <name>`, this binary's own subcommand.
  std::vector<std::string> command;
  Readiness readiness = Readiness::Started;
  std::string status_name;  // with Readiness::Status
  std::string log_level;    // given to a hark subcommand as --log-level; empty = log_level
};

struct UpSettings {
  std::vector<ServiceSpec> services;
  RestartLimits restart;
  std::chrono::milliseconds ready_timeout;
  std::chrono::milliseconds stop_timeout;
  bool provisioning;
  std::string log_level;

  // Resolves hark.up.services from a validated configuration. A built-in service this binary has
  // no subcommand for (`has_subcommand` says) is left out, with a line in `notes`.
  static UpSettings from(const Json& config,
                         const std::function<bool(std::string_view)>& has_subcommand,
                         std::vector<std::string>* notes);
};

}  // namespace hark::supervisor
