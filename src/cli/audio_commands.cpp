// hark audio
#include <CLI/CLI.hpp>

#include "audio/service.h"
#include "cli/command.h"

namespace hark::cli {

void add_audio_commands(CLI::App& app, Command& selected) {
  when_chosen(
      *app.add_subcommand("audio", "Run the audio service: speak answers (TTS) on PulseAudio"),
      selected, [](const Globals& globals) { return audio::run(globals.sources); });
}

}  // namespace hark::cli
