// Where synthesized speech goes: a PulseAudio stream, or WAV files (tests, headless boxes).
// The speaker drives a sink from its playback thread only.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>

namespace hark::audio {

class AudioSink {
 public:
  virtual ~AudioSink() = default;
  // Starts output at `sample_rate`. False when the output cannot be opened; the sink says why
  // in the log (once, not on every answer).
  virtual bool open(int sample_rate) = 0;
  // Blocks until the output has taken the samples. Callers pass small pieces, so that they can
  // stop between two of them.
  virtual void write(std::span<const std::int16_t> samples) = 0;
  // Returns once everything written has been heard, then closes.
  virtual void drain_and_close() = 0;
  // Drops what has not been heard yet, at once, then closes.
  virtual void discard_and_close() = 0;
};

struct PulseOptions {
  std::string server{};  // empty: PULSE_SERVER or libpulse's default
  std::string device{};  // sink name; empty: the server's default sink
  // How much audio may wait in the server. Small, so that a stop is heard at once.
  int latency_ms = 40;
  std::string stream_name = "hark speech";
};

// A playback stream per answer on a PulseAudio server (libpulse-simple).
std::unique_ptr<AudioSink> make_pulse_sink(PulseOptions options);

// One WAV file per answer in `dir`: <milliseconds since the epoch>-<n>.wav, written as fast as
// the disk takes it.
std::unique_ptr<AudioSink> make_wav_sink(std::filesystem::path dir);

}  // namespace hark::audio
