// `hark phal-admin`: the privileged half of PHAL, as OVOS's PHAL admin runs the system plugin as
// root (protocols.md 2.12): system.reboot, system.shutdown, system.ssh.enable/disable/status,
// system.ntp.sync, system.mycroft.service.restart. The only Hark service that may run as root,
// so it does nothing it is not told to: each action runs only when it is in
// PHAL.admin.ovos-PHAL-plugin-system.allow (default: none). A refused or failed action is
// answered with `<request>.failed {action, error}` and logged; commands run without a shell,
// one at a time, with a timeout, their output logged. Only requests of the device's own session
// are served: a HiveMind satellite does not reboot the device. Readiness as OVOS's
// "PHAL.admin" (mycroft.PHAL.admin.is_ready).
#pragma once

#include "config/config.h"

namespace hark::phal_admin {

// Runs until SIGTERM or SIGINT; returns the exit code.
int run(const config::Sources& sources);

}  // namespace hark::phal_admin
