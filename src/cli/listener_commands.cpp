// hark listener
#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "cli/service_module.h"

namespace hark::cli {

void add_listener_commands(CLI::App& app, Command& selected) {
  auto* command = app.add_subcommand(
      "listener", "Run the listener: microphone, wake word, speech to text (PulseAudio)");
  auto input = std::make_shared<std::string>();
  command->add_option("--input", *input,
                      "transcribe this WAV file instead of the microphone, then exit");
  when_chosen(*command, selected, [input](const Globals& globals) {
    ServiceOptions options;
    if (!input->empty()) options["input"] = *input;
    return run_service_module("listener", globals.sources, options);
  });
}

}  // namespace hark::cli
