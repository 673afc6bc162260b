// Speech for the listener's tests, synthesized by espeak-ng at test time and resampled to the
// listener's 16 kHz.
#pragma once

#include <fmt/format.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <span>
#include <stdexcept>
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

// The same voice saying it another time: faster or slower and higher or lower, as a person never
// says a phrase twice alike (synthesizers do). sox's WSOLA `tempo` and `pitch`; throws when sox
// is missing or fails.
inline std::vector<std::int16_t> said_another_time(std::span<const std::int16_t> audio,
                                                   double tempo, double cents) {
  namespace fs = std::filesystem;
  struct Scratch {
    fs::path dir = fs::temp_directory_path() / fmt::format("hark-said-again.{}", ::getpid());
    Scratch() { fs::create_directories(dir); }
    ~Scratch() {
      std::error_code ignored;
      fs::remove_all(dir, ignored);
    }
  };
  static const Scratch scratch;
  auto in = scratch.dir / "in.raw", out = scratch.dir / "out.raw";
  {
    std::ofstream file(in, std::ios::binary);
    file.write(reinterpret_cast<const char*>(audio.data()),
               static_cast<std::streamsize>(audio.size() * sizeof(std::int16_t)));
  }
  constexpr auto kRaw = "-t raw -r 16000 -e signed-integer -b 16 -c 1";
  auto command = fmt::format("sox -q {} '{}' {} '{}' tempo -s {:.3f} pitch {:.0f}", kRaw,
                             in.string(), kRaw, out.string(), tempo, cents);
  if (std::system(command.c_str()) != 0)
    throw std::runtime_error("'" + command + "' failed (apt-get install sox)");
  std::ifstream file(out, std::ios::binary | std::ios::ate);
  std::vector<std::int16_t> changed(static_cast<std::size_t>(file.tellg()) / sizeof(std::int16_t));
  file.seekg(0);
  file.read(reinterpret_cast<char*>(changed.data()),
            static_cast<std::streamsize>(changed.size() * sizeof(std::int16_t)));
  return changed;
}

inline std::vector<std::int16_t> join(std::initializer_list<std::vector<std::int16_t>> parts) {
  std::vector<std::int16_t> all;
  for (const auto& part : parts) all.insert(all.end(), part.begin(), part.end());
  return all;
}

}  // namespace hark::listener::testing
