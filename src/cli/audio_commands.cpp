// hark audio
#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "cli/service_module.h"

namespace hark::cli {

void add_audio_commands(CLI::App& app, Command& selected) {
  when_chosen(
      *app.add_subcommand("audio", "Run the audio service: speak answers (TTS) on PulseAudio"),
      selected,
      [](const Globals& globals) { return run_service_module("audio", globals.sources); });
}

}  // namespace hark::cli
