#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>
#include <mutex>

#include "audio/speaker.h"
#include "audio/test_audio.h"
#include "audio/wav.h"
#include "client/testing.h"

namespace hark::audio {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;

struct Recorded {
  std::mutex mutex;
  std::vector<std::string> events;
  void add(std::string event) {
    std::lock_guard hold(mutex);
    events.push_back(std::move(event));
  }
  std::vector<std::string> snapshot() {
    std::lock_guard hold(mutex);
    return events;
  }
};

class SpeakerTest : public ::testing::Test {
 protected:
  Speaker::Events record() {
    return {
        .output_started = [this](const Answer& a) { recorded_.add("start " + a.text); },
        .output_ended =
            [this](const Answer& a, bool stopped) {
              recorded_.add(fmt::format("end {} listen={} stopped={}", a.text, a.listen, stopped));
            }};
  }
  std::vector<fs::path> wav_files() const {
    std::vector<fs::path> files;
    if (fs::exists(dir_)) {
      for (const auto& entry : fs::directory_iterator(dir_)) files.push_back(entry.path());
    }
    // <milliseconds>-<n>.wav: n orders files written in the same millisecond.
    std::sort(files.begin(), files.end(), [](const fs::path& a, const fs::path& b) {
      return fs::last_write_time(a) < fs::last_write_time(b) ||
             (fs::last_write_time(a) == fs::last_write_time(b) && a < b);
    });
    return files;
  }

  hark::testing::TempHome home_;
  fs::path dir_ = home_.path() / "out";
  // flite: its samples vary (it dithers), but unlike espeak-ng's their number does not.
  std::shared_ptr<TtsEngine> engine_ = make_flite_engine("slt");
  Recorded recorded_;
};

TEST_F(SpeakerTest, AnswersPlayInOrderBetweenOneStartAndOneEnd) {
  Speaker speaker(engine_, nullptr, make_wav_sink(dir_), record());
  speaker.speak({.text = "One. Two, two."});
  speaker.speak({.text = "Three three three.", .listen = true});
  ASSERT_TRUE(hark::testing::eventually([&] { return recorded_.snapshot().size() == 2; }));
  EXPECT_THAT(
      recorded_.snapshot(),
      ElementsAre("start One. Two, two.", "end Three three three. listen=true stopped=false"));
  EXPECT_FALSE(speaker.speaking());
  auto files = wav_files();
  ASSERT_EQ(files.size(), 2u);
  Pcm first = read_wav(files[0]);
  Pcm second = read_wav(files[1]);
  // Each file holds its whole answer: both sentences of the first, from the first sound on
  // (where flite's dither lets a soft onset cross the threshold varies by some 30 ms).
  auto one = engine_->synthesize("One.");
  auto two = engine_->synthesize("Two, two.").samples.size();
  auto margin = static_cast<double>(one.sample_rate) * 0.05;
  EXPECT_NEAR(first.samples.size(), one.samples.size() - leading_silence(one) + two, margin);
  auto three = engine_->synthesize("Three three three.");
  EXPECT_NEAR(second.samples.size(), three.samples.size() - leading_silence(three), margin);
}

TEST_F(SpeakerTest, AnAnswerStartsWithItsFirstSound) {
  // espeak-ng's "Today" starts with the silence of its t; the speaker plays none of it.
  std::shared_ptr<TtsEngine> espeak = make_espeak_engine("en-us");
  auto today = espeak->synthesize("Today is Thursday.");
  ASSERT_GT(leading_silence(today), static_cast<std::size_t>(today.sample_rate / 40))
      << "no silence to leave out";
  Speaker speaker(espeak, nullptr, make_wav_sink(dir_), record());
  speaker.speak({.text = "Today is Thursday. Then Friday."});
  ASSERT_TRUE(hark::testing::eventually([&] { return recorded_.snapshot().size() == 2; }));
  auto files = wav_files();
  ASSERT_EQ(files.size(), 1u);
  Pcm played = read_wav(files[0]);
  ASSERT_FALSE(played.samples.empty());
  // Its first sound within the 5 ms kept before it.
  EXPECT_GT(testing::peak(std::span(played.samples).first(played.sample_rate / 200 + 1)), 256);
}

TEST(LeadingSilence, IsTheSilenceBeforeTheFirstSoundLessFiveMilliseconds) {
  Pcm pcm{.samples = std::vector<std::int16_t>(1000, 0), .sample_rate = 16000};
  pcm.samples[100] = 82;  // dither
  pcm.samples[900] = -257;
  EXPECT_EQ(leading_silence(pcm), 900u - 80u);
  pcm.samples[900] = 0;
  pcm.samples[50] = 1000;
  EXPECT_EQ(leading_silence(pcm), 0u);
  pcm.samples[50] = 0;
  EXPECT_EQ(leading_silence(pcm), 1000u);  // silence only: nothing to wait for
  EXPECT_EQ(leading_silence(Pcm{.samples = {}, .sample_rate = 16000}), 0u);
}

TEST_F(SpeakerTest, AnswerWithNothingToSayStillStartsAndEnds) {
  Speaker speaker(engine_, nullptr, make_wav_sink(dir_), record());
  speaker.speak({.text = "  ", .listen = true});
  ASSERT_TRUE(hark::testing::eventually([&] { return recorded_.snapshot().size() == 2; }));
  EXPECT_THAT(recorded_.snapshot(), ElementsAre("start   ", "end    listen=true stopped=false"));
  EXPECT_TRUE(wav_files().empty());
}

TEST_F(SpeakerTest, StopWhenIdleSaysNothingWasPlaying) {
  Speaker speaker(engine_, nullptr, make_wav_sink(dir_), record());
  EXPECT_FALSE(speaker.stop());
  EXPECT_FALSE(speaker.speaking());
}

TEST_F(SpeakerTest, UsesTheCache) {
  auto cache = std::make_shared<TtsCache>(home_.path() / "cache", 1 << 20);
  Speaker speaker(engine_, cache, make_wav_sink(dir_), record());
  speaker.speak({.text = "Cached sentence."});
  ASSERT_TRUE(hark::testing::eventually([&] { return recorded_.snapshot().size() == 2; }));
  EXPECT_TRUE(fs::exists(cache->file_for("flite", "slt", "Cached sentence.")));
}

TEST_F(SpeakerTest, NewEngineFromTheNextAnswer) {
  Speaker speaker(engine_, nullptr, make_wav_sink(dir_), record());
  speaker.set_engine(make_espeak_engine("en-us"));
  speaker.speak({.text = "Hello."});
  ASSERT_TRUE(hark::testing::eventually([&] { return recorded_.snapshot().size() == 2; }));
  auto files = wav_files();
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(read_wav(files[0]).sample_rate, 22050);
}

}  // namespace
}  // namespace hark::audio
