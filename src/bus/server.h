// `hark bus`: the OVOS message bus (ws://127.0.0.1:8181/core by default).
#pragma once

#include "config/config.h"

namespace hark::bus {

// Runs the bus until SIGTERM or SIGINT; returns the process exit code.
int run(const config::Sources& sources);

}  // namespace hark::bus
