// hark phal | phal-admin
#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "cli/service_module.h"
#include "phal_admin/service.h"

namespace hark::cli {

void add_phal_commands(CLI::App& app, Command& selected) {
  when_chosen(*app.add_subcommand(
                  "phal", "Run PHAL: volume (PulseAudio), system information, connectivity"),
              selected,
              [](const Globals& globals) { return run_service_module("phal", globals.sources); });
  when_chosen(
      *app.add_subcommand("phal-admin",
                          "Run PHAL's privileged half: reboot, shutdown, ssh, clock sync, "
                          "each only when PHAL.admin.ovos-PHAL-plugin-system.allow lists it"),
      selected, [](const Globals& globals) { return phal_admin::run(globals.sources); });
}

}  // namespace hark::cli
