#include <fmt/format.h>
#include <speex/speex_resampler.h>

#include <algorithm>

#include "audio/wav.h"
#include "listener/audio_source.h"

namespace hark::listener {
namespace {

class WavSource final : public AudioSource {
 public:
  explicit WavSource(std::vector<std::int16_t> samples) : samples_(std::move(samples)) {}

  bool read(std::span<std::int16_t> block) override {
    if (position_ >= samples_.size()) return false;
    auto n = std::min(block.size(), samples_.size() - position_);
    std::copy_n(samples_.begin() + static_cast<std::ptrdiff_t>(position_), n, block.begin());
    // The last block is padded with silence, so that every block has the same length.
    std::fill(block.begin() + static_cast<std::ptrdiff_t>(n), block.end(), std::int16_t{0});
    position_ += n;
    return true;
  }
  std::string error() const override { return {}; }

 private:
  std::vector<std::int16_t> samples_;
  std::size_t position_ = 0;
};

}  // namespace

std::vector<std::int16_t> resample_to_16k(std::span<const std::int16_t> samples, int rate) {
  if (rate == kSampleRate) return {samples.begin(), samples.end()};
  int error = 0;
  SpeexResamplerState* resampler = speex_resampler_init(
      1, static_cast<spx_uint32_t>(rate), kSampleRate, SPEEX_RESAMPLER_QUALITY_DESKTOP, &error);
  if (!resampler) {
    throw SourceError(
        fmt::format("cannot resample from {} Hz: {}", rate, speex_resampler_strerror(error)));
  }
  // One call for the whole signal; the resampler's latency is flushed with trailing zeros.
  std::vector<std::int16_t> input(samples.begin(), samples.end());
  auto latency = std::max(0, speex_resampler_get_input_latency(resampler));
  input.resize(input.size() + static_cast<std::size_t>(latency));
  std::vector<std::int16_t> output(input.size() * kSampleRate / static_cast<std::size_t>(rate) +
                                   16);
  auto in_len = static_cast<spx_uint32_t>(input.size());
  auto out_len = static_cast<spx_uint32_t>(output.size());
  speex_resampler_process_int(resampler, 0, input.data(), &in_len, output.data(), &out_len);
  auto skip = static_cast<std::size_t>(std::max(0, speex_resampler_get_output_latency(resampler)));
  speex_resampler_destroy(resampler);
  output.resize(out_len);
  output.erase(output.begin(),
               output.begin() + static_cast<std::ptrdiff_t>(std::min(skip, output.size())));
  return output;
}

std::vector<std::int16_t> read_wav_16k(const std::filesystem::path& path) {
  audio::Pcm pcm;
  try {
    pcm = audio::read_wav(path);
  } catch (const audio::WavError& e) {
    throw SourceError(e.what());
  }
  return resample_to_16k(pcm.samples, pcm.sample_rate);
}

std::vector<std::filesystem::path> wav_files(const std::filesystem::path& folder,
                                             std::error_code& error) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    if (entry.path().extension() == ".wav") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::vector<std::int16_t>> read_wav_folder(const std::filesystem::path& folder) {
  std::error_code error;
  auto files = wav_files(folder, error);
  if (error) throw SourceError(fmt::format("{}: {}", folder.string(), error.message()));
  if (files.empty()) throw SourceError(fmt::format("{}: no .wav file", folder.string()));
  std::vector<std::vector<std::int16_t>> recordings;
  for (const auto& file : files) recordings.push_back(read_wav_16k(file));
  return recordings;
}

std::unique_ptr<AudioSource> make_wav_source(const std::filesystem::path& path) {
  return std::make_unique<WavSource>(read_wav_16k(path));
}

}  // namespace hark::listener
