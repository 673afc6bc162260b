// The privileged actions `hark phal-admin` knows, as ovos-PHAL-plugin-system answers them
// (protocols.md 2.12). Each is a name (its key in the allow list and in the command table of
// PHAL.admin.ovos-PHAL-plugin-system) and the messages around it; what it runs is configuration.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace hark::phal_admin {

struct SystemAction {
  std::string_view name;     // "reboot"
  std::string_view request;  // the message asking for it: "system.reboot"
  // Forwarded before the command runs, so that a GUI can say "Rebooting" (empty: none).
  std::string_view starting;
  // Forwarded once the command succeeded (empty: none).
  std::string_view done;
  // The command's exit status is the answer, not a failure: `<request>.response {enabled}`,
  // true when it exits 0 (systemctl is-active).
  bool reports_enabled = false;
};

std::span<const SystemAction> system_actions();
std::optional<SystemAction> find_action(std::string_view name);

}  // namespace hark::phal_admin
