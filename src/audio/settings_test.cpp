#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "audio/settings.h"
#include "config/config.h"

namespace hark::audio {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

Json with(const Json& overlay) {
  Json config = config::builtin_defaults();
  config::deep_merge(config, overlay);
  return config;
}

TEST(AudioSettings, BuiltInDefaultsAreValid) {
  EXPECT_THAT(validate(config::builtin_defaults()), IsEmpty());
  auto s = AudioSettings::from(config::builtin_defaults());
  EXPECT_EQ(s.engine.module, "ovos-tts-plugin-espeakng");
  EXPECT_EQ(s.engine.voice, "en-us");
  EXPECT_TRUE(s.wav_dir.empty());
  EXPECT_EQ(s.latency_ms, 40);
  EXPECT_EQ(s.cache_max_bytes, 64u << 20);
}

TEST(AudioSettings, VoiceComesFromTheSectionNamedAfterTheModule) {
  auto s =
      AudioSettings::from(with({{"tts", {{"module", "flite"}, {"flite", {{"voice", "awb"}}}}}}));
  EXPECT_EQ(s.engine.module, "flite");
  EXPECT_EQ(s.engine.voice, "awb");
  // No section for a short name: the engine's default voice.
  EXPECT_EQ(AudioSettings::from(with({{"tts", {{"module", "espeak-ng"}}}})).engine.voice, "");
}

TEST(AudioSettings, UnknownModuleAndVoiceNameTheirKeys) {
  EXPECT_THAT(validate(with({{"tts", {{"module", "ovos-tts-plugin-piper"}}}})),
              ElementsAre(::testing::StartsWith(
                  "tts.module: unknown TTS module 'ovos-tts-plugin-piper' (known: ")));
  EXPECT_THAT(validate(with({{"tts",
                              {{"ovos-tts-plugin-mimic", {{"voice", "ap"}}},
                               {"module", "ovos-tts-plugin-mimic"}}}})),
              ElementsAre("tts.ovos-tts-plugin-mimic.voice: flite has no voice 'ap'"));
  EXPECT_THAT(validate(with({{"tts", {{"module", "flite"}, {"flite", {{"voice", 3}}}}}})),
              ElementsAre("tts.flite.voice: must be a string"));
}

TEST(AudioSettings, OutputIsPulseOrAWavFolder) {
  auto s = AudioSettings::from(with({{"audio", {{"output", "wav:/tmp/speech"}}}}));
  EXPECT_EQ(s.wav_dir, "/tmp/speech");
  EXPECT_THAT(validate(with({{"audio", {{"output", "alsa"}}}})),
              ElementsAre("audio.output: 'alsa' is neither \"pulse\" nor \"wav:<folder>\""));
  EXPECT_THAT(validate(with({{"audio", {{"output", "wav:"}}}})), ::testing::SizeIs(1));
  EXPECT_THAT(validate(with({{"audio", {{"latency_ms", 5}}}})),
              ElementsAre(::testing::StartsWith("audio.latency_ms: ")));
}

}  // namespace
}  // namespace hark::audio
