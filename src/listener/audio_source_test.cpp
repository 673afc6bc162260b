#include "listener/audio_source.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sndfile.h>
#include <unistd.h>

#include <cmath>

#include <fstream>

#include "audio/wav.h"
#include "listener/test_speech.h"

namespace hark::listener {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class WavSource : public ::testing::Test {
 protected:
  WavSource() : dir_(fs::temp_directory_path() / ("hark-wav-source-" + std::to_string(getpid()))) {
    fs::create_directories(dir_);
  }
  ~WavSource() override { fs::remove_all(dir_); }

  fs::path write(const std::string& name, const audio::Pcm& pcm) {
    auto path = dir_ / name;
    audio::write_wav(path, pcm);
    return path;
  }
  std::string error_of(const fs::path& path) {
    try {
      make_wav_source(path);
    } catch (const SourceError& e) {
      return e.what();
    }
    return "no error";
  }

  fs::path dir_;
};

std::vector<std::int16_t> read_all(AudioSource& source) {
  std::vector<std::int16_t> all;
  std::vector<std::int16_t> block(1024);
  while (source.read(block)) all.insert(all.end(), block.begin(), block.end());
  return all;
}

TEST_F(WavSource, DeliversA16kFileAsItIsPaddedToWholeBlocks) {
  std::vector<std::int16_t> samples(3000);
  for (std::size_t i = 0; i < samples.size(); ++i) samples[i] = static_cast<std::int16_t>(i);
  auto source = make_wav_source(write("a.wav", {samples, 16000}));
  auto all = read_all(*source);
  ASSERT_EQ(all.size(), 3072u);
  EXPECT_TRUE(std::equal(samples.begin(), samples.end(), all.begin()));
  EXPECT_EQ(all.back(), 0);
  EXPECT_EQ(source->error(), "");
}

TEST_F(WavSource, ResamplesOtherRatesTo16k) {
  // One second of a 440 Hz tone at 22050 Hz (espeak-ng's rate).
  std::vector<std::int16_t> tone(22050);
  for (std::size_t i = 0; i < tone.size(); ++i) {
    tone[i] =
        static_cast<std::int16_t>(8000 * std::sin(2 * M_PI * 440 * static_cast<double>(i) / 22050));
  }
  auto resampled = resample_to_16k(tone, 22050);
  EXPECT_NEAR(static_cast<double>(resampled.size()), 16000, 16);
  // Still a 440 Hz tone: 880 zero crossings a second.
  int crossings = 0;
  for (std::size_t i = 1; i < resampled.size(); ++i) {
    crossings += (resampled[i - 1] < 0) != (resampled[i] < 0);
  }
  EXPECT_NEAR(crossings, 880, 4);
}

TEST_F(WavSource, RefusesStereoEmptyTruncatedAndNonAudioFilesByName) {
  EXPECT_THAT(error_of(dir_ / "missing.wav"), HasSubstr("missing.wav: cannot read it as audio"));

  auto text = dir_ / "notes.wav";
  std::ofstream(text) << "not audio at all";
  EXPECT_THAT(error_of(text), HasSubstr("notes.wav: cannot read it as audio"));

  auto empty = write("empty.wav", {{}, 16000});
  EXPECT_THAT(error_of(empty), HasSubstr("empty.wav: holds no audio"));

  // Cut inside the header. (libsndfile reads a file cut in its samples as a shorter one.)
  auto cut = write("cut.wav", {std::vector<std::int16_t>(16000, 100), 16000});
  fs::resize_file(cut, 30);
  EXPECT_THAT(error_of(cut), HasSubstr("cut.wav: cannot read it as audio"));

  auto stereo = dir_ / "stereo.wav";
  SF_INFO info{.frames = 0,
               .samplerate = 16000,
               .channels = 2,
               .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16,
               .sections = 0,
               .seekable = 0};
  SNDFILE* file = sf_open(stereo.c_str(), SFM_WRITE, &info);
  ASSERT_NE(file, nullptr);
  std::vector<std::int16_t> frames(3200, 100);
  sf_writef_short(file, frames.data(), 1600);
  sf_close(file);
  EXPECT_THAT(error_of(stereo), HasSubstr("stereo.wav: has 2 channels, expected mono"));
}

TEST(PulseSource, NamesTheServerItCannotReach) {
  try {
    make_pulse_source({.server = "unix:/nonexistent/native", .device = "mic.monitor"});
    FAIL() << "opened a stream on a server that does not exist";
  } catch (const SourceError& e) {
    EXPECT_THAT(e.what(), HasSubstr("unix:/nonexistent/native"));
    EXPECT_THAT(e.what(), HasSubstr("mic.monitor"));
  }
}

}  // namespace
}  // namespace hark::listener
