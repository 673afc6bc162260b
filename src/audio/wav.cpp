#include "audio/wav.h"

#include <fmt/format.h>
#include <sndfile.h>

namespace hark::audio {
namespace {

[[noreturn]] void fail(const std::filesystem::path& path, SNDFILE* file, std::string_view doing) {
  throw WavError(fmt::format("{}: {}: {}", path.string(), doing, sf_strerror(file)));
}

}  // namespace

Pcm read_wav(const std::filesystem::path& path) {
  SF_INFO info{};
  SNDFILE* file = sf_open(path.c_str(), SFM_READ, &info);
  if (!file) fail(path, nullptr, "cannot read it as audio");
  Pcm pcm;
  try {
    if (info.channels != 1) {
      throw WavError(
          fmt::format("{}: has {} channels, expected mono", path.string(), info.channels));
    }
    if (info.samplerate <= 0 || info.frames <= 0) {
      throw WavError(fmt::format("{}: holds no audio", path.string()));
    }
    pcm.sample_rate = info.samplerate;
    pcm.samples.resize(static_cast<std::size_t>(info.frames));
    sf_count_t read = sf_read_short(file, pcm.samples.data(), info.frames);
    if (read != info.frames) {
      throw WavError(
          fmt::format("{}: truncated: {} of {} samples", path.string(), read, info.frames));
    }
  } catch (...) {
    sf_close(file);
    throw;
  }
  sf_close(file);
  return pcm;
}

void write_wav(const std::filesystem::path& path, const Pcm& pcm) {
  WavWriter(path, pcm.sample_rate).write(pcm.samples);
}

WavWriter::WavWriter(const std::filesystem::path& path, int sample_rate) : path_(path) {
  SF_INFO info{};
  info.samplerate = sample_rate;
  info.channels = 1;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  file_ = sf_open(path.c_str(), SFM_WRITE, &info);
  if (!file_) fail(path, nullptr, "cannot write a WAV file there");
}

WavWriter::~WavWriter() {
  sf_close(file_);
}

void WavWriter::write(std::span<const std::int16_t> samples) {
  auto count = static_cast<sf_count_t>(samples.size());
  if (sf_write_short(file_, samples.data(), count) != count) fail(path_, file_, "write failed");
}

}  // namespace hark::audio
