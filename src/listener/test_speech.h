// Speech for the listener's tests, synthesized by espeak-ng at test time and resampled to the
// listener's 16 kHz.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "audio/tts_engine.h"
#include "listener/audio_source.h"

namespace hark::listener::testing {

inline std::vector<std::int16_t> speech(std::string_view text, const char* voice = "en-us") {
  auto pcm = audio::make_espeak_engine(voice)->synthesize(text);
  return resample_to_16k(pcm.samples, pcm.sample_rate);
}

inline std::vector<std::int16_t> silence(double seconds) {
  return std::vector<std::int16_t>(static_cast<std::size_t>(seconds * kSampleRate), 0);
}

inline std::vector<std::int16_t> join(std::initializer_list<std::vector<std::int16_t>> parts) {
  std::vector<std::int16_t> all;
  for (const auto& part : parts) all.insert(all.end(), part.begin(), part.end());
  return all;
}

}  // namespace hark::listener::testing
