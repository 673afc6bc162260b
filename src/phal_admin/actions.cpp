#include "phal_admin/actions.h"

namespace hark::phal_admin {
namespace {

constexpr SystemAction kActions[] = {
    {"reboot", "system.reboot", "system.reboot.start", ""},
    {"shutdown", "system.shutdown", "system.shutdown.start", ""},
    {"ssh.enable", "system.ssh.enable", "", "system.ssh.enabled"},
    {"ssh.disable", "system.ssh.disable", "", "system.ssh.disabled"},
    {"ssh.status", "system.ssh.status", "", "", true},
    // ovos-utils' ntp_sync; system.clock.synced is what the date and time skill listens for.
    {"clock.sync", "system.ntp.sync", "", "system.clock.synced"},
    {"service.restart", "system.mycroft.service.restart", "system.mycroft.service.restart.start",
     ""},
};

}  // namespace

std::span<const SystemAction> system_actions() {
  return kActions;
}

std::optional<SystemAction> find_action(std::string_view name) {
  for (const auto& action : kActions) {
    if (action.name == name) return action;
  }
  return std::nullopt;
}

}  // namespace hark::phal_admin
