// WAV files through libsndfile: 16-bit mono PCM written, anything libsndfile reads accepted.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <stdexcept>
#include <string>

#include "audio/tts_engine.h"

struct sf_private_tag;  // libsndfile's SNDFILE

namespace hark::audio {

// "path: what is wrong", for files that are missing, not audio, or not mono.
class WavError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reads a mono file of any sample format libsndfile knows, converted to 16-bit; throws WavError.
Pcm read_wav(const std::filesystem::path& path);

// Writes 16-bit mono WAV; throws WavError.
void write_wav(const std::filesystem::path& path, const Pcm& pcm);

// Writes a WAV file piece by piece, as an answer is played into it.
class WavWriter {
 public:
  WavWriter(const std::filesystem::path& path, int sample_rate);  // throws WavError
  ~WavWriter();
  WavWriter(const WavWriter&) = delete;
  WavWriter& operator=(const WavWriter&) = delete;

  void write(std::span<const std::int16_t> samples);  // throws WavError
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  ::sf_private_tag* file_ = nullptr;
};

}  // namespace hark::audio
