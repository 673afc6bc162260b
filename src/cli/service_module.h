// The services with large libraries (core, audio, listener, phal) are modules
// (src/core/module.h): each exports one entry, hark_run_service, that the CLI calls with the
// configuration sources and the subcommand's own options.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "config/config.h"

namespace hark::cli {

// The subcommand's own options, by name ("input" -> "a.wav" for `hark listener --input a.wav`).
using ServiceOptions = std::map<std::string, std::string>;

// Loads hark-<name>.so and runs its service; a missing or broken module is a Failure naming
// the file and the loader's reason.
int run_service_module(std::string_view name, const config::Sources& sources,
                       const ServiceOptions& options = {});

}  // namespace hark::cli

// The entry every service module exports, followed by its body. Exceptions it throws reach the
// CLI as those of a service linked in would (both sides share libstdc++).
#define HARK_SERVICE_ENTRY                                                \
  extern "C" __attribute__((visibility("default"))) int hark_run_service( \
      const hark::config::Sources& sources, const hark::cli::ServiceOptions& options)

// The entry of a service without options: a call of `run(sources)`.
#define HARK_SERVICE_MODULE(run) \
  HARK_SERVICE_ENTRY {           \
    static_cast<void>(options);  \
    return run(sources);         \
  }
