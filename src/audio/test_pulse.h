// Test support for a real PulseAudio server (hark::testing::PulseServer): records a source into
// memory, plays audio into a sink. Both ask for small fragments: the null sink's default latency
// of 2 s would deliver (and hold) audio in 2 s lumps (shared/machine-notes.md 2).
//
//   hark::audio::testing::Recorder speaker(pulse.server(), "spk.monitor");
//   hark::audio::testing::play(pulse.server(), "mic", samples_16k);   // returns once played
//   auto [first, last] = sound_span(speaker.samples());
#pragma once

#include <pulse/error.h>
#include <pulse/simple.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "audio/test_audio.h"
#include "client/testing.h"

namespace hark::audio::testing {

inline constexpr int kRecordRate = 16000;
// Above the null sink's rounding noise, far below speech.
inline constexpr int kSilence = 300;

// Records a PulseAudio source into memory on its own thread, in 10 ms reads, so that the number
// of samples recorded tells the time; each read's arrival is also stamped on the steady clock, so
// that when a sample was heard can be compared with when a bus message arrived (voice_latency).
class Recorder {
 public:
  Recorder(const std::string& server, const std::string& source) {
    pa_sample_spec spec{PA_SAMPLE_S16LE, kRecordRate, 1};
    pa_buffer_attr attr{};
    attr.maxlength = static_cast<std::uint32_t>(-1);
    attr.fragsize = static_cast<std::uint32_t>(pa_usec_to_bytes(10'000, &spec));
    int error = 0;
    stream_ = pa_simple_new(server.c_str(), "hark-test", PA_STREAM_RECORD, source.c_str(),
                            "monitor", &spec, nullptr, &attr, &error);
    if (!stream_) throw std::runtime_error(std::string("record: ") + pa_strerror(error));
    thread_ = std::thread([this] {
      std::vector<std::int16_t> block(kReadSamples);
      int read_error = 0;
      while (!done_ && pa_simple_read(stream_, block.data(), block.size() * 2, &read_error) == 0) {
        auto arrived = std::chrono::steady_clock::now();
        std::lock_guard hold(mutex_);
        samples_.insert(samples_.end(), block.begin(), block.end());
        arrivals_.push_back(arrived);
      }
    });
  }
  ~Recorder() {
    done_ = true;
    thread_.join();
    pa_simple_free(stream_);
  }
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  std::size_t count() {
    std::lock_guard hold(mutex_);
    return samples_.size();
  }
  std::vector<std::int16_t> samples() {
    std::lock_guard hold(mutex_);
    return samples_;
  }
  // Waits until `seconds` more audio than now has been recorded.
  bool record_for(double seconds) {
    auto until = count() + static_cast<std::size_t>(seconds * kRecordRate);
    return hark::testing::eventually([&] { return count() >= until; }, std::chrono::seconds(10));
  }
  bool heard_sound() {
    auto all = samples();
    return peak(all) > kSilence;
  }
  // When sample `index` (of samples()) reached this process: its read's arrival, less the
  // samples that came after it in that read.
  std::chrono::steady_clock::time_point time_of(std::size_t index) {
    std::lock_guard hold(mutex_);
    std::size_t read = index / kReadSamples;
    auto later = static_cast<double>((read + 1) * kReadSamples - index);
    return arrivals_.at(read) - std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                    std::chrono::duration<double>(later / kRecordRate));
  }

 private:
  static constexpr std::size_t kReadSamples = kRecordRate / 100;

  pa_simple* stream_ = nullptr;
  std::atomic<bool> done_ = false;
  std::mutex mutex_;
  std::vector<std::int16_t> samples_;
  std::vector<std::chrono::steady_clock::time_point> arrivals_;  // one per read
  std::thread thread_;
};

// Index of the first and one past the last sample louder than silence; {0, 0} when none is.
inline std::pair<std::size_t, std::size_t> sound_span(const std::vector<std::int16_t>& samples) {
  auto loud = [](std::int16_t s) { return std::abs(static_cast<int>(s)) > kSilence; };
  auto first = std::find_if(samples.begin(), samples.end(), loud);
  if (first == samples.end()) return {0, 0};
  auto last = std::find_if(samples.rbegin(), samples.rend(), loud);
  return {static_cast<std::size_t>(first - samples.begin()),
          static_cast<std::size_t>(samples.rend() - last)};
}

// Plays 16 kHz mono audio into `sink` and returns once the sink has played it.
inline void play(const std::string& server, const std::string& sink,
                 const std::vector<std::int16_t>& samples) {
  pa_sample_spec spec{PA_SAMPLE_S16LE, kRecordRate, 1};
  pa_buffer_attr attr{};
  attr.maxlength = static_cast<std::uint32_t>(-1);
  attr.tlength = static_cast<std::uint32_t>(pa_usec_to_bytes(50'000, &spec));
  attr.prebuf = static_cast<std::uint32_t>(-1);
  attr.minreq = static_cast<std::uint32_t>(-1);
  int error = 0;
  pa_simple* stream = pa_simple_new(server.c_str(), "hark-test", PA_STREAM_PLAYBACK, sink.c_str(),
                                    "speech", &spec, nullptr, &attr, &error);
  if (!stream) throw std::runtime_error(std::string("play: ") + pa_strerror(error));
  bool played =
      pa_simple_write(stream, samples.data(), samples.size() * sizeof(std::int16_t), &error) == 0 &&
      pa_simple_drain(stream, &error) == 0;
  pa_simple_free(stream);
  if (!played) throw std::runtime_error(std::string("play: ") + pa_strerror(error));
}

}  // namespace hark::audio::testing
