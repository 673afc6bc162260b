#include <fmt/format.h>
#include <pulse/error.h>
#include <pulse/simple.h>

#include "listener/audio_source.h"

namespace hark::listener {
namespace {

class PulseSource final : public AudioSource {
 public:
  explicit PulseSource(const PulseSourceOptions& options) {
    pa_sample_spec spec{PA_SAMPLE_S16LE, kSampleRate, 1};
    pa_buffer_attr attr{};
    attr.maxlength = static_cast<std::uint32_t>(-1);
    attr.fragsize = static_cast<std::uint32_t>(
        pa_usec_to_bytes(static_cast<pa_usec_t>(options.fragment_ms) * 1000, &spec));
    int error = 0;
    stream_ =
        pa_simple_new(options.server.empty() ? nullptr : options.server.c_str(), "hark",
                      PA_STREAM_RECORD, options.device.empty() ? nullptr : options.device.c_str(),
                      "hark listener", &spec, nullptr, &attr, &error);
    if (!stream_) {
      const char* env = std::getenv("PULSE_SERVER");
      throw SourceError(
          fmt::format("cannot record from PulseAudio at {}, source {}: {}",
                      !options.server.empty() ? options.server : (env ? env : "the default server"),
                      options.device.empty() ? "(default)" : options.device, pa_strerror(error)));
    }
  }
  ~PulseSource() override { pa_simple_free(stream_); }

  bool read(std::span<std::int16_t> block) override {
    int error = 0;
    if (pa_simple_read(stream_, block.data(), block.size_bytes(), &error) < 0) {
      error_ = fmt::format("PulseAudio recording failed: {}", pa_strerror(error));
      return false;
    }
    return true;
  }
  std::string error() const override { return error_; }

 private:
  pa_simple* stream_ = nullptr;
  std::string error_;
};

}  // namespace

std::unique_ptr<AudioSource> make_pulse_source(const PulseSourceOptions& options) {
  return std::make_unique<PulseSource>(options);
}

}  // namespace hark::listener
