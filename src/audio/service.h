// `hark audio`: the OVOS audio service. Voices `speak` messages of the default session through
// the configured TTS engine, plays them on PulseAudio (or into WAV files) and answers the
// speech messages of protocols.md 2.10: audio_output_start/_end, mycroft.audio.speech.stop,
// mycroft.stop, mycroft.audio.speak.status, mycroft.mic.listen after an expect_response answer.
#pragma once

#include "config/config.h"

namespace hark::audio {

// Runs until SIGTERM or SIGINT; returns the process exit code.
int run(const config::Sources& sources);

}  // namespace hark::audio
