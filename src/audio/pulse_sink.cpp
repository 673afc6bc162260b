#include <pulse/error.h>
#include <pulse/simple.h>
#include <spdlog/spdlog.h>

#include <cstdlib>

#include "audio/sink.h"

namespace hark::audio {
namespace {

class PulseSink final : public AudioSink {
 public:
  explicit PulseSink(PulseOptions options) : options_(std::move(options)) {}
  ~PulseSink() override { close(); }

  bool open(int sample_rate) override {
    close();
    pa_sample_spec spec{};
    spec.format = PA_SAMPLE_S16LE;
    spec.rate = static_cast<std::uint32_t>(sample_rate);
    spec.channels = 1;
    // A small target length: the null sink otherwise buffers 2 s (machine-notes 2), and a stop
    // could not be heard before that had played.
    auto bytes = static_cast<std::uint32_t>(
        pa_usec_to_bytes(static_cast<pa_usec_t>(options_.latency_ms) * 1000, &spec));
    pa_buffer_attr attr{};
    attr.maxlength = static_cast<std::uint32_t>(-1);
    attr.tlength = bytes;
    attr.prebuf = static_cast<std::uint32_t>(-1);
    attr.minreq = static_cast<std::uint32_t>(-1);
    attr.fragsize = static_cast<std::uint32_t>(-1);
    int error = 0;
    stream_ = pa_simple_new(options_.server.empty() ? nullptr : options_.server.c_str(), "hark",
                            PA_STREAM_PLAYBACK,
                            options_.device.empty() ? nullptr : options_.device.c_str(),
                            options_.stream_name.c_str(), &spec, nullptr, &attr, &error);
    if (!stream_) {
      if (!unreachable_reported_) {
        spdlog::error(
            "cannot play speech: PulseAudio at {} refused a playback stream: {}. Answers are "
            "still handled (audio_output_start/_end are sent) but not heard; set "
            "audio.output to \"wav:<folder>\" to write them to files instead. Said once; "
            "retried on every answer.",
            where(), pa_strerror(error));
        unreachable_reported_ = true;
      }
      return false;
    }
    if (unreachable_reported_) {
      spdlog::info("PulseAudio at {} plays speech again", where());
      unreachable_reported_ = false;
    }
    return true;
  }

  void write(std::span<const std::int16_t> samples) override {
    if (!stream_) return;
    int error = 0;
    if (pa_simple_write(stream_, samples.data(), samples.size_bytes(), &error) < 0) {
      spdlog::warn("PulseAudio playback failed: {}", pa_strerror(error));
      close();
    }
  }

  void drain_and_close() override {
    int error = 0;
    if (stream_ && pa_simple_drain(stream_, &error) < 0) {
      spdlog::warn("PulseAudio drain failed: {}", pa_strerror(error));
    }
    close();
  }

  void discard_and_close() override {
    int error = 0;
    if (stream_) pa_simple_flush(stream_, &error);
    close();
  }

 private:
  void close() {
    if (stream_) pa_simple_free(stream_);
    stream_ = nullptr;
  }

  std::string where() const {
    if (!options_.server.empty()) return options_.server;
    const char* env = std::getenv("PULSE_SERVER");
    return env && *env ? std::string("PULSE_SERVER=") + env : std::string("the default server");
  }

  PulseOptions options_;
  pa_simple* stream_ = nullptr;
  bool unreachable_reported_ = false;
};

}  // namespace

std::unique_ptr<AudioSink> make_pulse_sink(PulseOptions options) {
  return std::make_unique<PulseSink>(std::move(options));
}

}  // namespace hark::audio
