// hark phal
#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "cli/service_module.h"

namespace hark::cli {

void add_phal_commands(CLI::App& app, Command& selected) {
  when_chosen(*app.add_subcommand("phal", "Run PHAL: volume (PulseAudio) and system information"),
              selected,
              [](const Globals& globals) { return run_service_module("phal", globals.sources); });
}

}  // namespace hark::cli
