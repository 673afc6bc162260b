#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sndfile.h>

#include <fstream>

#include "audio/wav.h"
#include "client/testing.h"

namespace hark::audio {
namespace {

using ::testing::HasSubstr;

class WavTest : public ::testing::Test {
 protected:
  std::filesystem::path file(const std::string& name) const { return home_.path() / name; }
  std::string error_reading(const std::filesystem::path& path) {
    try {
      read_wav(path);
    } catch (const WavError& e) {
      return e.what();
    }
    return "no error";
  }
  hark::testing::TempHome home_;
};

TEST_F(WavTest, RoundTrip) {
  Pcm pcm{{0, 1000, -1000, 32767, -32768}, 22050};
  write_wav(file("a.wav"), pcm);
  Pcm back = read_wav(file("a.wav"));
  EXPECT_EQ(back.samples, pcm.samples);
  EXPECT_EQ(back.sample_rate, 22050);
  EXPECT_EQ(std::filesystem::file_size(file("a.wav")), 44u + 2 * 5);
}

TEST_F(WavTest, WriterAppendsPieces) {
  {
    WavWriter writer(file("b.wav"), 16000);
    std::vector<std::int16_t> piece(160, 7);
    for (int i = 0; i < 3; ++i) writer.write(piece);
  }
  EXPECT_EQ(read_wav(file("b.wav")).samples.size(), 480u);
}

TEST_F(WavTest, GarbageIsAnErrorNamingTheFile) {
  std::ofstream(file("junk.wav")) << "this is not a wave file at all, just text";
  auto error = error_reading(file("junk.wav"));
  EXPECT_THAT(error, HasSubstr("junk.wav"));
  EXPECT_THAT(error, HasSubstr("cannot read it as audio"));
}

TEST_F(WavTest, EmptyAndMissingFiles) {
  std::ofstream(file("empty.wav")).flush();
  EXPECT_THAT(error_reading(file("empty.wav")), HasSubstr("empty.wav"));
  EXPECT_THAT(error_reading(file("absent.wav")), HasSubstr("absent.wav"));
}

TEST_F(WavTest, HeaderWithoutSamplesHoldsNoAudio) {
  write_wav(file("a.wav"), Pcm{{1, 2, 3}, 16000});
  std::filesystem::resize_file(file("a.wav"), 44);
  EXPECT_THAT(error_reading(file("a.wav")), HasSubstr("holds no audio"));
}

TEST_F(WavTest, StereoIsRefused) {
  SF_INFO info{};
  info.samplerate = 16000;
  info.channels = 2;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SNDFILE* out = sf_open(file("stereo.wav").c_str(), SFM_WRITE, &info);
  ASSERT_NE(out, nullptr);
  short frames[4] = {1, 2, 3, 4};
  sf_write_short(out, frames, 4);
  sf_close(out);
  EXPECT_THAT(error_reading(file("stereo.wav")), HasSubstr("2 channels"));
}

TEST_F(WavTest, UnwritablePathIsAnError) {
  EXPECT_THROW(write_wav(home_.path() / "no" / "such" / "dir.wav", Pcm{{1}, 16000}), WavError);
}

}  // namespace
}  // namespace hark::audio
