#include "listener/wake_templates.h"

#include <gtest/gtest.h>

#include "listener/decoder.h"
#include "listener/test_speech.h"

namespace hark::listener {
namespace {

using testing::join;
using testing::silence;
using testing::speech;

class WakeTemplatesTest : public ::testing::Test {
 protected:
  Cepstra cepstra(const std::vector<std::int16_t>& audio) {
    return decoder_.cepstra(trim_silence(audio));
  }
  Decoder decoder_{DecoderOptions{}};
};

TEST_F(WakeTemplatesTest, TheSameWordsAreNearOtherWordsFar) {
  WakeTemplates templates;
  ASSERT_TRUE(templates.add(cepstra(speech("hey mycroft", "en-us+m1"))));
  ASSERT_TRUE(templates.add(cepstra(speech("hey mycroft", "en-us+f1"))));
  EXPECT_EQ(templates.size(), 2u);
  // Found inside a longer window, as the spotter's window holds more than the wake word.
  auto window = join({speech("okay"), silence(0.2), speech("hey mycroft", "en-us+m3"), silence(0.2),
                      speech("what")});
  double same = templates.distance(decoder_.cepstra(window));
  double near_miss = templates.distance(decoder_.cepstra(speech("hey microsoft", "en-us+m3")));
  double other = templates.distance(decoder_.cepstra(speech("what time is it", "en-us+m3")));
  EXPECT_LT(same, 0.22);
  EXPECT_GT(near_miss, same + 0.05);
  EXPECT_GT(other, near_miss);
}

TEST_F(WakeTemplatesTest, TooShortIsRefusedAndNoTemplatesIsFar) {
  WakeTemplates templates;
  EXPECT_FALSE(templates.add(cepstra(silence(1))));
  EXPECT_EQ(templates.size(), 0u);
  EXPECT_EQ(templates.distance(decoder_.cepstra(speech("hey mycroft"))), 2);
}

TEST_F(WakeTemplatesTest, KeepingTheNewestForgetsTheOldest) {
  WakeTemplates templates;
  auto oldest = speech("hey mycroft", "en-us+m1");
  ASSERT_TRUE(templates.add(cepstra(oldest)));
  ASSERT_TRUE(templates.add(cepstra(speech("good morning", "en-us+f1"))));
  EXPECT_LT(templates.distance(cepstra(oldest)), 0.01);
  templates.keep_newest(1);
  EXPECT_EQ(templates.size(), 1u);
  EXPECT_GT(templates.distance(cepstra(oldest)), 0.3);
}

TEST_F(WakeTemplatesTest, ThePeakIsTheStretchThatMatchesWorst) {
  auto word = trim_silence(speech("hey mycroft", "en-us+m3"));
  WakeTemplates templates;
  ASSERT_TRUE(templates.add(cepstra(word)));
  auto same = templates.nearest(cepstra(word));
  EXPECT_LT(same.distance, 0.01);
  EXPECT_LT(same.peak, 0.01);
  // 0.15 s in the middle of the word replaced by other speech: a little farther on the whole,
  // far at the peak.
  auto changed = word;
  auto other = trim_silence(speech("what time is it", "en-us+f1"));
  constexpr std::size_t kStretch = kSampleRate * 15 / 100;
  ASSERT_GT(other.size(), kStretch);
  std::copy_n(other.begin(), kStretch, changed.begin() + (changed.size() - kStretch) / 2);
  auto match = templates.nearest(cepstra(changed));
  EXPECT_LT(match.distance, 0.22);
  EXPECT_GT(match.peak, match.distance + 0.2);
}

TEST_F(WakeTemplatesTest, TheSpeechAroundTheWakeWordDoesNotMoveIt) {
  auto word = trim_silence(speech("hey mycroft", "en-us+m3"));
  WakeTemplates templates;
  ASSERT_TRUE(templates.add(cepstra(word)));
  // The spotter's window: the very same wake word, after and before other speech.
  auto window = join({speech("the children were playing in the garden all afternoon", "en-us+m3"),
                      word, speech("set a timer", "en-us+m3")});
  EXPECT_LT(templates.distance(decoder_.cepstra(window)), 0.05);
}

TEST(TrimSilence, KeepsTheSoundBetweenQuietEnds) {
  auto word = speech("hello");
  auto trimmed = trim_silence(join({silence(0.5), word, silence(0.7)}));
  EXPECT_NEAR(static_cast<double>(trimmed.size()), static_cast<double>(word.size()),
              0.1 * kSampleRate);
  EXPECT_TRUE(trim_silence(silence(1)).empty());
}

}  // namespace
}  // namespace hark::listener
