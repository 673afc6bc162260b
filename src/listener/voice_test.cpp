// The pocketsphinx engines on speech espeak-ng synthesizes at test time.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <limits>

#include "config/test_support.h"
#include "listener/settings.h"
#include "listener/stt.h"
#include "listener/test_speech.h"
#include "listener/wake_word.h"

namespace hark::listener {
namespace {

using testing::flite_speech;
using ::testing::HasSubstr;
using testing::join;
using testing::quiet_room;
using testing::said_another_time;
using testing::silence;
using testing::speech;

const DecoderOptions kDecoder{.extra_words = {{"mycroft", "M AY K R AO F T"}}};

// Feeds `audio` in blocks; the spotter's hits, each with where in `audio` its wake word ended.
std::vector<std::pair<std::size_t, WakeWordHit>> hits(
    WakeWordSpotter& spotter, const std::vector<std::int16_t>& audio,
    WakeWordSpotter::Saying saying = WakeWordSpotter::Saying::unprompted) {
  std::vector<std::pair<std::size_t, WakeWordHit>> found;
  for (std::size_t at = 0; at < audio.size(); at += 1024) {
    std::span<const std::int16_t> block(audio.data() + at,
                                        std::min<std::size_t>(1024, audio.size() - at));
    if (auto hit = spotter.feed(block, saying))
      found.emplace_back(at + block.size() - hit->after, *hit);
  }
  return found;
}

std::vector<std::size_t> wakes(WakeWordSpotter& spotter, const std::vector<std::int16_t>& audio) {
  std::vector<std::size_t> found;
  for (const auto& [end, hit] : hits(spotter, audio)) found.push_back(end);
  return found;
}

// Seconds into `audio` where its sound ends (its last 10 ms frame above a tenth of the loudest):
// espeak-ng ends a phrase with more or less silence, depending on what it said before.
double end_of_sound(const std::vector<std::int16_t>& audio) {
  return static_cast<double>(sound_bounds(audio).second) / kSampleRate;
}

TEST(WakeWord, SpotsHeyMycroftAndSaysWhereTheCommandStarts) {
  WakeWordSpotter spotter({.phrase = "hey mycroft", .threshold = 1e-50}, kDecoder);
  EXPECT_EQ(spotter.options().spotted(), "mycroft");
  // en-us+m3: a voice whose "mycroft" is spotted at 1e-50 (bench/voice_bench).
  auto wake = join({silence(0.5), speech("hey mycroft", "en-us+m3")});
  auto audio = join({wake, silence(0.3), speech("what time is it"), silence(1)});
  auto found = wakes(spotter, audio);
  ASSERT_EQ(found.size(), 1u);
  // Where the word ends, within 10 frames: the command is recorded from there.
  EXPECT_NEAR(static_cast<double>(found[0]) / kSampleRate, end_of_sound(wake), 0.1);
}

TEST(WakeWord, SaysWhereTheCommandStartsAfterEveryWake) {
  WakeWordSpotter spotter({.phrase = "hey mycroft", .threshold = 1e-50}, kDecoder);
  auto wake = join({silence(2), speech("hey mycroft", "en-us+m3")});
  auto audio = join({wake, silence(0.3), speech("what time is it"), silence(1)});
  auto found = wakes(spotter, join({audio, audio}));
  ASSERT_EQ(found.size(), 2u);
  // Within 0.15 s: the search ends "mycroft" up to 0.12 s early at times.
  for (auto at : {found[0], found[1] - audio.size()}) {
    EXPECT_NEAR(static_cast<double>(at) / kSampleRate, end_of_sound(wake), 0.15);
  }
}

TEST(WakeWord, WakesAfterAReset) {
  WakeWordSpotter spotter({.phrase = "hey mycroft", .threshold = 1e-50}, kDecoder);
  auto wake = join({silence(0.5), speech("hey mycroft", "en-us+m3"), silence(0.5)});
  ASSERT_EQ(wakes(spotter, wake).size(), 1u);
  // A microphone muted while the wake word is said: the spotter forgets the half it heard.
  std::vector<std::int16_t> half(wake.begin(),
                                 wake.begin() + static_cast<std::ptrdiff_t>(wake.size() / 2));
  EXPECT_THAT(wakes(spotter, half), ::testing::IsEmpty());
  spotter.reset();
  EXPECT_EQ(wakes(spotter, wake).size(), 1u);
}

TEST(WakeWord, StaysAsleepForOtherSpeech) {
  WakeWordSpotter spotter(WakeWordOptions{}, kDecoder);
  auto audio = join({speech("what time is it"), silence(0.5), speech("set a timer for ten minutes"),
                     silence(0.5), speech("hello there how are you")});
  EXPECT_THAT(wakes(spotter, audio), ::testing::IsEmpty());
}

TEST(WakeWord, HearsTheWakeWordAfterALongQuiet) {
  // A quiet room (white noise about 60 dB below full scale): the spotter hears it far longer
  // than anyone speaks, and must not come to take its sound for the mean of speech.
  WakeWordSpotter spotter({}, kDecoder);
  auto command = speech("hey mycroft, what time is it", "en-us+m3");
  std::size_t woke = 0;
  for (unsigned i = 0; i < 3; ++i)
    woke += !hits(spotter, join({quiet_room(20, i), command, quiet_room(0.5, 100 + i)})).empty();
  EXPECT_EQ(woke, 3u);
}

// About 10 s of flite's awb: what the spotter's live cepstral mean takes to come to the voice.
std::vector<std::int16_t> awb_talking_a_while() {
  return flite_speech(
      "we walked along the river to the old stone bridge and back again before the rain came. "
      "then we sat by the fire and read the letters that had come that morning",
      "awb");
}

TEST(WakeWord, SpotsAVoiceTheModelFitsPoorlySaidDifferentlyEachTime) {
  // flite's awb, a Scottish voice: mid-word its "mycroft" scores far below the best path, and a
  // beam no wider than the threshold pruned it before its end (bench/README.md).
  WakeWordSpotter spotter(WakeWordOptions{}, kDecoder);
  // The spotter's live cepstral mean comes to the voice first (in about 10 s of its speech): a
  // fresh one misses its first wake words.
  ASSERT_THAT(hits(spotter, awb_talking_a_while()), ::testing::IsEmpty());
  auto wake = flite_speech("hey mycroft", "awb");
  auto command = flite_speech("what time is it", "awb");
  std::size_t said = 0, woke = 0;
  for (double tempo : {0.88, 0.94, 1.0, 1.06, 1.12}) {
    for (double cents : {0.0, 80.0}) {
      woke += hits(spotter, join({silence(0.3), said_another_time(wake, tempo, cents), silence(0.3),
                                  command, silence(0.5)}))
                  .size();
      ++said;
    }
  }
  EXPECT_EQ(woke, said);
}

TEST(WakeWord, StartedFromTheMeanAnotherSpotterCameToItHearsAPoorlyFitVoiceAtOnce) {
  const auto wake =
      join({silence(0.3), flite_speech("hey mycroft, what time is it", "awb"), silence(0.5)});
  WakeWordSpotter fresh(WakeWordOptions{}, kDecoder);
  ASSERT_THAT(hits(fresh, wake), ::testing::IsEmpty()) << "a fresh spotter hears awb at once";
  WakeWordSpotter listening(WakeWordOptions{}, kDecoder);
  hits(listening, awb_talking_a_while());
  // What the listener keeps of it across a restart: the mean alone.
  WakeWordSpotter next(WakeWordOptions{}, kDecoder);
  next.start_from(Decoder::Normalization::of_mean(listening.normalization().estimate()));
  EXPECT_EQ(hits(next, wake).size(), 1u);
}

TEST(WakeWord, WhatSoundsLikeMycroftWithoutHeyBeforeItDoesNotWake) {
  auto near_misses = join({silence(0.3), speech("my craft"), silence(0.5),
                           speech("I bought my kraft dinner", "en-us+m3"), silence(0.5)});
  // The spotted word alone, at the default threshold, wakes for them.
  WakeWordSpotter without_hey({.lead_threshold = 0}, kDecoder);
  ASSERT_THAT(wakes(without_hey, near_misses), ::testing::Not(::testing::IsEmpty()));
  WakeWordSpotter spotter(WakeWordOptions{}, kDecoder);
  EXPECT_THAT(wakes(spotter, near_misses), ::testing::IsEmpty());
}

TEST(WakeWord, TheLeadingWordsAreThoseBeforeTheSpottedOnes) {
  using Words = std::vector<std::string>;
  EXPECT_EQ(WakeWordOptions{}.leading(), Words{"hey"});
  EXPECT_EQ(WakeWordOptions{.phrase = "ok hey mycroft"}.leading(), (Words{"ok", "hey"}));
  EXPECT_EQ(WakeWordOptions{.spot = "hey mycroft"}.leading(), Words{});
  EXPECT_EQ(WakeWordOptions{.spot = "computer"}.leading(), Words{});
}

TEST(WakeWordSettings, ALeadThresholdPocketsphinxCannotUseIsNamed) {
  auto problems = [](double lead) {
    return validate(Json{{"listener", {{"wake_word_lead_threshold", lead}}}});
  };
  EXPECT_THAT(
      problems(1e-120),
      ::testing::Contains(HasSubstr("listener.wake_word_lead_threshold: 1e-120 is neither 0")));
  EXPECT_THAT(problems(2), ::testing::Contains(HasSubstr("listener.wake_word_lead_threshold")));
  EXPECT_THAT(problems(0), ::testing::IsEmpty());
  EXPECT_THAT(problems(1e-20), ::testing::IsEmpty());
}

TEST(WakeCheck, WordsSoundLikePartOfThePhraseWithinOneEditInFourPhones) {
  constexpr std::string_view kPhrase = "HH EY M AY K R AO F T";
  EXPECT_TRUE(sounds_like_part_of("M AY K", kPhrase));                // mike
  EXPECT_TRUE(sounds_like_part_of("K R AE F T", kPhrase));            // craft
  EXPECT_TRUE(sounds_like_part_of("M AY K R OW S AO F T", kPhrase));  // microsoft
  EXPECT_FALSE(sounds_like_part_of("M", kPhrase));                    // too short to tell
  EXPECT_FALSE(sounds_like_part_of("HH IY", kPhrase));                // he
  EXPECT_FALSE(sounds_like_part_of("K AH M P Y UW T ER", kPhrase));   // computer
}

// Hits of the first stage alone, with what the check made of them.
std::vector<WakeWordHit> hits(const std::vector<std::int16_t>& audio) {
  WakeWordSpotter spotter({.max_check_gap = std::numeric_limits<double>::infinity()}, kDecoder);
  std::vector<WakeWordHit> found;
  for (std::size_t at = 0; at < audio.size(); at += 1024) {
    std::span<const std::int16_t> block(audio.data() + at,
                                        std::min<std::size_t>(1024, audio.size() - at));
    if (auto hit = spotter.feed(block)) found.push_back(*hit);
  }
  return found;
}

TEST(WakeCheck, AcceptsHeyMycroft) {
  const std::vector<std::int16_t> wakes[] = {speech("hey mycroft", "en-us+m3"),
                                             flite_speech("hey mycroft", "slt"),
                                             flite_speech("hey mycroft", "rms")};
  for (const auto& wake : wakes) {
    auto found =
        hits(join({silence(0.3), wake, silence(0.3), speech("what time is it"), silence(0.5)}));
    ASSERT_EQ(found.size(), 1u);
    EXPECT_LE(found[0].check_gap, WakeWordOptions{}.max_check_gap) << found[0].check_heard;
  }
}

TEST(WakeCheck, RejectsWhatOnlySoundsLikeIt) {
  // The first stage takes it for the wake word. Not "hey microsoft": the check lets most voices'
  // through (flite rms's, the one nearest to rejected, scored -2.2 and -3.5 after other speech).
  auto found =
      hits(join({silence(0.3), flite_speech("hey my car is outside", "rms"), silence(0.5)}));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_GT(found[0].check_gap, WakeWordOptions{}.max_check_gap) << found[0].check_heard;
}

// Recordings of the wake word by voices the tests below never listen to.
std::vector<std::vector<std::int16_t>> templates() {
  return {speech("hey mycroft", "en-us+m1"), speech("hey mycroft", "en-us+f1"),
          speech("hey mycroft", "en+m4")};
}

TEST(WakeWord, TemplatesLetAPermissiveSpotterWakeOnlyForTheWakeWord) {
  // At 1e-60 the first stage alone also takes "hey microsoft" for the wake word.
  auto near_miss = join({silence(0.3), speech("hey microsoft", "en-us+m3"), silence(0.5)});
  WakeWordSpotter permissive({.phrase = "hey mycroft", .threshold = 1e-60}, kDecoder);
  ASSERT_EQ(wakes(permissive, near_miss).size(), 1u);

  WakeWordSpotter checked({.phrase = "hey mycroft", .threshold = 1e-60, .templates = templates()},
                          kDecoder);
  EXPECT_THAT(wakes(checked, near_miss), ::testing::IsEmpty());
  auto wake = join({silence(0.3), speech("hey mycroft", "en-us+m3")});
  auto found = wakes(checked, join({wake, silence(0.3), speech("what time is it"), silence(1)}));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NEAR(static_cast<double>(found[0]) / kSampleRate, end_of_sound(wake), 0.1);
}

// What the listener does after each command it understood: learns the wake word before it
// ("hey mycroft, <command>" said in one breath by `voice`). Returns how many were learnt.
std::size_t learn_wake_words(WakeWordSpotter& spotter, const char* voice,
                             std::initializer_list<std::string> commands) {
  std::size_t learnt = 0;
  for (const auto& command : commands) {
    auto said = join({silence(0.3), speech("hey mycroft, " + command, voice), silence(0.5)});
    for (const auto& [end, hit] : hits(spotter, said)) learnt += spotter.learn(hit.wake_word);
  }
  spotter.reset();
  return learnt;
}

// The first stage alone (no check), so that only the wake words learnt keep anything out.
const WakeWordOptions kFirstStageAndLearnt{.check = false};

TEST(WakeWord, WakeWordsLearntKeepOutWhatOnlySoundsLikeThem) {
  WakeWordSpotter spotter(kFirstStageAndLearnt, kDecoder);
  auto near_miss = join({silence(0.3), speech("hey microsoft", "en-us+m3"), silence(0.5)});
  ASSERT_THAT(wakes(spotter, near_miss), ::testing::Not(::testing::IsEmpty()));
  spotter.reset();
  // Two are not enough to judge by: they do not count yet.
  ASSERT_EQ(learn_wake_words(spotter, "en-us+m3", {"what time is it", "what is the date"}), 2u);
  ASSERT_THAT(wakes(spotter, near_miss), ::testing::Not(::testing::IsEmpty()));
  spotter.reset();
  ASSERT_EQ(learn_wake_words(spotter, "en-us+m3", {"set a timer for five minutes"}), 1u);
  EXPECT_EQ(spotter.learned(), 3u);

  EXPECT_THAT(wakes(spotter, near_miss), ::testing::IsEmpty());
  spotter.reset();
  // The wake word said on its own, not in one breath with a command as it was learnt.
  auto wake = join({silence(0.3), speech("hey mycroft", "en-us+m3")});
  auto found = hits(spotter, join({wake, silence(0.3), speech("what time is it"), silence(1)}));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_LE(found[0].second.learned_distance, WakeWordOptions{}.max_learned_distance);
  EXPECT_FALSE(found[0].second.repeated);
  // What learn() takes is the wake phrase: "hey" to "mycroft", not the command after it.
  EXPECT_NEAR(static_cast<double>(found[0].second.wake_word.size()) / kSampleRate,
              static_cast<double>(trim_silence(wake).size()) / kSampleRate, 0.2);
}

// en-us+m3's wake word learnt from 3 commands: the household's one voice.
void learn_the_household(WakeWordSpotter& spotter) {
  ASSERT_EQ(
      learn_wake_words(spotter, "en-us+m3",
                       {"what time is it", "what is the date", "set a timer for ten minutes"}),
      3u);
}

// "hey mycroft" by another synthesizer's voice: as far from en-us+m3's as another person.
std::vector<std::int16_t> a_stranger_says_the_wake_word() {
  return join({silence(0.3), flite_speech("hey mycroft", "slt"), silence(1)});
}

TEST(WakeWord, AVoiceNotLearntGetsThroughBySayingTheWakeWordAgain) {
  WakeWordSpotter spotter(kFirstStageAndLearnt, kDecoder);
  ASSERT_NO_FATAL_FAILURE(learn_the_household(spotter));
  auto once = a_stranger_says_the_wake_word();
  EXPECT_THAT(wakes(spotter, once), ::testing::IsEmpty());
  // Said again after more than WakeWordSpotter::kRepeatSeconds: refused again.
  EXPECT_THAT(wakes(spotter, join({silence(WakeWordSpotter::kRepeatSeconds), once})),
              ::testing::IsEmpty());
  // Within kRepeatSeconds of another hit, but one that sounds unlike it ("hey microsoft", which
  // the first stage takes for the wake word): refused.
  auto near_miss = join({speech("hey microsoft", "en-us+m3"), silence(0.5)});
  EXPECT_THAT(wakes(spotter, join({near_miss, once})), ::testing::IsEmpty());
  // Said again at once: heard, and so when said a little faster and higher the second time (the
  // same audio played 1/16 faster), as no one says it twice alike.
  auto again = hits(spotter, once);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_TRUE(again[0].second.repeated);
  EXPECT_GT(again[0].second.learned_distance, WakeWordOptions{}.max_learned_distance);
  auto faster = resample_to_16k(once, kSampleRate * 17 / 16);
  auto said_differently = hits(spotter, join({once, faster}));
  ASSERT_EQ(said_differently.size(), 1u);
  EXPECT_TRUE(said_differently[0].second.repeated);

  // Learnt (as the listener does once its command is understood), it is heard the first time.
  ASSERT_TRUE(spotter.learn(again[0].second.wake_word));
  spotter.reset();
  auto now = hits(spotter, once);
  ASSERT_EQ(now.size(), 1u);
  EXPECT_FALSE(now[0].second.repeated);
}

// A near miss the first stage takes for the wake word, followed within kRepeatSeconds by another
// of the same voice that begins alike: the two sound alike on the whole ("hey mike..."), but not
// throughout, as the wake word said again does. A voice the household's learnt wake words do not
// know says them, as on voice_bench, where such pairs woke the listener as said again.
TEST(WakeWord, TwoNearMissesThatBeginAlikeAreNotTheWakeWordSaidAgain) {
  auto mike = join({silence(0.3), speech("hey mike how are you", "en-us"), silence(0.5)});
  auto microwave = join({speech("hey microwave the soup", "en-us"), silence(0.5)});
  WakeWordSpotter first_stage(WakeWordOptions{.check = false, .max_learned = 0}, kDecoder);
  auto heard_mike = hits(first_stage, mike);
  ASSERT_EQ(heard_mike.size(), 1u);
  first_stage.reset();
  auto heard_microwave = hits(first_stage, microwave);
  ASSERT_EQ(heard_microwave.size(), 1u);
  Decoder front_end(kDecoder);
  auto match =
      said_again_match(front_end, heard_mike[0].second.wake_word, heard_microwave[0].second);
  EXPECT_LE(match.distance, WakeWordOptions{}.max_learned_distance) << match.peak;
  EXPECT_GT(match.peak, kMaxSaidAgainPeak);

  WakeWordSpotter spotter(kFirstStageAndLearnt, kDecoder);
  ASSERT_NO_FATAL_FAILURE(learn_the_household(spotter));
  EXPECT_THAT(wakes(spotter, join({mike, microwave})), ::testing::IsEmpty());
}

// listener.wake_word_said_again false: only the voices learnt wake it, however often another says
// it.
TEST(WakeWord, WithoutSaidAgainAVoiceNotLearntNeverWakesIt) {
  auto options = kFirstStageAndLearnt;
  options.let_in_said_again = false;
  WakeWordSpotter spotter(options, kDecoder);
  ASSERT_NO_FATAL_FAILURE(learn_the_household(spotter));
  auto once = a_stranger_says_the_wake_word();
  EXPECT_THAT(wakes(spotter, join({once, once, once})), ::testing::IsEmpty());
  auto learnt_voice =
      join({silence(0.3), speech("hey mycroft, what time is it", "en-us+m3"), silence(1)});
  EXPECT_THAT(wakes(spotter, learnt_voice), ::testing::SizeIs(1));
}

// Enrolling (`hark enroll`), a voice the learnt wake words do not know says the wake word when
// asked, once per prompt: heard the first time, so that it can be learnt.
TEST(WakeWord, AVoiceNotLearntIsHeardWhenAskedToSayTheWakeWord) {
  WakeWordSpotter spotter(kFirstStageAndLearnt, kDecoder);
  ASSERT_NO_FATAL_FAILURE(learn_the_household(spotter));
  auto once = a_stranger_says_the_wake_word();
  EXPECT_THAT(wakes(spotter, once), ::testing::IsEmpty());
  spotter.reset();
  auto heard = hits(spotter, once, WakeWordSpotter::Saying::prompted);
  ASSERT_EQ(heard.size(), 1u);
  EXPECT_FALSE(heard[0].second.repeated);
  EXPECT_GT(heard[0].second.learned_distance, WakeWordOptions{}.max_learned_distance);
}

TEST(WakeWord, LearnsNoneWhenToldToKeepNone) {
  WakeWordSpotter spotter({.check = false, .max_learned = 0}, kDecoder);
  EXPECT_EQ(learn_wake_words(spotter, "en-us+m3", {"what time is it"}), 0u);
  EXPECT_EQ(spotter.learned(), 0u);
}

TEST(WakeWord, ATemplateWithoutSoundIsRefused) {
  try {
    WakeWordSpotter spotter({.phrase = "hey mycroft", .templates = {silence(1)}}, kDecoder);
    FAIL() << "accepted a silent recording";
  } catch (const DecoderError& e) {
    EXPECT_THAT(e.what(), HasSubstr("listener.wake_word_templates: recording 1"));
  }
}

TEST(WakeWord, AWordTheDictionaryLacksIsNamed) {
  try {
    WakeWordSpotter spotter({.phrase = "hey zorblax"}, DecoderOptions{});
    FAIL() << "accepted a word without pronunciation";
  } catch (const DecoderError& e) {
    EXPECT_THAT(e.what(), HasSubstr("'zorblax' is not in the dictionary"));
    EXPECT_THAT(e.what(), HasSubstr("listener.extra_words"));
  }
}

TEST(Decoder, RefusesBadPhonesAndAMissingModel) {
  try {
    Decoder decoder({.extra_words = {{"mycroft", "M AY QQ"}}});
    FAIL() << "accepted phones that do not exist";
  } catch (const DecoderError& e) {
    EXPECT_THAT(e.what(), HasSubstr("listener.extra_words.mycroft"));
  }
  try {
    Decoder decoder({.model_dir = "/nonexistent/model"});
    FAIL() << "loaded a model from nowhere";
  } catch (const DecoderError& e) {
    EXPECT_THAT(e.what(), HasSubstr("listener.model_dir: /nonexistent/model has no en-us"));
  }
}

TEST(Decoder, KnowsTheExtraWordsAndTheWordsItLearnt) {
  Decoder decoder(kDecoder);
  EXPECT_TRUE(decoder.knows("mycroft"));
  // Not the 135,000 words of cmudict-en-us.dict until asked for them.
  EXPECT_FALSE(decoder.knows("time"));
  decoder.learn({"time", "zorblax"});
  EXPECT_TRUE(decoder.knows("time"));
  EXPECT_FALSE(decoder.knows("zorblax"));
  EXPECT_TRUE(decoder.knows("mycroft"));
}

TEST(Decoder, TheSpottersDetectionsCountFramesFromTheUtterancesStart) {
  Decoder decoder(kDecoder);
  decoder.set_keyphrases("spot", std::vector<Keyphrase>{{"mycroft", 1e-50}}, Pruning::wide);
  decoder.use("spot");
  // Speech, a pause, and the wake word: pocketsphinx's voice activity detection counted the
  // frames from the start of the last speech plus those of all the speech before, 1 s too late.
  // And it counted the frames of every utterance since the decoder's first.
  auto before = join({silence(0.5), speech("what time is it"), silence(1)});
  auto wake = speech("hey mycroft", "en-us+m3");
  for (int utterance = 0; utterance < 2; ++utterance) {
    decoder.start();
    decoder.process(join({before, wake, silence(0.5)}));
    auto found = decoder.detections();
    ASSERT_FALSE(found.empty());
    // Within 0.2 s: the search ends "mycroft" up to 0.1 s early at times.
    for (const auto& detection : found) {
      EXPECT_NEAR(
          detection.end_frame,
          static_cast<double>(before.size()) / Decoder::kFrameSamples + end_of_sound(wake) * 100,
          20);
    }
  }
}

IntentSamples builtin_like() {
  return {
      .intents = {{"date-time.hark:time.intent",
                   {"what (time is it|is the time)", "[tell me] [what] [is] the [current] time"}},
                  {"date-time.hark:date.intent", {"what is (the date|todays date)"}},
                  {"timer.hark:start.intent", {"(set|start) a timer (for|of) {duration}"}},
                  {"stop.hark:stop.intent", {"stop"}}}};
}

TEST(Stt, TheIntentGrammarRecognizesKnownCommandsExactly) {
  PocketsphinxStt stt({.decoder = kDecoder, .intent_language_model = false});
  auto grammar = stt.set_intents(builtin_like());
  EXPECT_GT(grammar.sentences, 5u);
  // "what time is it" alone is sometimes heard as "what the time" (a sentence of the same
  // intent) when run in a process of its own; voice_bench counts such cases.
  for (const char* command : {"what is the date", "stop"}) {
    auto t = stt.transcribe(join({silence(0.2), speech(command), silence(0.5)}));
    EXPECT_EQ(t.text, command);
    EXPECT_EQ(t.search, "intents") << command << " scored " << t.score_per_frame;
  }
  // espeak-ng's "minutes" comes out as "minute" (the timer skill reads both).
  auto timer =
      stt.transcribe(join({silence(0.2), speech("set a timer for ten minutes"), silence(0.5)}));
  EXPECT_THAT(timer.text, ::testing::StartsWith("set a timer for ten minute"));
}

TEST(Stt, TheIntentsLanguageModelHearsWordsNoSentenceHas) {
  PocketsphinxStt stt({.decoder = kDecoder});
  stt.set_intents(builtin_like());
  // "please" is in no sentence: the exact grammar cannot hear it, the trigram model can.
  // flite's slt, the voice the model fits best (bench/README.md).
  auto pcm = audio::make_flite_engine("slt")->synthesize("please set a timer for ten minutes");
  auto t = stt.transcribe(
      join({silence(0.2), resample_to_16k(pcm.samples, pcm.sample_rate), silence(0.5)}));
  EXPECT_EQ(t.text, "please set a timer for ten minutes");
  EXPECT_EQ(t.search, "intents");
}

// Feeds `audio` to `stt` as the listener does while a command is said: in blocks that do not line
// up with the decoder's pieces, the whole recording so far each time.
Transcript followed(PocketsphinxStt& stt, const std::vector<std::int16_t>& audio) {
  constexpr std::size_t kBlock = 700;
  std::vector<std::int16_t> recording;
  stt.begin_following();
  for (std::size_t at = 0; at < audio.size(); at += kBlock) {
    recording.insert(
        recording.end(), audio.begin() + static_cast<std::ptrdiff_t>(at),
        audio.begin() + static_cast<std::ptrdiff_t>(std::min(audio.size(), at + kBlock)));
    stt.follow(recording);
  }
  return stt.transcribe(recording);
}

TEST(Stt, FollowingARecordingHearsWhatDecodingItWholeDoes) {
  // Two decoders with the same history: pocketsphinx carries each utterance's cepstral mean
  // over to the next.
  PocketsphinxStt whole({.decoder = kDecoder});
  PocketsphinxStt streamed({.decoder = kDecoder});
  whole.set_intents(builtin_like());
  streamed.set_intents(builtin_like());
  for (const char* command : {"what is the date", "set a timer for ten minutes", "stop"}) {
    auto audio = join({silence(0.2), speech(command), silence(0.5)});
    auto expected = whole.transcribe(audio);
    auto t = followed(streamed, audio);
    EXPECT_EQ(t.text, expected.text) << command;
    EXPECT_EQ(t.search, "intents");
    EXPECT_DOUBLE_EQ(t.score_per_frame, expected.score_per_frame) << command;
  }
}

TEST(Stt, TheFitOfAFollowedRecordingIsTheFitOfItDecodedWhole) {
  // The phone loop follows the recording too, so that the fit costs only its last pieces at the
  // command's end. Neither result is one of the intents' sentences, so both are checked, and
  // each phone loop has the same history.
  PocketsphinxStt whole({.decoder = kDecoder, .min_fit = -1000});
  PocketsphinxStt streamed({.decoder = kDecoder, .min_fit = -1000});
  whole.set_intents(builtin_like());
  streamed.set_intents(builtin_like());
  for (const char* command : {"please set a timer for ten minutes", "what is the date please"}) {
    auto audio = join({silence(0.2), flite_speech(command, "slt"), silence(0.5)});
    auto expected = whole.transcribe(audio);
    auto t = followed(streamed, audio);
    EXPECT_EQ(t.text, expected.text) << command;
    EXPECT_NE(expected.fit, 0) << command;
    EXPECT_DOUBLE_EQ(t.fit, expected.fit) << command;
  }
}

TEST(Stt, NewIntentsWhileFollowingAreUsedForTheWholeRecording) {
  PocketsphinxStt stt({.decoder = kDecoder, .intent_language_model = false});
  stt.set_intents({.intents = {{"stop.hark:stop.intent", {"stop"}}}});
  auto audio = join({silence(0.2), speech("what is the date"), silence(0.5)});
  std::vector<std::int16_t> first_half(audio.begin(), audio.begin() + audio.size() / 2);
  stt.begin_following();
  stt.follow(first_half);
  // Skills loaded while the command is said: the grammar that knows the date is the one used.
  stt.set_intents(builtin_like());
  stt.follow(audio);
  EXPECT_EQ(stt.transcribe(audio).text, "what is the date");
}

TEST(Stt, SaysWhenTheWordsSoFarEndAsASentenceEnds) {
  PocketsphinxStt stt({.decoder = kDecoder});
  stt.set_intents(builtin_like());
  auto ends_a_sentence = [&](const char* said) {
    stt.begin_following();
    stt.follow(join({silence(0.2), speech(said), silence(0.3)}));
    return stt.heard_a_sentence_end();
  };
  EXPECT_TRUE(ends_a_sentence("what is the date"));
  // A pause here is not the end of the command.
  EXPECT_FALSE(ends_a_sentence("set a timer for"));
}

TEST(Stt, DecodingAPauseToItsEndKeepsTheResultOrGoesOnFollowing) {
  // What is decoded, not whether it fits: espeak-ng's default voice fits the model poorly, and
  // "stop set a timer for ten minutes" (no sentence, so checked) scored -8.2 or above -7
  // depending on what libespeak-ng said before in the process.
  PocketsphinxStt whole({.decoder = kDecoder, .min_fit = std::nullopt});
  PocketsphinxStt streamed({.decoder = kDecoder, .min_fit = std::nullopt});
  whole.set_intents(builtin_like());
  streamed.set_intents(builtin_like());
  auto finished = join({silence(0.2), speech("what is the time"), silence(0.3)});
  auto expected = whole.transcribe(finished);
  streamed.begin_following();
  streamed.follow(finished);
  EXPECT_TRUE(streamed.finished_a_sentence(finished));
  EXPECT_EQ(streamed.transcribe(finished).text, expected.text);

  // A pause in the middle: not a sentence's end, so the rest is followed and heard too.
  auto first = join({silence(0.2), speech("set a timer for"), silence(0.3)});
  auto command = join({first, speech("ten minutes"), silence(0.5)});
  expected = whole.transcribe(command);
  streamed.begin_following();
  streamed.follow(first);
  EXPECT_FALSE(streamed.finished_a_sentence(first));
  streamed.follow(command);
  EXPECT_EQ(streamed.transcribe(command).text, expected.text);
  EXPECT_EQ(expected.text, "set a timer for ten minutes");

  // A pause after a sentence of its own, and the speaker goes on: all of it is heard.
  auto stop = join({silence(0.2), speech("stop"), silence(0.3)});
  command = join({stop, speech("set a timer for ten minutes"), silence(0.5)});
  expected = whole.transcribe(command);
  streamed.begin_following();
  streamed.follow(stop);
  EXPECT_TRUE(streamed.finished_a_sentence(stop));
  streamed.go_on_following(stop);
  streamed.follow(command);
  EXPECT_EQ(streamed.transcribe(command).text, expected.text);
  EXPECT_THAT(expected.text, ::testing::HasSubstr("set a timer for ten minute"));

  // Past 6 s the recording is not decoded again: the pause waits for silence_end.
  auto late = join({silence(6.2), speech("what is the date"), silence(0.3)});
  streamed.begin_following();
  streamed.follow(late);
  EXPECT_FALSE(streamed.finished_a_sentence(late));
  EXPECT_EQ(streamed.transcribe(late).text, "what is the date");
}

// The listener's engines: one decoder for the spotter and the speech to text.
TEST(SharedDecoder, TheSpeechToTextHearsWhatADecoderOfItsOwnHears) {
  auto shared = std::make_shared<SharedDecoder>(kDecoder);
  WakeWordSpotter spotter(WakeWordOptions{}, shared);
  PocketsphinxStt stt({.decoder = kDecoder}, shared);
  PocketsphinxStt alone({.decoder = kDecoder});
  stt.set_intents(builtin_like());
  alone.set_intents(builtin_like());
  for (const char* command : {"what is the date", "set a timer for ten minutes", "stop"}) {
    // The room the spotter hears between commands, which the commands' decoding must not adapt
    // to.
    EXPECT_THAT(wakes(spotter, join({silence(2), speech("hello there how are you"), silence(1)})),
                ::testing::IsEmpty());
    auto audio = join({silence(0.2), speech(command), silence(0.5)});
    auto expected = alone.transcribe(audio);
    auto t = followed(stt, audio);
    EXPECT_EQ(t.text, expected.text) << command;
    // Not equal: pocketsphinx's noise estimate, which has no interface to keep one per stream,
    // follows all the audio the decoder is given.
    EXPECT_NEAR(t.score_per_frame, expected.score_per_frame, 0.5) << command;
    spotter.reset();
  }
}

TEST(SharedDecoder, TheSpotterWakesAfterNewIntentsEndedItsUtterance) {
  auto shared = std::make_shared<SharedDecoder>(kDecoder);
  WakeWordSpotter spotter(WakeWordOptions{}, shared);
  PocketsphinxStt stt({.decoder = kDecoder, .intent_language_model = false}, shared);
  EXPECT_THAT(wakes(spotter, join({silence(0.5), speech("hello there")})), ::testing::IsEmpty());
  // Skills loaded while the spotter listens: the decoder learns their words, which ends the
  // utterance the spotter was in.
  stt.set_intents(builtin_like());
  auto wake = join({silence(0.5), speech("hey mycroft", "en-us+m3"), silence(0.5)});
  EXPECT_EQ(wakes(spotter, wake).size(), 1u);
  EXPECT_EQ(stt.transcribe(join({silence(0.2), speech("what is the date"), silence(0.5)})).text,
            "what is the date");
}

TEST(Stt, MeasuresTheFitOnlyWhenItChecksIt) {
  auto command = join({silence(0.2), speech("what is the date"), silence(0.5)});
  PocketsphinxStt unchecked(
      {.decoder = kDecoder, .intent_language_model = false, .min_fit = std::nullopt});
  unchecked.set_intents(builtin_like());
  auto t = unchecked.transcribe(command);
  EXPECT_EQ(t.text, "what is the date");
  EXPECT_EQ(t.fit, 0);
  PocketsphinxStt checked({.decoder = kDecoder, .intent_language_model = false, .min_fit = -500});
  checked.set_intents(builtin_like());
  t = checked.transcribe(command);
  EXPECT_EQ(t.text, "what is the date");
  EXPECT_NE(t.fit, 0);
  EXPECT_GT(t.fit, -500);
}

TEST(Stt, TheFitCheckTakesLessTimeThanTheCommandLasts) {
  // The phone loop of every triphone took 5-20 s for a 2 s command on the loaded 2-core machine
  // (bench/README.md); the listener answers within 0.4 s of the command's end.
  // "please" makes it no sentence of the intents', which would be kept without the check.
  auto command =
      join({silence(0.2), flite_speech("please set a timer for ten minutes", "slt"), silence(0.5)});
  PocketsphinxStt checked({.decoder = kDecoder, .min_fit = -1000});
  checked.set_intents(builtin_like());
  auto started = std::chrono::steady_clock::now();
  auto t = checked.transcribe(command);
  std::chrono::duration<double> spent = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(t.text, "please set a timer for ten minutes");
  EXPECT_NE(t.fit, 0);
  EXPECT_LT(spent.count(), static_cast<double>(command.size()) / kSampleRate);
}

TEST(Stt, DropsWhatFitsTheSoundWorseThanPhonesWouldByDefault) {
  // flite's slt, a voice the model fits as it fits people (bench/README.md): a request no intent
  // expects, forced onto the intents' words, fits far below the default cut (-12 here).
  const double min_fit = PocketsphinxSttOptions{}.min_fit.value_or(-1000);
  PocketsphinxStt stt({.decoder = kDecoder});
  stt.set_intents(builtin_like());
  auto command =
      stt.transcribe(join({silence(0.2), flite_speech("what is the date", "slt"), silence(0.5)}));
  EXPECT_EQ(command.text, "what is the date");
  auto other = stt.transcribe(
      join({silence(0.2), flite_speech("play some music by the beatles", "slt"), silence(0.5)}));
  EXPECT_EQ(other.text, "") << "fit " << other.fit;
  EXPECT_NE(other.dropped, "");
  EXPECT_LT(other.fit, min_fit);
  EXPECT_EQ(other.search, "intents");
}

TEST(Stt, KeepsOneOfTheIntentsSentencesWhateverItsFit) {
  // A cut every result is below: only the intents' sentences, heard word for word by the trigram
  // model, pass it.
  PocketsphinxStt stt({.decoder = kDecoder, .min_fit = 100});
  stt.set_intents(builtin_like());
  auto sentence =
      stt.transcribe(join({silence(0.2), flite_speech("what is the date", "slt"), silence(0.5)}));
  EXPECT_EQ(sentence.text, "what is the date");
  EXPECT_EQ(sentence.fit, 0);  // not measured: no phone loop to wait for
  // "please" is in no sentence.
  auto other = stt.transcribe(join(
      {silence(0.2), flite_speech("please set a timer for ten minutes", "slt"), silence(0.5)}));
  EXPECT_EQ(other.text, "");
  EXPECT_EQ(other.dropped, "please set a timer for ten minutes");
}

TEST(Stt, SpeechNoIntentExpectsGoesToTheLanguageModel) {
  // The grammar's best try at this request scores about -40 per frame, the default cut: run
  // after some of the other tests in one process it came out at -39.4 and stayed in the
  // grammar. A cut well above it keeps the test about where such speech goes, whatever ran before.
  PocketsphinxStt stt({.decoder = kDecoder,
                       .intent_language_model = false,
                       .min_grammar_score = -30,
                       .lm_fallback = true});
  stt.set_intents(builtin_like());
  auto t = stt.transcribe(
      join({silence(0.2), speech("tell me a joke about cats and dogs"), silence(0.5)}));
  EXPECT_EQ(t.search, "lm") << t.text << " scored " << t.score_per_frame;
  EXPECT_NE(t.text, "");
}

TEST(Stt, WithoutIntentsTheLanguageModelAnswers) {
  PocketsphinxStt stt({.decoder = kDecoder});
  auto t = stt.transcribe(join({silence(0.2), speech("what time is it"), silence(0.5)}));
  EXPECT_EQ(t.search, "lm");
  // In words of the whole dictionary, although the decoder had learnt none: "what i" today.
  EXPECT_THAT(t.text, ::testing::StartsWith("what"));
}

// The model as an image that leaves out the 27 MB general language model has it.
class WithoutGeneralModel : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::filesystem::path full = DecoderOptions{}.model_dir;
    for (auto part : {"en-us", "cmudict-en-us.dict", "en-us-phone.lm.bin"})
      std::filesystem::create_symlink(full / part, dir_.path() / part);
    decoder_.model_dir = dir_.path();
  }
  config::fixtures::TempDir dir_;
  DecoderOptions decoder_ = kDecoder;
};

TEST_F(WithoutGeneralModel, CommandsAreHeardThroughTheIntentsModel) {
  PocketsphinxStt stt({.decoder = decoder_, .intent_language_model = false});
  auto silent = stt.transcribe(join({silence(0.2), speech("what time is it"), silence(0.5)}));
  EXPECT_EQ(silent.search, "none");
  EXPECT_EQ(silent.text, "");
  stt.set_intents(builtin_like());
  auto t = stt.transcribe(join({silence(0.2), speech("what is the date"), silence(0.5)}));
  EXPECT_EQ(t.search, "intents");
  EXPECT_EQ(t.text, "what is the date");
}

TEST_F(WithoutGeneralModel, AskingForTheFallbackIsAClearError) {
  try {
    PocketsphinxStt stt({.decoder = decoder_, .lm_fallback = true});
    FAIL() << "accepted lm_fallback without the general model";
  } catch (const DecoderError& e) {
    EXPECT_THAT(e.what(), HasSubstr("listener.lm_fallback: " + dir_.path().string() +
                                    " has no en-us.lm.bin"));
  }
}

}  // namespace
}  // namespace hark::listener
