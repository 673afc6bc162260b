#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <atomic>

#include <fstream>

#include "audio/test_audio.h"
#include "audio/tts_cache.h"
#include "audio/wav.h"
#include "client/testing.h"

namespace hark::audio {
namespace {

namespace fs = std::filesystem;

// espeak-ng, counting how often it is really asked.
class CountingEngine final : public TtsEngine {
 public:
  explicit CountingEngine(std::string voice = "en-us") : engine_(make_espeak_engine(voice)) {}
  std::string_view name() const override { return engine_->name(); }
  const std::string& voice() const override { return engine_->voice(); }
  Pcm synthesize(std::string_view text) override {
    ++calls;
    return engine_->synthesize(text);
  }
  std::atomic<int> calls = 0;

 private:
  std::unique_ptr<TtsEngine> engine_;
};

class TtsCacheTest : public ::testing::Test {
 protected:
  hark::testing::TempHome home_;
  fs::path dir_ = home_.path() / "tts";
  TtsCache cache_{dir_, 64 << 20};
  CountingEngine engine_;
};

TEST_F(TtsCacheTest, FileIsNamedByEngineVoiceAndMd5OfTheText) {
  EXPECT_EQ(cache_.file_for("espeak-ng", "en-us", "hello"),
            dir_ / "espeak-ng" / "en-us" / "5d41402abc4b2a76b9719d911017c592.wav");
  EXPECT_NE(cache_.file_for("flite", "en-us", "hello"),
            cache_.file_for("espeak-ng", "en-us", "hello"));
  EXPECT_NE(cache_.file_for("flite", "slt", "hello"), cache_.file_for("flite", "kal", "hello"));
  EXPECT_NE(cache_.file_for("flite", "slt", "hello"), cache_.file_for("flite", "slt", "Hello"));
  // A voice cannot climb out of the cache folder.
  EXPECT_EQ(cache_.file_for("flite", "../x", "a").parent_path().parent_path(), dir_ / "flite");
}

TEST_F(TtsCacheTest, SecondRequestIsAHitWithTheSameAudio) {
  Pcm first = cache_.synthesize(engine_, "Good morning.");
  EXPECT_EQ(engine_.calls, 1);
  EXPECT_TRUE(fs::exists(cache_.file_for("espeak-ng", "en-us", "Good morning.")));
  Pcm second = cache_.synthesize(engine_, "Good morning.");
  EXPECT_EQ(engine_.calls, 1);
  EXPECT_EQ(second.samples, first.samples);
  EXPECT_EQ(second.sample_rate, first.sample_rate);
}

TEST_F(TtsCacheTest, OtherTextOrVoiceIsAMiss) {
  cache_.synthesize(engine_, "Good morning.");
  cache_.synthesize(engine_, "Good evening.");
  EXPECT_EQ(engine_.calls, 2);
  CountingEngine other_voice("en");
  cache_.synthesize(other_voice, "Good morning.");
  EXPECT_EQ(other_voice.calls, 1);
}

TEST_F(TtsCacheTest, CorruptFileIsIgnoredAndRewritten) {
  cache_.synthesize(engine_, "Good morning.");
  auto path = cache_.file_for("espeak-ng", "en-us", "Good morning.");
  std::ofstream(path, std::ios::trunc) << "RIFF\x10\0\0\0WAVEjunk that is not audio";
  Pcm again = cache_.synthesize(engine_, "Good morning.");
  EXPECT_EQ(engine_.calls, 2);
  EXPECT_GT(testing::peak(again.samples), 3000);
  EXPECT_EQ(read_wav(path).samples, again.samples) << "the file was written again";
  cache_.synthesize(engine_, "Good morning.");
  EXPECT_EQ(engine_.calls, 2);
}

TEST_F(TtsCacheTest, StaysUnderItsLimitDroppingTheLeastRecentlyUsed) {
  // Each sentence is about 50 to 100 KiB at 22050 Hz.
  TtsCache small(dir_, 300 * 1024);
  small.synthesize(engine_, "Sentence number zero is here.");
  for (int i = 1; i < 10; ++i) {
    small.synthesize(engine_, fmt::format("Sentence number {} is here.", i));
    // Keeps the first one in use, so it survives.
    small.synthesize(engine_, "Sentence number zero is here.");
  }
  EXPECT_LE(small.size_bytes(), 300u * 1024);
  EXPECT_TRUE(fs::exists(small.file_for("espeak-ng", "en-us", "Sentence number zero is here.")));
  EXPECT_FALSE(fs::exists(small.file_for("espeak-ng", "en-us", "Sentence number 1 is here.")));
}

TEST_F(TtsCacheTest, ZeroSizeDisablesIt) {
  TtsCache off(dir_, 0);
  off.synthesize(engine_, "Hi.");
  off.synthesize(engine_, "Hi.");
  EXPECT_EQ(engine_.calls, 2);
  EXPECT_FALSE(fs::exists(dir_));
}

TEST_F(TtsCacheTest, UnwritableFolderStillSpeaks) {
  std::ofstream(home_.path() / "file") << "x";
  TtsCache blocked(home_.path() / "file" / "tts", 1 << 20);
  Pcm pcm = blocked.synthesize(engine_, "Hi.");
  EXPECT_GT(testing::peak(pcm.samples), 1000);
}

}  // namespace
}  // namespace hark::audio
