// The services with large libraries (core, audio, phal) are modules (src/core/module.h): each
// exports one entry, hark_run_service, that the CLI calls with the configuration sources.
#pragma once

#include <string_view>

#include "config/config.h"

// Defines the module's entry as a call of `run`; one use in each service's module.cpp.
// Exceptions it throws reach the CLI as those of a service linked in would (both sides share
// libstdc++).
#define HARK_SERVICE_MODULE(run)                                          \
  extern "C" __attribute__((visibility("default"))) int hark_run_service( \
      const hark::config::Sources& sources) {                             \
    return run(sources);                                                  \
  }

namespace hark::cli {

// Loads hark-<name>.so and runs its service; a missing or broken module is a Failure naming
// the file and the loader's reason.
int run_service_module(std::string_view name, const config::Sources& sources);

}  // namespace hark::cli
