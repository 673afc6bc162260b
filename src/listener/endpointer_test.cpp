#include "listener/endpointer.h"

#include <gtest/gtest.h>

#include <cmath>

#include "listener/test_speech.h"

namespace hark::listener {
namespace {

using testing::join;
using testing::silence;
using testing::speech;
using Verdict = Endpointer::Verdict;

// Feeds `audio` in 1024-sample blocks, as the listener does; returns the verdict and the
// seconds fed when it came.
std::pair<Verdict, double> run(Endpointer& ends, const std::vector<std::int16_t>& audio) {
  for (std::size_t at = 0; at < audio.size(); at += 1024) {
    std::span<const std::int16_t> block(audio.data() + at,
                                        std::min<std::size_t>(1024, audio.size() - at));
    if (auto verdict = ends.feed(block); verdict != Verdict::listening) {
      return {verdict, ends.seconds()};
    }
  }
  return {Verdict::listening, ends.seconds()};
}

// Where the speech in `audio` ends: the last sample louder than the endpointer's floor.
double speech_end(const std::vector<std::int16_t>& audio) {
  for (std::size_t i = audio.size(); i-- > 0;) {
    if (std::abs(static_cast<int>(audio[i])) > 1000) return static_cast<double>(i) / kSampleRate;
  }
  return 0;
}

TEST(Endpointer, EndsAfterTheSilenceThatFollowsSpeech) {
  auto audio = join({silence(0.5), speech("what time is it"), silence(3)});
  Endpointer ends({.silence_seconds = 0.8, .max_seconds = 10, .no_speech_seconds = 3});
  auto [verdict, at] = run(ends, audio);
  EXPECT_EQ(verdict, Verdict::ended);
  EXPECT_TRUE(ends.heard_speech());
  // The frame that ends it is silence_seconds after the last loud one, within a block (64 ms)
  // and the VAD's hangover.
  EXPECT_NEAR(at, speech_end(audio) + 0.8, 0.25);
}

TEST(Endpointer, PausesBetweenWordsDoNotEndTheCommand) {
  auto audio = join({speech("set a timer"), silence(0.4), speech("for five minutes"), silence(2)});
  Endpointer ends({.silence_seconds = 0.8, .max_seconds = 10, .no_speech_seconds = 3});
  auto [verdict, at] = run(ends, audio);
  EXPECT_EQ(verdict, Verdict::ended);
  EXPECT_GT(at, speech_end(audio));
}

TEST(Endpointer, AWholeCommandEndsAfterTheShorterSilence) {
  auto audio = join({silence(0.5), speech("what time is it"), silence(3)});
  Endpointer ends({.silence_seconds = 0.8, .complete_silence_seconds = 0.2});
  ends.set_words_complete(true);
  auto [verdict, at] = run(ends, audio);
  EXPECT_EQ(verdict, Verdict::ended);
  EXPECT_NEAR(at, speech_end(audio) + 0.2, 0.15);
  // Words that are not a whole command yet wait for the full silence.
  Endpointer waits({.silence_seconds = 0.8, .complete_silence_seconds = 0.2});
  waits.set_words_complete(false);
  EXPECT_NEAR(run(waits, audio).second, speech_end(audio) + 0.8, 0.25);
}

TEST(Endpointer, GivesUpWhenNobodySpeaks) {
  Endpointer ends({.silence_seconds = 0.8, .max_seconds = 10, .no_speech_seconds = 2});
  auto [verdict, at] = run(ends, silence(5));
  EXPECT_EQ(verdict, Verdict::no_speech);
  EXPECT_DOUBLE_EQ(at, 2.0);
  EXPECT_FALSE(ends.heard_speech());
}

TEST(Endpointer, QuietHissIsNotSpeech) {
  std::vector<std::int16_t> hiss(5 * kSampleRate);
  unsigned state = 1;
  for (auto& s : hiss) {
    state = state * 1103515245 + 12345;
    s = static_cast<std::int16_t>(static_cast<int>(state >> 16 & 0xff) - 128);  // RMS ~74
  }
  Endpointer ends({.silence_seconds = 0.8, .max_seconds = 10, .no_speech_seconds = 2});
  EXPECT_EQ(run(ends, hiss).first, Verdict::no_speech);
}

TEST(Endpointer, CutsACommandThatNeverEnds) {
  std::vector<std::int16_t> talk;
  while (talk.size() < 6 * kSampleRate) {
    auto more = speech("and another thing");
    talk.insert(talk.end(), more.begin(), more.end());
  }
  Endpointer ends({.silence_seconds = 0.8, .max_seconds = 4, .no_speech_seconds = 3});
  auto [verdict, at] = run(ends, talk);
  EXPECT_EQ(verdict, Verdict::too_long);
  EXPECT_DOUBLE_EQ(at, 4.0);
}

TEST(Endpointer, ResetStartsOver) {
  Endpointer ends({.silence_seconds = 0.8, .max_seconds = 10, .no_speech_seconds = 1});
  EXPECT_EQ(run(ends, silence(2)).first, Verdict::no_speech);
  ends.reset();
  EXPECT_EQ(ends.seconds(), 0);
  auto [verdict, at] = run(ends, join({speech("stop"), silence(2)}));
  EXPECT_EQ(verdict, Verdict::ended);
}

}  // namespace
}  // namespace hark::listener
