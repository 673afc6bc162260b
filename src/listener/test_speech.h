// Speech for the listener's tests, synthesized by espeak-ng at test time and resampled to the
// listener's 16 kHz.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "audio/tts_engine.h"
#include "listener/audio_source.h"

namespace hark::listener::testing {

inline std::vector<std::int16_t> heard(const audio::Pcm& pcm) {
  return resample_to_16k(pcm.samples, pcm.sample_rate);
}

inline std::vector<std::int16_t> speech(std::string_view text, const char* voice = "en-us") {
  return heard(audio::make_espeak_engine(voice)->synthesize(text));
}

// flite's voices (slt, rms, awb, kal16): another synthesizer than espeak-ng's, nearer to a person.
inline std::vector<std::int16_t> flite_speech(std::string_view text, const char* voice) {
  return heard(audio::make_flite_engine(voice)->synthesize(text));
}

inline std::vector<std::int16_t> silence(double seconds) {
  return std::vector<std::int16_t>(static_cast<std::size_t>(seconds * kSampleRate), 0);
}

// A quiet room: white noise about 60 dB below full scale (an RMS of 30), reproducibly.
inline std::vector<std::int16_t> quiet_room(double seconds, unsigned seed) {
  std::mt19937 random(seed);
  std::normal_distribution<double> level(0, 30);
  std::vector<std::int16_t> room(static_cast<std::size_t>(seconds * kSampleRate));
  for (auto& sample : room) sample = static_cast<std::int16_t>(level(random));
  return room;
}

inline std::vector<std::int16_t> join(std::initializer_list<std::vector<std::int16_t>> parts) {
  std::vector<std::int16_t> all;
  for (const auto& part : parts) all.insert(all.end(), part.begin(), part.end());
  return all;
}

}  // namespace hark::listener::testing
