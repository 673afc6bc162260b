// The services whose engines need large libraries (speech, sound, time zones) are built as
// modules, loaded only by the process that runs them: `hark bus` or `hark send` then never map
// espeak-ng, flite or libpulse, and start in a few milliseconds with a few megabytes.
#pragma once

#include <filesystem>
#include <string_view>

#include "config/config.h"

// Defines the one symbol a service module exports, hark_run_service, as a call of `run`; one use
// in each module's module.cpp. Exceptions it throws reach the CLI as those of a service linked in
// would (both sides share libstdc++).
#define HARK_SERVICE_MODULE(run)                                          \
  extern "C" __attribute__((visibility("default"))) int hark_run_service( \
      const hark::config::Sources& sources) {                             \
    return run(sources);                                                  \
  }

namespace hark::cli {

// $HARK_MODULE_DIR, else lib/hark beside the executable's bin/ (the build tree has the same
// shape: build/src/hark and build/lib/hark).
std::filesystem::path service_module_dir();

// Loads hark-<name>.so and runs its service; a module that is missing or broken is a Failure
// naming the file and the loader's reason.
int run_service_module(std::string_view name, const config::Sources& sources);

}  // namespace hark::cli
