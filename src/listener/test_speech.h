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

// Everyday sentences that say every English phone, read once to enrol a voice (none of them a
// command): the speaker adaptation's tests and voice_bench's --adapt-on enrollment.
inline const std::vector<std::string> kEnrollment = {
    "the quick brown fox jumps over the lazy dog",
    "she sells sea shells by the sea shore",
    "we should buy fresh bread and cheese for the weekend",
    "my brother drove the red truck to the village",
    "a large yellow boat floated down the quiet river",
    "please bring your jacket because it will be cold outside",
    "the children played with a ball in the garden",
    "our neighbour grows tomatoes peppers and beans",
    "this book was written by a famous author",
    "they watched the sunset from the top of the hill",
    "the kitchen smells of coffee and warm toast",
    "he measured the length of the wooden board",
    "good morning how was your journey",
    "the shop on the corner opens at nine",
    "a thousand birds flew over the frozen lake",
    "the judge gave the young man a fair choice",
    "we enjoyed a pleasant evening with our friends",
    "thank you for the lovely gift",
    "the doctor checked her throat and her ears",
};

inline std::vector<std::int16_t> join(std::initializer_list<std::vector<std::int16_t>> parts) {
  std::vector<std::int16_t> all;
  for (const auto& part : parts) all.insert(all.end(), part.begin(), part.end());
  return all;
}

}  // namespace hark::listener::testing
