#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <string>
#include <thread>

#include "audio/test_audio.h"
#include "audio/tts_engine.h"

namespace hark::audio {
namespace {

using ::testing::HasSubstr;

// About 2.5 s when read aloud at a normal pace.
constexpr std::string_view kSentence = "The quick brown fox jumps over the lazy dog.";

void expect_speech(const Pcm& pcm, int rate) {
  EXPECT_EQ(pcm.sample_rate, rate);
  EXPECT_GT(pcm.seconds(), 1.2) << "too short for the sentence";
  EXPECT_LT(pcm.seconds(), 6.0) << "too long for the sentence";
  EXPECT_GT(testing::peak(pcm.samples), 3000) << "silent";
  EXPECT_GT(testing::rms(pcm.samples), 300) << "nearly silent";
}

TEST(EspeakEngine, SpeaksASentenceAt22050Hz) {
  auto engine = make_engine({.module = "ovos-tts-plugin-espeakng", .voice = "en-us"});
  EXPECT_EQ(engine->name(), "espeak-ng");
  expect_speech(engine->synthesize(kSentence), 22050);
}

TEST(EspeakEngine, DefaultVoiceWhenNoneIsGiven) {
  auto engine = make_engine({.module = "espeak-ng"});
  EXPECT_EQ(engine->voice(), "en-us");
}

TEST(EspeakEngine, LongerTextGivesLongerAudio) {
  auto engine = make_espeak_engine("en-us");
  auto one = engine->synthesize("Hello.");
  auto three = engine->synthesize("Hello. Hello there. Hello there, how are you today?");
  EXPECT_GT(three.seconds(), 3 * one.seconds());
}

// espeak-ng varies its output a little from call to call (a few samples in 57,000), so equal
// means within 1 %. Interleaved calls into the library would mix or lose whole sentences.
TEST(EspeakEngine, CallsFromManyThreadsGiveTheSameAudio) {
  auto engine = make_espeak_engine("en-us");
  auto reference = engine->synthesize(kSentence).samples.size();
  std::vector<Pcm> results(4);
  std::vector<std::thread> threads;
  for (auto& result : results) {
    threads.emplace_back([&] { result = engine->synthesize(kSentence); });
  }
  for (auto& t : threads) t.join();
  for (const auto& result : results) {
    EXPECT_NEAR(static_cast<double>(result.samples.size()), static_cast<double>(reference),
                reference * 0.01);
    expect_speech(result, 22050);
  }
}

TEST(EspeakEngine, UnknownVoiceNamesTheKey) {
  try {
    make_engine({.module = "ovos-tts-plugin-espeakng", .voice = "klingon-xx"});
    FAIL() << "no error";
  } catch (const TtsError& e) {
    EXPECT_THAT(e.what(), HasSubstr("tts.ovos-tts-plugin-espeakng.voice"));
    EXPECT_THAT(e.what(), HasSubstr("klingon-xx"));
  }
}

TEST(FliteEngine, EveryDebianVoiceSpeaks) {
  for (auto voice : fixed_voices("flite")) {
    SCOPED_TRACE(voice);
    auto engine = make_engine({.module = "ovos-tts-plugin-mimic", .voice = std::string(voice)});
    EXPECT_EQ(engine->name(), "flite");
    expect_speech(engine->synthesize(kSentence), voice == "kal" ? 8000 : 16000);
  }
}

std::string mapped_flite_voices() {
  std::ifstream maps("/proc/self/maps");
  std::set<std::string> voices;
  for (std::string line; std::getline(maps, line);) {
    if (auto at = line.find("libflite_cmu_us_"); at != std::string::npos)
      voices.insert(line.substr(at));
  }
  std::string list;
  for (const auto& v : voices) list += v + " ";
  return list;
}

TEST(FliteEngine, MapsOnlyTheVoiceItSpeaksWith) {
  // ctest runs each test in a process of its own; a run of the whole binary may have loaded
  // voices before.
  if (!mapped_flite_voices().empty()) GTEST_SKIP() << "voices loaded by an earlier test";
  auto engine = make_engine({.module = "flite", .voice = "kal16"});
  expect_speech(engine->synthesize(kSentence), 16000);
  EXPECT_THAT(mapped_flite_voices(), ::testing::MatchesRegex("libflite_cmu_us_kal16\\.so[.0-9]* "));
}

TEST(FliteEngine, UnknownVoiceNamesTheKey) {
  try {
    make_engine({.module = "flite", .voice = "ap"});
    FAIL() << "no error";
  } catch (const TtsError& e) {
    EXPECT_THAT(e.what(), HasSubstr("tts.flite.voice"));
    EXPECT_THAT(e.what(), HasSubstr("'ap'"));
  }
}

TEST(MakeEngine, UnknownModuleNamesTheKeyAndTheChoices) {
  try {
    make_engine({.module = "ovos-tts-plugin-server"});
    FAIL() << "no error";
  } catch (const TtsError& e) {
    EXPECT_THAT(e.what(), HasSubstr("tts.module"));
    EXPECT_THAT(e.what(), HasSubstr("ovos-tts-plugin-server"));
    EXPECT_THAT(e.what(), HasSubstr("ovos-tts-plugin-mimic"));
  }
}

TEST(MakeEngine, OvosAndShortModuleNames) {
  EXPECT_EQ(engine_for_module("ovos-tts-plugin-espeakng"), "espeak-ng");
  EXPECT_EQ(engine_for_module("espeak-ng"), "espeak-ng");
  EXPECT_EQ(engine_for_module("ovos-tts-plugin-mimic"), "flite");
  EXPECT_EQ(engine_for_module("flite"), "flite");
  EXPECT_EQ(engine_for_module("ovos-tts-plugin-piper"), "");
}

}  // namespace
}  // namespace hark::audio
