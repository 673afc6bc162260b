// The mixer against a real PulseAudio server with null sinks, checked with pactl.
#include "phal/mixer.h"

#include <gtest/gtest.h>

#include "client/testing.h"

namespace hark::phal {
namespace {

using namespace std::chrono_literals;
using testing::PulseServer;

class MixerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    if (!PulseServer::available(&why)) GTEST_SKIP() << why;
    pulse_ = std::make_unique<PulseServer>(std::vector<std::string>{"spk", "other"});
  }
  std::string pactl(std::vector<std::string> args) { return pulse_->pactl(std::move(args)); }

  std::unique_ptr<PulseServer> pulse_;
};

TEST_F(MixerTest, ReadsTheDefaultSink) {
  pactl({"set-sink-volume", "spk", "37%"});
  Mixer mixer(pulse_->server());
  auto state = mixer.state();
  EXPECT_EQ(state.sink, "spk");
  EXPECT_NEAR(state.level, 0.37, 0.005);
  EXPECT_FALSE(state.muted);

  pactl({"set-default-sink", "other"});
  EXPECT_EQ(mixer.state().sink, "other");
}

TEST_F(MixerTest, SetsTheLevelOfEveryChannelAsPactlShowsIt) {
  Mixer mixer(pulse_->server());
  auto state = mixer.set_level(0.8);
  EXPECT_NEAR(state.level, 0.8, 0.005);
  auto shown = pactl({"get-sink-volume", "spk"});
  EXPECT_NE(shown.find("front-left: 52429 /  80%"), std::string::npos) << shown;
  EXPECT_NE(shown.find("front-right: 52429 /  80%"), std::string::npos) << shown;
  // The other sink is not the volume.
  EXPECT_NE(pactl({"get-sink-volume", "other"}).find("100%"), std::string::npos);
}

TEST_F(MixerTest, ClampsTheLevelSoThatNothingIsAmplified) {
  Mixer mixer(pulse_->server());
  EXPECT_DOUBLE_EQ(mixer.set_level(1.7).level, 1.0);
  EXPECT_DOUBLE_EQ(mixer.set_level(-0.2).level, 0.0);
  EXPECT_NE(pactl({"get-sink-volume", "spk"}).find("/   0%"), std::string::npos);
}

TEST_F(MixerTest, MutesAndUnmutes) {
  Mixer mixer(pulse_->server());
  EXPECT_TRUE(mixer.set_muted(true).muted);
  EXPECT_EQ(pactl({"get-sink-mute", "spk"}), "Mute: yes\n");
  EXPECT_FALSE(mixer.set_muted(false).muted);
  EXPECT_EQ(pactl({"get-sink-mute", "spk"}), "Mute: no\n");
}

TEST_F(MixerTest, SeesChangesMadeByOthers) {
  Mixer mixer(pulse_->server());
  mixer.set_level(0.5);
  pactl({"set-sink-volume", "spk", "20%"});
  pactl({"set-sink-mute", "spk", "1"});
  auto state = mixer.state();
  EXPECT_NEAR(state.level, 0.2, 0.005);
  EXPECT_TRUE(state.muted);
}

TEST(MixerWithoutServer, SaysWhichServerItCouldNotReach) {
  Mixer mixer("unix:/nonexistent/hark/native", 500ms);
  try {
    mixer.state();
    FAIL() << "no error";
  } catch (const MixerError& e) {
    EXPECT_NE(std::string(e.what()).find("unix:/nonexistent/hark/native"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace hark::phal
