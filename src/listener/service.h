// `hark listener`: the OVOS listener service (protocols.md 2.11). Records the microphone
// (PulseAudio) or a WAV file, spots the wake word, records the command until the speaker stops,
// transcribes it with the grammar of the intents the core has loaded and emits
// recognizer_loop:wakeword, record_begin, record_end and utterance. Obeys mycroft.mic.mute,
// unmute, mute.toggle, get_status, mycroft.mic.listen and recognizer_loop:record_stop; answers
// mycroft.voice.is_alive / is_ready.
#pragma once

#include <filesystem>
#include <optional>

#include "config/config.h"

namespace hark::listener {

struct RunOptions {
  // Listen to this file instead of the microphone, then exit once it is transcribed.
  std::optional<std::filesystem::path> input;
};

// Runs until SIGTERM or SIGINT (or the end of `input`); returns the process exit code.
int run(const config::Sources& sources, const RunOptions& options);

}  // namespace hark::listener
