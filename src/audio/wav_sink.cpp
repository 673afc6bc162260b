#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <optional>

#include "audio/sink.h"
#include "audio/wav.h"

namespace hark::audio {
namespace {

class WavSink final : public AudioSink {
 public:
  explicit WavSink(std::filesystem::path dir) : dir_(std::move(dir)) {}

  bool open(int sample_rate) override {
    writer_.reset();
    auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch());
    auto path = dir_ / fmt::format("{}-{}.wav", now.count(), ++count_);
    try {
      std::filesystem::create_directories(dir_);
      writer_.emplace(path, sample_rate);
      return true;
    } catch (const std::exception& e) {
      spdlog::error("cannot write speech to {}: {}", dir_.string(), e.what());
      return false;
    }
  }

  void write(std::span<const std::int16_t> samples) override {
    if (!writer_) return;
    try {
      writer_->write(samples);
    } catch (const WavError& e) {
      spdlog::error("{}", e.what());
      writer_.reset();
    }
  }

  void drain_and_close() override { close(); }
  void discard_and_close() override { close(); }

 private:
  void close() {
    if (writer_) spdlog::info("wrote {}", writer_->path().string());
    writer_.reset();
  }

  std::filesystem::path dir_;
  std::optional<WavWriter> writer_;
  unsigned count_ = 0;
};

}  // namespace

std::unique_ptr<AudioSink> make_wav_sink(std::filesystem::path dir) {
  return std::make_unique<WavSink>(std::move(dir));
}

}  // namespace hark::audio
