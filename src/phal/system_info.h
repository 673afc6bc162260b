// What `hark.system.info` answers: host, OS, uptime, load and memory, read from uname(2) and
// /proc. Knows nothing of the bus.
#pragma once

#include "core/json.h"

namespace hark::phal {

// {hostname, os, kernel, machine, cpus, uptime_seconds, load: [1, 5, 15 min],
//  memory_mb: {total, available}, hark_version}; a field that cannot be read is null.
Json system_info();

}  // namespace hark::phal
