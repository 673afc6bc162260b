// Speaker adaptation on speech espeak-ng synthesizes at test time: the voice the acoustic model
// fits worst of voice_bench's (en-029) is heard better once the model is adapted to it.
#include "listener/speaker_adaptation.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <span>

#include "config/test_support.h"
#include "listener/enrollment.h"
#include "listener/stt.h"
#include "listener/test_speech.h"
#include "listener/wake_word.h"

namespace hark::listener {
namespace {

using config::fixtures::TempDir;
using config::fixtures::write_file;
using ::testing::HasSubstr;
using testing::join;
using testing::silence;
using testing::speech;

const std::filesystem::path kAcousticModel =
    DecoderOptions{}.model_dir / "en-us";  // pocketsphinx-en-us's

constexpr const char* kVoice = "en-029";

constexpr const char* kCommands[] = {
    "what time is it",    "what is the date",     "set a timer for ten minutes",
    "cancel the timer",   "what day is it today", "stop",
    "turn the volume up", "how are you",          "start a timer for five minutes",
    "what is the time",
};

IntentSamples commands() {
  IntentSamples samples;
  for (const char* command : kCommands) {
    samples.intents[fmt::format("test:{}.intent", command)] = {command};
  }
  return samples;
}

std::vector<std::int16_t> said(const std::string& text) {
  return join({silence(0.2), speech(text, kVoice), silence(0.5)});
}

// How many of `said_ones` the speech to text hears word for word.
std::size_t heard_exactly(PocketsphinxStt& stt,
                          std::span<const char* const> said_ones = kCommands) {
  std::size_t exact = 0;
  for (const char* command : said_ones) exact += stt.transcribe(said(command)).text == command;
  return exact;
}

PocketsphinxSttOptions options(const std::filesystem::path& file,
                               double map_prior = AdaptationOptions{}.map_prior_frames) {
  return {.intent_language_model = false,
          .min_fit = std::nullopt,
          .adaptation = AdaptationOptions{.file = file, .map_prior_frames = map_prior}};
}

TEST(SpeakerAdaptation, AVoiceTheModelFitsPoorlyIsHeardBetterOnceAdaptedToIt) {
  TempDir dir;
  PocketsphinxStt stt(options(dir / "adaptation.txt"));
  stt.set_intents(commands());
  auto before = heard_exactly(stt);
  for (const auto& sentence : enrollment_sentences())
    EXPECT_TRUE(stt.adapt(said(sentence), sentence));
  auto after = heard_exactly(stt);
  EXPECT_GE(after, before + 2) << "before " << before << " of " << std::size(kCommands);
}

// Commands the model as installed hears wrong from this voice, and the transform alone too
// (voice_bench: "cancel the timer" as "sound to the time", "mute the volume" as "who is the
// volume").
constexpr const char* kHardCommands[] = {
    "mute the volume",    "unmute the volume",        "mute speaker",
    "list all my timers", "cancel all of the timers", "stop everything now",
    "cancel the timer",   "halt all active actions",
};

TEST(SpeakerAdaptation, EachSoundMovedTowardsTheSpeakersOwnHearsMoreThanTheTransformAlone) {
  TempDir dir;
  IntentSamples samples = commands();
  for (const char* command : kHardCommands) samples.intents[command] = {command};
  auto trigrams = [&](const char* file, double map_prior) {
    auto o = options(dir / file, map_prior);
    o.intent_language_model = true;
    return o;
  };
  PocketsphinxStt transformed(trigrams("transform.txt", 0));
  PocketsphinxStt moved(trigrams("moved.txt", AdaptationOptions{}.map_prior_frames));
  for (auto* stt : {&transformed, &moved}) {
    stt->set_intents(samples);
    for (const auto& sentence : enrollment_sentences()) stt->adapt(said(sentence), sentence);
  }
  auto by_transform = heard_exactly(transformed, kHardCommands),
       by_moving = heard_exactly(moved, kHardCommands);
  // 6 of 8 against 3 when written.
  EXPECT_GE(by_moving, by_transform + 2) << "by the transform alone " << by_transform;
}

TEST(SpeakerAdaptation, WhatWasLearntIsKeptAcrossRestarts) {
  TempDir dir;
  auto file = dir / "listener" / "adaptation.txt";
  auto command = said("set a timer for ten minutes");
  double adapted_score = 0;
  {
    PocketsphinxStt stt(options(file));
    stt.set_intents(commands());
    for (const auto& sentence : enrollment_sentences()) stt.adapt(said(sentence), sentence);
    adapted_score = stt.transcribe(command).score_per_frame;
  }
  ASSERT_TRUE(std::filesystem::exists(file));
  PocketsphinxStt restarted(options(file));
  restarted.set_intents(commands());
  EXPECT_NEAR(restarted.transcribe(command).score_per_frame, adapted_score, 0.01);

  PocketsphinxStt unadapted(options(dir / "none.txt"));
  unadapted.set_intents(commands());
  EXPECT_LT(unadapted.transcribe(command).score_per_frame, adapted_score - 0.5);
}

TEST(SpeakerAdaptation, AnEngineAboutToBeReplacedSavesWhatItLearntForTheNextOne) {
  TempDir dir;
  auto file = dir / "adaptation.txt";
  PocketsphinxStt running(options(file));
  running.set_intents(commands());
  // The first is saved at once, the second not within the minute.
  ASSERT_TRUE(running.adapt(said(enrollment_sentences()[0]), enrollment_sentences()[0]));
  ASSERT_TRUE(running.adapt(said(enrollment_sentences()[1]), enrollment_sentences()[1]));
  SpeakerAdaptation saved(kAcousticModel);
  saved.load(file);
  const auto first = saved.frames();

  running.save_adaptation();
  saved.load(file);
  EXPECT_GT(saved.frames(), first + 100);
}

// The first hit of the spotter in `audio`, fed in blocks.
std::optional<WakeWordHit> first_hit(WakeWordSpotter& spotter,
                                     const std::vector<std::int16_t>& audio) {
  spotter.reset();
  for (std::size_t at = 0; at < audio.size(); at += 1024) {
    auto end = std::min<std::size_t>(at + 1024, audio.size());
    if (auto hit = spotter.feed({audio.data() + at, end - at})) return hit;
  }
  return std::nullopt;
}

TEST(SpeakerAdaptation, ACommandIsLearntFromAndTheSpotterHearsWithTheModelAsInstalled) {
  TempDir dir;
  const DecoderOptions decoder{.extra_words = {{"mycroft", "M AY K R AO F T"}}};
  const WakeWordOptions wake{.phrase = "hey mycroft"};
  auto wake_word = join({silence(0.3), speech("hey mycroft"), silence(0.5)});
  WakeWordSpotter installed(wake, decoder);
  auto expected = first_hit(installed, wake_word);
  ASSERT_TRUE(expected);

  auto shared = std::make_shared<SharedDecoder>(decoder);
  WakeWordSpotter spotter(wake, shared);
  auto options_adapted = options(dir / "adaptation.txt");
  options_adapted.decoder = decoder;
  {
    PocketsphinxStt stt(options_adapted, shared);
    stt.set_intents(commands());
    for (const auto& sentence : enrollment_sentences()) stt.adapt(said(sentence), sentence);
    auto command = said("what is the date");
    stt.begin_following();
    stt.follow(command);
    auto transcript = stt.transcribe(command);
    EXPECT_EQ(transcript.text, "what is the date");
    stt.end_command(command, transcript);
  }
  // Saved when the engine is destroyed (at most once a minute before).
  SpeakerAdaptation learnt(kAcousticModel);
  learnt.load(dir / "adaptation.txt");
  EXPECT_GT(learnt.frames(), 1000u);

  auto hit = first_hit(spotter, wake_word);
  ASSERT_TRUE(hit);
  EXPECT_NEAR(hit->check_gap, expected->check_gap, 1e-6);
  EXPECT_EQ(hit->check_heard, expected->check_heard);
}

TEST(SpeakerAdaptation, ABrokenFileIsNamedWithItsLineAndTheListenerLearnsAfresh) {
  TempDir dir;
  auto file = dir / "adaptation.txt";
  write_file(file, "hark speaker adaptation statistics 1\nframes 12\n1 2 3\n");
  SpeakerAdaptation adaptation(kAcousticModel);
  try {
    adaptation.load(file);
    FAIL() << "loaded";
  } catch (const DecoderError& e) {
    EXPECT_THAT(e.what(), HasSubstr(file.string() + ":3: a row of numbers cut short"));
  }
  write_file(file, "something else\n");
  EXPECT_THROW(adaptation.load(file), DecoderError);

  // The engine starts with the model as it is, and learns again into the same file.
  PocketsphinxStt stt(options(file));
  stt.set_intents(commands());
  EXPECT_TRUE(stt.adapt(said("the children played with a ball in the garden"),
                        "the children played with a ball in the garden"));
  SpeakerAdaptation reloaded(kAcousticModel);
  reloaded.load(file);
  EXPECT_GT(reloaded.frames(), 100u);
}

// The statistics `adaptation` saves, as text.
std::string saved(const SpeakerAdaptation& adaptation, const std::filesystem::path& file) {
  adaptation.save(file);
  std::ifstream in(file);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(SpeakerAdaptation, AFileWrittenBeforeTheDensitiesWereKeptStillLoads) {
  TempDir dir;
  SpeakerAdaptation learnt(kAcousticModel);
  ASSERT_TRUE(learnt.add(said("stop"), {"S", "T", "AA", "P"}));
  auto text = saved(learnt, dir / "adaptation.txt");
  // As hark wrote it before: version 1, the transform's statistics alone.
  text = text.substr(0, text.find("densities "));
  text.replace(text.find("statistics 2"), 12, "statistics 1");
  write_file(dir / "before.txt", text);
  SpeakerAdaptation loaded(kAcousticModel);
  loaded.load(dir / "before.txt");
  EXPECT_EQ(loaded.frames(), learnt.frames());
  EXPECT_FALSE(loaded.adapted(1000, 5).installed());
}

TEST(SpeakerAdaptation, ADamagedDensityIsNamedWithItsLine) {
  TempDir dir;
  SpeakerAdaptation learnt(kAcousticModel);
  ASSERT_TRUE(learnt.add(said("stop"), {"S", "T", "AA", "P"}));
  auto text = saved(learnt, dir / "adaptation.txt");
  // Line 43: the first density, after the header, the frames, 39 rows and the densities' count.
  auto first = text.find('\n', text.find("densities ")) + 1;
  write_file(dir / "damaged.txt",
             text.substr(0, first) + "999 0 0 1" + text.substr(text.find('\n', first)));
  SpeakerAdaptation loaded(kAcousticModel);
  try {
    loaded.load(dir / "damaged.txt");
    FAIL() << "loaded";
  } catch (const DecoderError& e) {
    EXPECT_THAT(e.what(), HasSubstr("damaged.txt:43: expected 'codebook stream density"));
  }
  EXPECT_EQ(loaded.frames(), 0u);
}

TEST(SpeakerAdaptation, LearnsNothingFromPhonesTheModelLacksOrTooShortARecording) {
  SpeakerAdaptation adaptation(kAcousticModel);
  EXPECT_FALSE(adaptation.add(said("stop"), {"S", "T", "XX", "P"}));
  EXPECT_FALSE(adaptation.add(silence(0.05), {"S", "T", "AA", "P"}));
  EXPECT_EQ(adaptation.frames(), 0u);
  // With nothing learnt, the model stays as installed.
  EXPECT_TRUE(adaptation.adapted(1000, 5).installed());
  EXPECT_TRUE(adaptation.add(said("stop"), {"S", "T", "AA", "P"}));
  EXPECT_GT(adaptation.frames(), 10u);
}

TEST(SpeakerAdaptation, AModelFolderWithoutTheModelIsNamed) {
  TempDir dir;
  try {
    SpeakerAdaptation adaptation(dir.path());
    FAIL() << "made";
  } catch (const DecoderError& e) {
    EXPECT_THAT(e.what(), HasSubstr(dir.path().string()));
  }
}

// A copy of the model with `damaged` cut to its first `keep` bytes.
void copy_model_cutting(const std::filesystem::path& to, const char* damaged, std::size_t keep) {
  for (const char* part : {"feat.params", "mdef", "means", "variances", "sendump"}) {
    std::filesystem::copy_file(kAcousticModel / part, to / part);
    if (std::string_view(part) == damaged) std::filesystem::resize_file(to / part, keep);
  }
}

TEST(SpeakerAdaptation, ADamagedModelFileIsNamed) {
  for (auto [part, keep] :
       {std::pair{"mdef", 1100}, std::pair{"mdef", 2000000}, std::pair{"means", 60},
        std::pair{"means", 4000}, std::pair{"sendump", 700}, std::pair{"sendump", 100000}}) {
    TempDir dir;
    copy_model_cutting(dir.path(), part, static_cast<std::size_t>(keep));
    try {
      SpeakerAdaptation adaptation(dir.path());
      ADD_FAILURE() << part << " cut to " << keep << " bytes was read";
    } catch (const DecoderError& e) {
      EXPECT_THAT(e.what(), HasSubstr((dir / part).string())) << keep;
    }
  }
}

}  // namespace
}  // namespace hark::listener
