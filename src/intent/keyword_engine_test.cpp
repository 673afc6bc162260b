// The keyword engine alone, with small made-up skills: each case names the Adapt behaviour it
// pins.
#include "intent/keyword_engine.h"

#include <gtest/gtest.h>

#include <cmath>

#include <string>
#include <vector>

namespace hark::intent {
namespace {

constexpr const char* kLang = "en-us";

// An alarm skill in the shape ovos-workshop registers: munged types used as attributes.
class KeywordEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    vocab("alarmAlarm", {"alarm", "alarms"});
    vocab("alarmCreate", {"set", "create", "make"});
    vocab("alarmCancel", {"cancel", "delete"});
    vocab("alarmWeekdays", {"every weekday", "weekdays"});
    vocab("alarmTime", {"time"});
    engine.register_vocab(kLang, "alarmCreate", "schedule", "set");
    ASSERT_FALSE(
        engine.register_intent(kLang, {.name = "alarm:CreateAlarm",
                                       .required = {typed("alarmAlarm"), typed("alarmCreate")},
                                       .optional = {typed("alarmWeekdays")},
                                       .excludes = {"alarmCancel"}}));
    ASSERT_FALSE(engine.register_intent(kLang, {.name = "alarm:CancelAlarm",
                                                .required = {typed("alarmCancel")},
                                                .at_least_one = {{"alarmAlarm", "alarmTime"}}}));
  }

  void vocab(const std::string& type, const std::vector<std::string>& phrases) {
    for (const auto& phrase : phrases) engine.register_vocab(kLang, type, phrase);
  }
  static std::pair<std::string, std::string> typed(const std::string& type) { return {type, type}; }

  std::string best(const std::string& utterance) const {
    const auto found = engine.match(utterance, kLang);
    return found.empty() ? "" : found.front().intent_name;
  }

  KeywordEngine engine;
};

TEST_F(KeywordEngineTest, CliticsSplitOffAsAdaptsTokenizerDoes) {
  engine.register_vocab(kLang, "alarmCreate", "what's");
  // "don't" is "do" "n't": "do" is no keyword, yet the words around it still tag.
  EXPECT_EQ(best("don't forget to set an alarm"), "alarm:CreateAlarm");
  // A phrase with a clitic matches the same words in the utterance.
  const auto found = engine.match("what's my alarm", kLang);
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found[0].data["alarmCreate"], "what's");
}

TEST_F(KeywordEngineTest, EnglishPhrasalVerbsAreTheVerbTheyMean) {
  EXPECT_EQ(best("turn off my alarm"), "alarm:CancelAlarm");
  EXPECT_EQ(best("switch the alarm off"), "alarm:CancelAlarm");
  EXPECT_EQ(best("turn on my alarm"), "");
}

TEST_F(KeywordEngineTest, EnglishStemsAndSynonymsTagTheirVocabularyWord) {
  // "setting" is "set" by its stem, "remove" "delete" by the lexicon; both keep the
  // vocabulary's canonical value.
  const auto created = engine.match("setting an alarm", kLang);
  ASSERT_FALSE(created.empty());
  EXPECT_EQ(created[0].intent_name, "alarm:CreateAlarm");
  EXPECT_EQ(created[0].data["alarmCreate"], "set");
  EXPECT_EQ(best("remove the alarm"), "alarm:CancelAlarm");
  EXPECT_EQ(best("kill the alarm"), "alarm:CancelAlarm");
  EXPECT_EQ(best("scrap the alarm"), "alarm:CancelAlarm");
  // Only in English.
  vocab("alarmAlarm", {"wecker"});
  EXPECT_TRUE(engine.match("remove the alarm", "de-de").empty());
}

TEST(KeywordEngineSynonyms, ASynonymTagsTheWordThatIsAPhraseOfItsOwn) {
  // "thank you" registered first: "cheers" is "thanks", not the "thank" that needs a "you".
  KeywordEngine engine;
  engine.register_vocab(kLang, "ThankYou", "thank you");
  engine.register_vocab(kLang, "ThankYou", "thanks");
  ASSERT_FALSE(
      engine.register_intent(kLang, {.name = "hello:Thanks", .required = {{"ThankYou", "t"}}}));
  const auto found = engine.match("cheers", kLang);
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found[0].intent_name, "hello:Thanks");
  EXPECT_EQ(found[0].data["t"], "thanks");
}

TEST_F(KeywordEngineTest, RequiredKeywordsGiveAdaptsCoverageConfidence) {
  const auto found = engine.match("Set an ALARM", kLang);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].intent_name, "alarm:CreateAlarm");
  EXPECT_EQ(found[0].skill_id, "alarm");
  EXPECT_DOUBLE_EQ(found[0].confidence, 8.0 / 12.0);  // "set" + "alarm" of 12 characters
  EXPECT_EQ(found[0].required_matched, 2u);
  EXPECT_EQ(found[0].data["intent_type"], "alarm:CreateAlarm");
  EXPECT_EQ(found[0].data["alarmAlarm"], "alarm");
  EXPECT_EQ(found[0].data["alarmCreate"], "set");
  EXPECT_TRUE(found[0].data["target"].is_null());
  ASSERT_EQ(found[0].data["__tags__"].size(), 2u);
  const auto& tag = found[0].data["__tags__"][0];
  EXPECT_EQ(tag["key"], "alarm");
  EXPECT_EQ(tag["start_token"], 2);
  EXPECT_EQ(tag["end_token"], 2);
  EXPECT_EQ(tag["entities"][0]["data"][0], Json::array({"alarm", "alarmAlarm"}));
}

TEST_F(KeywordEngineTest, MissingRequiredKeywordDoesNotMatch) {
  EXPECT_EQ(best("set the table for dinner"), "");
  EXPECT_EQ(best("the alarm is loud"), "");
  EXPECT_EQ(best("the alarmist made a settlement"), "");  // word boundaries
}

// A test skill in the shape of a speed test: a verb and a phrase of content words, both
// required.
class KeywordEngineSpeedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const auto* verb : {"run", "perform", "start"})
      engine.register_vocab(kLang, "netRun", verb);
    for (const auto* phrase : {"internet speed test", "speed test"})
      engine.register_vocab(kLang, "netSpeedtest", phrase);
    ASSERT_FALSE(engine.register_intent(
        kLang, {.name = "net:Speedtest",
                .required = {{"netRun", "netRun"}, {"netSpeedtest", "netSpeedtest"}}}));
  }
  std::string best(const std::string& utterance) const {
    const auto found = engine.match(utterance, kLang);
    return found.empty() ? "" : found.front().intent_name;
  }
  double confidence(const std::string& utterance) const {
    const auto found = engine.match(utterance, kLang);
    return found.empty() ? 0.0 : found.front().confidence;
  }
  KeywordEngine engine;
};

TEST_F(KeywordEngineSpeedTest, ALeftOutVerbAnswersWeaklyWhenNothingElseIsSaid) {
  EXPECT_NEAR(confidence("run a speed test"), 13.0 / 16, 1e-9);  // Adapt's, untouched
  // The verb left out: the one intent that wants "speed test" answers, in adapt_low's band.
  EXPECT_EQ(best("can you do a speed test"), "net:Speedtest");
  EXPECT_GT(confidence("can you do a speed test"), 0.25);
  EXPECT_LT(confidence("can you do a speed test"), 0.45);
  // Not when the rest names something the intent does not take.
  EXPECT_EQ(best("the speed test on the highway was a disaster"), "");
  EXPECT_EQ(best("run the dishwasher"), "");
  // Nor in a question: it asks about the thing, it commands nothing.
  EXPECT_EQ(best("was there a speed test"), "");
  EXPECT_EQ(best("what speed test"), "");
  // Not in another language: Adapt's semantics there.
  engine.register_vocab("de-de", "netSpeedtest", "speed test");
  ASSERT_FALSE(engine.register_intent(
      "de-de", {.name = "net:Speedtest",
                .required = {{"netRun", "netRun"}, {"netSpeedtest", "netSpeedtest"}}}));
  EXPECT_TRUE(engine.match("speed test", "de-de").empty());
}

TEST_F(KeywordEngineSpeedTest, ALeftOutKeywordIsNoGuessBetweenIntents) {
  engine.register_vocab(kLang, "netCancel", "cancel");
  ASSERT_FALSE(engine.register_intent(
      kLang, {.name = "net:CancelTest",
              .required = {{"netCancel", "netCancel"}, {"netSpeedtest", "netSpeedtest"}}}));
  // Run it or cancel it? Both lack one keyword: neither answers.
  EXPECT_EQ(best("speed test please"), "");
  EXPECT_EQ(best("cancel the speed test"), "net:CancelTest");
  // An intent that requires the keyword said is about it; one that takes any of several
  // things is not: the first answers.
  engine.register_vocab(kLang, "netAlarm", "alarm");
  engine.register_vocab(kLang, "netList", "list");
  ASSERT_FALSE(engine.register_intent(kLang, {.name = "net:ListThings",
                                              .required = {{"netList", "netList"}},
                                              .at_least_one = {{"netSpeedtest", "netAlarm"}}}));
  ASSERT_FALSE(engine.register_intent(
      kLang, {.name = "net:CancelTest", .required = {{"netCancel", "netCancel"}}}));
  EXPECT_EQ(best("speed test please"), "net:Speedtest");
}

TEST_F(KeywordEngineSpeedTest, ALeftOutKeywordNeedsASubjectSaidAsTheVocabularyHasIt) {
  // Another skill's intent whose kept keyword names nothing ("read") is no rival guess.
  engine.register_vocab(kLang, "listQuery", "read");
  engine.register_vocab(kLang, "listList", "list");
  ASSERT_FALSE(engine.register_intent(
      kLang,
      {.name = "list:Query", .required = {{"listQuery", "listQuery"}, {"listList", "listList"}}}));
  EXPECT_EQ(best("read me my speed test"), "net:Speedtest");
  EXPECT_EQ(best("check the speed test"), "net:Speedtest");  // "check": a common verb
  EXPECT_EQ(best("put on a speed test"), "net:Speedtest");
  // A stem standing in for the vocabulary's word ("timers" for "timer") is no ground for a
  // guess; the word as the vocabulary has it is.
  engine.register_vocab(kLang, "netTimer", "timer");
  engine.register_vocab(kLang, "netCreate", "set");
  ASSERT_FALSE(engine.register_intent(
      kLang,
      {.name = "net:Timer", .required = {{"netCreate", "netCreate"}, {"netTimer", "netTimer"}}}));
  EXPECT_EQ(best("timer for ten minutes"), "net:Timer");
  EXPECT_EQ(best("timer for an hour and a half"), "net:Timer");
  EXPECT_EQ(best("what is 15 timers"), "");
  // A synonym of the lexicon keeps its sense: "countdown" is the timer.
  EXPECT_EQ(best("countdown ten minutes"), "net:Timer");
}

TEST_F(KeywordEngineSpeedTest, APhraseOfContentWordsMatchesRunTogetherOrReordered) {
  EXPECT_EQ(best("run a speedtest"), "net:Speedtest");
  EXPECT_EQ(best("run the internet speed test"), "net:Speedtest");
  EXPECT_EQ(best("test my internet speed"), "net:Speedtest");  // no verb either
  EXPECT_EQ(best("run a test of the speed"), "net:Speedtest");
  // Too far apart, it is no longer the phrase.
  EXPECT_EQ(best("run a test then tell me the car's top speed"), "");
}

TEST(KeywordEnginePhrases, APhraseOfFunctionWordsKeepsItsOrder) {
  KeywordEngine engine;
  engine.register_vocab(kLang, "qQuery", "what is my");
  engine.register_vocab(kLang, "qList", "list");
  ASSERT_FALSE(engine.register_intent(
      kLang, {.name = "q:QueryList", .required = {{"qQuery", "qQuery"}, {"qList", "qList"}}}));
  EXPECT_EQ(engine.match("what is my list", kLang).size(), 1u);
  // "my", "is" and "what" in another order are no query, and without the query keyword the
  // rest says something of its own ("used").
  EXPECT_TRUE(engine.match("my list is not what it used to be", kLang).empty());
}

TEST_F(KeywordEngineTest, AliasGivesItsCanonicalValue) {
  const auto found = engine.match("schedule an alarm", kLang);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].data["alarmCreate"], "set");
}

TEST_F(KeywordEngineTest, RegisteringAgainAddsNothing) {
  vocab("alarmAlarm", {"alarm"});
  const auto found = engine.match("set an alarm", kLang);
  ASSERT_EQ(found.size(), 1u);
  const auto& alarm = found[0].data["__tags__"][0];  // tags in the order the intent took them
  ASSERT_EQ(alarm["key"], "alarm");
  EXPECT_EQ(alarm["entities"][0]["data"].size(), 1u);
}

TEST_F(KeywordEngineTest, OptionalKeywordRaisesConfidenceAndIsReported) {
  const auto plain = engine.match("set an alarm for mondays", kLang);
  const auto with = engine.match("set an alarm every weekday", kLang);
  ASSERT_EQ(plain.size(), 1u);
  ASSERT_EQ(with.size(), 1u);
  EXPECT_FALSE(plain[0].data.contains("alarmWeekdays"));
  EXPECT_EQ(with[0].data["alarmWeekdays"], "every weekday");  // a phrase of two words
  EXPECT_GT(with[0].confidence, plain[0].confidence);
}

TEST_F(KeywordEngineTest, ExcludedKeywordRejects) {
  EXPECT_EQ(best("cancel the alarm"), "alarm:CancelAlarm");
  EXPECT_EQ(engine.match("cancel and set an alarm", kLang, 5).size(), 1u);
}

TEST_F(KeywordEngineTest, OneOfNeedsOneTypeOfTheGroup) {
  EXPECT_EQ(best("cancel"), "");
  const auto found = engine.match("delete the time", kLang);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].data["alarmTime"], "time");
  EXPECT_FALSE(found[0].data.contains("alarmAlarm"));
}

TEST_F(KeywordEngineTest, LongestOverlappingPhraseWins) {
  engine.register_vocab(kLang, "alarmMorning", "weekday morning");
  ASSERT_FALSE(engine.register_intent(
      kLang, {.name = "alarm:Morning", .required = {typed("alarmMorning")}}));
  // "every weekday" and "weekday morning" overlap; each intent keeps the phrase it uses.
  const auto found = engine.match("set an alarm every weekday morning", kLang, 5);
  ASSERT_EQ(found.size(), 2u);
  const auto& create = found[0].intent_name == "alarm:CreateAlarm" ? found[0] : found[1];
  EXPECT_EQ(create.data["alarmWeekdays"], "every weekday");
  engine.register_vocab(kLang, "alarmAlarm", "alarm every weekday");
  EXPECT_EQ(engine.match("set an alarm every weekday", kLang)[0].data["alarmAlarm"],
            "alarm every weekday");
}

TEST_F(KeywordEngineTest, UnusedKeywordsLowerConfidence) {
  const auto tight = engine.match("set alarm", kLang);
  // "time" first: a command's payload would score otherwise (below).
  const auto diluted = engine.match("time set alarm", kLang);
  ASSERT_EQ(tight.size(), 1u);
  ASSERT_EQ(diluted.size(), 1u);
  EXPECT_DOUBLE_EQ(tight[0].confidence, 8.0 / 9.0);
  EXPECT_DOUBLE_EQ(diluted[0].confidence, 2.0 / 3.0 * 12.0 / 14.0);
}

TEST_F(KeywordEngineTest, CommandWithAPayloadScoresTheRootOfAdaptsConfidence) {
  const auto confidence = [&](const char* utterance) {
    const auto found = engine.match(utterance, kLang);
    EXPECT_EQ(found.size(), 1u) << utterance;
    return found.empty() ? -1.0 : found[0].confidence;
  };
  // Opened by its keywords after filler, with words no keyword covers ("water", "plants"):
  // Adapt's coverage alone, 8 of 39 characters, would keep it under the low band (0.25).
  EXPECT_DOUBLE_EQ(confidence("please set an alarm to water the plants"), std::sqrt(8.0 / 39.0));
  // However long what it takes, at least the low band's 0.3.
  EXPECT_DOUBLE_EQ(confidence("set an alarm to take the chicken out of the freezer and water the "
                              "plants in the garden before the guests arrive"),
                   0.3);
  // Keywords of filler words before it open nothing ("can you" of another intent).
  engine.register_vocab(kLang, "alarmTime", "can you");
  EXPECT_DOUBLE_EQ(confidence("can you set an alarm to water the plants"),
                   std::sqrt(2.0 / 3.0 * 15.0 / 40.0));
  // Adapt's where the utterance does not open with a keyword the intent needs: another word
  // first, an article first, an optional keyword first, a question's word, or a keyword that is
  // filler itself.
  EXPECT_DOUBLE_EQ(confidence("i said set an alarm to water the plants"), 8.0 / 39.0);
  EXPECT_DOUBLE_EQ(confidence("the alarm was set to water the plants"), 8.0 / 37.0);
  EXPECT_DOUBLE_EQ(confidence("weekdays set an alarm to water plants"), 16.0 / 37.0);
  engine.register_vocab(kLang, "alarmAlarm", "which alarm");
  engine.register_vocab(kLang, "alarmCreate", "tell me");
  EXPECT_DOUBLE_EQ(confidence("which alarm did i set for the plants"), 14.0 / 36.0);
  EXPECT_DOUBLE_EQ(confidence("tell me about the alarm for the plants"), 12.0 / 38.0);
}

// A question that says every keyword its intent requires and nothing else of its own answers at
// least in the low band, however little of it the keywords cover.
TEST(KeywordEngineQuestions, SayingOnlyTheirKeywordsAnswerAtLeastInTheLowBand) {
  KeywordEngine engine;
  engine.register_vocab(kLang, "volumeVolume", "volume");
  ASSERT_FALSE(engine.register_intent(
      kLang, {.name = "volume:current", .required = {{"volumeVolume", "volumeVolume"}}}));
  const auto asked = engine.match("what is your volume now", kLang);
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_DOUBLE_EQ(asked[0].confidence, 0.3);
  // Words of its own ("tank") leave it Adapt's confidence.
  const auto other = engine.match("what is the volume of the tank now", kLang);
  ASSERT_EQ(other.size(), 1u);
  EXPECT_LT(other[0].confidence, 0.25);
}

TEST_F(KeywordEngineTest, SayingWhenCountsAsARegexEntityWould) {
  const auto confidence = [&](const char* utterance) {
    const auto found = engine.match(utterance, kLang);
    return found.empty() ? -1.0 : found[0].confidence;
  };
  // "at 3 pm" (7 of 32 characters) counts at a regex's confidence, beside "set" and "alarm" (8):
  // a command is not weaker for saying when.
  EXPECT_DOUBLE_EQ(confidence("set an alarm at 3 pm for the cat"),
                   std::sqrt((8.0 + 0.5 * 7.0) / 32.0));
  EXPECT_DOUBLE_EQ(confidence("set an alarm for the cat"), std::sqrt(8.0 / 24.0));
  // Not in another language.
  engine.register_vocab("de-de", "alarmCreate", "set");
  engine.register_vocab("de-de", "alarmAlarm", "alarm");
  ASSERT_FALSE(engine.register_intent(
      "de-de", {.name = "alarm:Create", .required = {{"alarmCreate", "c"}, {"alarmAlarm", "a"}}}));
  const auto german = engine.match("set alarm at 3 pm", "de-de");
  ASSERT_EQ(german.size(), 1u);
  EXPECT_DOUBLE_EQ(german[0].confidence, 8.0 / 17.0);
}

TEST_F(KeywordEngineSpeedTest, ALeftOutKeywordIsForgivenBesideWhen) {
  engine.register_vocab(kLang, "netTimer", "timer");
  engine.register_vocab(kLang, "netCreate", "set");
  ASSERT_FALSE(engine.register_intent(
      kLang,
      {.name = "net:Timer", .required = {{"netCreate", "netCreate"}, {"netTimer", "netTimer"}}}));
  // "for noon on saturday" says when, as "for ten minutes" says how long.
  EXPECT_EQ(best("timer for noon on saturday"), "net:Timer");
  EXPECT_EQ(best("timer at half past six tomorrow morning"), "net:Timer");
  EXPECT_EQ(best("timer for the cat on saturday"), "");  // "cat": a thing of its own
}

TEST_F(KeywordEngineTest, RegexGroupsBecomeEntitiesAtHalfConfidence) {
  ASSERT_FALSE(engine.register_regex(kLang, R"(\bcalled (?P<alarmName>\w+))"));
  ASSERT_FALSE(engine.register_intent(
      kLang, {.name = "alarm:Named", .required = {typed("alarmAlarm"), typed("alarmName")}}));
  // "my" first: no command with a payload (above), so Adapt's confidence.
  const auto found = engine.match("my alarm called wakey", kLang);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].intent_name, "alarm:Named");
  EXPECT_EQ(found[0].data["alarmName"], "wakey");
  EXPECT_DOUBLE_EQ(found[0].confidence, 1.5 / 2.0 * (5.0 + 0.5 * 5.0) / 21.0);
  EXPECT_TRUE(engine.register_regex(kLang, "(?P<broken"));
}

TEST_F(KeywordEngineTest, TiesGoToMoreRequiredThenRegistrationOrder) {
  ASSERT_FALSE(
      engine.register_intent(kLang, {.name = "other:Alarm", .required = {typed("alarmAlarm")}}));
  ASSERT_FALSE(
      engine.register_intent(kLang, {.name = "other:AlarmToo", .required = {typed("alarmAlarm")}}));
  const auto found = engine.match("alarm", kLang, 5);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].intent_name, "other:Alarm");
  EXPECT_EQ(found[1].intent_name, "other:AlarmToo");
  EXPECT_EQ(found[0].skill_id, "other");
}

// Two intents each take two of three keywords: the same confidence, as many required. The one
// whose keywords say more of the utterance wins, though registered later.
TEST(KeywordEngineTies, ThenMoreCharactersOfTheirOwnKeywords) {
  KeywordEngine engine;
  engine.register_vocab(kLang, "issWho", "people");
  engine.register_vocab(kLang, "issHowMany", "how many");
  engine.register_vocab(kLang, "issStation", "moon base");
  ASSERT_FALSE(engine.register_intent(
      kLang,
      {.name = "iss:Who", .required = {{"issWho", "issWho"}, {"issStation", "issStation"}}}));
  ASSERT_FALSE(engine.register_intent(
      kLang, {.name = "iss:HowMany",
              .required = {{"issHowMany", "issHowMany"}, {"issStation", "issStation"}}}));
  const auto found = engine.match("how many people are in the moon base", kLang, 2);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_DOUBLE_EQ(found[0].confidence, found[1].confidence);
  EXPECT_EQ(found[0].intent_name, "iss:HowMany");
  EXPECT_EQ(found[0].keyword_chars, 17u);
}

TEST_F(KeywordEngineTest, DetachByIntentAndBySkill) {
  EXPECT_TRUE(engine.detach_intent("alarm:CancelAlarm"));
  EXPECT_FALSE(engine.detach_intent("alarm:CancelAlarm"));
  EXPECT_EQ(best("cancel the alarm"), "");
  EXPECT_EQ(engine.detach_skill("alarm"), 1u);
  EXPECT_TRUE(engine.intent_names(kLang).empty());
  // Its vocabulary went too: a new intent over the same types finds nothing.
  ASSERT_FALSE(
      engine.register_intent(kLang, {.name = "again:A", .required = {typed("alarmAlarm")}}));
  EXPECT_EQ(best("alarm"), "");
}

TEST_F(KeywordEngineTest, LanguagesAreSeparate) {
  EXPECT_TRUE(engine.match("set an alarm", "de-de").empty());
  EXPECT_EQ(engine.match("set an alarm", "EN-US").size(), 1u);
}

TEST_F(KeywordEngineTest, FiftyWordsAreNotMatched) {
  std::string utterance = "set an alarm";
  for (int i = 0; i < 46; ++i) utterance += " now";
  EXPECT_EQ(best(utterance), "alarm:CreateAlarm");  // 49 words
  EXPECT_EQ(best(utterance + " now"), "");
}

TEST(KeywordEngineContext, RememberedKeywordFillsWhatTheUtteranceLacks) {
  KeywordEngine engine;
  engine.register_vocab(kLang, "wWeather", "weather");
  engine.register_vocab(kLang, "wWhen", "tomorrow");
  engine.register_vocab(kLang, "wLocation", "paris");
  ASSERT_FALSE(
      engine.register_intent(kLang, {.name = "w:Forecast",
                                     .required = {{"wWeather", "wWeather"}, {"wWhen", "wWhen"}},
                                     .optional = {{"wLocation", "wLocation"}}}));
  EXPECT_TRUE(engine.match("how about tomorrow", kLang).empty());

  const ContextEntity context[] = {{"wWeather", "weather"}, {"wLocation", "paris"}};
  const auto found = engine.match("how about tomorrow", kLang, 1, context);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].data["wWeather"], "weather");
  EXPECT_EQ(found[0].data["wLocation"], "paris");
  bool from_context = false;
  for (const auto& tag : found[0].data["__tags__"]) from_context |= tag["from_context"].get<bool>();
  EXPECT_TRUE(from_context);
  // What the utterance says wins over the context.
  const ContextEntity london[] = {{"wLocation", "london"}};
  const auto spoken = engine.match("weather in paris tomorrow", kLang, 1, london);
  ASSERT_EQ(spoken.size(), 1u);
  EXPECT_EQ(spoken[0].data["wLocation"], "paris");
  // Context of a type no intent knows changes nothing.
  const ContextEntity unknown[] = {{"nobodyKnows", "x"}};
  EXPECT_TRUE(engine.match("how about tomorrow", kLang, 1, unknown).empty());
}

TEST(KeywordEngineMessages, BusDataRegisters) {
  KeywordEngine engine;
  EXPECT_FALSE(engine.register_vocab_message(
      {{"entity_value", "Weather"}, {"entity_type", "wWeather"}, {"lang", "en-us"}}, "en-us"));
  EXPECT_FALSE(engine.register_vocab_message(
      {{"entity_value", "forecast"}, {"entity_type", "wWeather"}, {"alias_of", "Weather"}},
      "en-us"));
  EXPECT_FALSE(engine.register_vocab_message({{"start", "rain"}, {"end", "wRain"}}, "en-us"));
  EXPECT_FALSE(engine.register_vocab_message({{"regex", "in (?P<wLocation>.+)$"}}, "en-us"));
  EXPECT_TRUE(engine.register_vocab_message({{"entity_value", "x"}}, "en-us"));
  EXPECT_FALSE(engine.register_intent_message(
      Json::parse(R"({"name": "w:Current", "requires": [["wWeather", "wWeather"]],
                      "at_least_one": [["wRain", "wLocation"]], "optional": [], "excludes": []})"),
      "en-us"));
  EXPECT_TRUE(engine.register_intent_message({{"name", "w:Bad"}, {"requires", "x"}}, "en-us"));
  EXPECT_TRUE(engine.register_intent_message({{"name", "w:Empty"}}, "en-us"));

  const auto found = engine.match("forecast in Lisbon", "en-us");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].data["wWeather"], "Weather");
  EXPECT_EQ(found[0].data["wLocation"], "lisbon");
}

}  // namespace
}  // namespace hark::intent
