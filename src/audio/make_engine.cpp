// The one place that knows every engine: configuration settles on one here. Apart from the
// catalogue in tts_engine.cpp, so that reading the settings links no speech library.
#include <fmt/format.h>

#include "audio/tts_engine.h"

namespace hark::audio {

std::unique_ptr<TtsEngine> make_engine(const EngineChoice& choice) {
  auto engine = engine_for_module(choice.module);
  if (engine.empty()) {
    throw TtsError(fmt::format("tts.module: unknown TTS module '{}' (this build has: {})",
                               choice.module, known_modules()));
  }
  try {
    if (engine == "flite") return make_flite_engine(choice.voice);
    return make_espeak_engine(choice.voice);
  } catch (const TtsError& e) {
    throw TtsError(fmt::format("tts.{}.voice: {}", choice.module, e.what()));
  }
}

}  // namespace hark::audio
