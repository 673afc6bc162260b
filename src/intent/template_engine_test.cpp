#include "intent/template_engine.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "intent/ovos_fixtures.h"

namespace hark::intent {
namespace {

namespace fs = std::filesystem;

const fs::path kFixtures = HARK_OVOS_SKILLS_DIR;

using Lines = std::vector<std::string>;

class TemplateEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    add("clock:what.time.is.it.intent",
        {"what time is it [now]", "(what's|what is) the time [in {location}]", "tell me the time"});
    add("clock:current_date.intent", {"what is the date [today]", "what's today's date"});
    add("jokes:joke.intent", {"tell me a joke", "make me laugh"});
    add("jokes:search_joke.intent", {"tell me a joke about {query}", "say a {query} joke"});
    add("weather:current_weather.intent",
        {"what is the weather [like] [in {location}]", "how is the weather"});
    add("weather:is_rain.intent", {"will it rain [today|tomorrow]", "do i need an umbrella"});
    add("volume:volume.mute.intent", {"mute", "mute (audio|volume)"});
    add("volume:volume.set.intent", {"set [the] volume to {level} [percent]"});
    add("timer:start.intent", {"set a timer for {duration}", "start a {duration} timer"});
    add("weather:forecast.intent", {"what is the 3 day forecast", "what is the 5 day forecast"});
    EXPECT_TRUE(
        engine.register_entity("en-us", "clock:location", Lines{"paris", "new york"}).empty());
    engine.train();
  }
  void add(const std::string& name, const Lines& lines) {
    EXPECT_TRUE(engine.register_intent("en-us", name, lines).empty()) << name;
  }
  std::optional<TemplateMatch> match(const std::string& utterance) {
    return engine.match(utterance, "en-us");
  }

  TemplateEngine engine;
};

TEST(NormalizeWords, ContractionsPunctuationAndCase) {
  EXPECT_EQ(normalize_words("What's the time?"), (Lines{"what", "is", "the", "time"}));
  EXPECT_EQ(normalize_words("I don’t KNOW, it'll rain"),
            (Lines{"i", "do", "not", "know", "it", "will", "rain"}));
  EXPECT_EQ(normalize_words("today's weather: can't g'day"),
            (Lines{"today", "weather", "can", "not", "gday"}));
}

TEST_F(TemplateEngineTest, ExactTemplatesScoreHigh) {
  for (const char* u : {"what time is it", "what time is it now", "what's the time",
                        "tell me the time", "make me laugh", "mute audio"}) {
    auto m = match(u);
    ASSERT_TRUE(m) << u;
    EXPECT_GE(m->confidence, 0.95) << u;
  }
  EXPECT_EQ(match("what is the time")->intent, "clock:what.time.is.it.intent");
}

TEST_F(TemplateEngineTest, FillerAndTyposAreStrongParaphrases) {
  for (const char* u : {"hey what time is it right now", "could you tell me the time please",
                        "what tiem is it", "tell me a jkoe please"}) {
    auto m = match(u);
    ASSERT_TRUE(m) << u;
    EXPECT_GE(m->confidence, 0.8) << u;
    EXPECT_LT(m->confidence, 0.95) << u;
  }
  EXPECT_EQ(match("what tiem is it")->intent, "clock:what.time.is.it.intent");
}

TEST_F(TemplateEngineTest, AddressingTheAssistantIsFiller) {
  // People call it "assistant" as they call it by its name, and open with "alright".
  for (const char* u : {"alright assistant tell me a joke", "what time is it assistant"}) {
    auto m = match(u);
    ASSERT_TRUE(m) << u;
    EXPECT_GE(m->confidence, 0.8) << u;
  }
  EXPECT_EQ(match("alright assistant tell me a joke")->intent, "jokes:joke.intent");
  // Filler alone still asks for nothing.
  EXPECT_FALSE(match("alright assistant") && match("alright assistant")->confidence >= 0.8);
}

TEST_F(TemplateEngineTest, WordOrderIsAStrongParaphrase) {
  auto m = match("tomorrow will it rain");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->intent, "weather:is_rain.intent");
  EXPECT_GE(m->confidence, 0.8);
  EXPECT_LT(m->confidence, 0.95);
}

TEST_F(TemplateEngineTest, OpenAndClosedSlots) {
  auto joke = match("tell me a joke about hungry cats");
  ASSERT_TRUE(joke);
  EXPECT_EQ(joke->intent, "jokes:search_joke.intent");
  EXPECT_EQ(joke->slots, (std::map<std::string, std::string>{{"query", "hungry cats"}}));

  auto time = match("what's the time in new york");
  ASSERT_TRUE(time);
  EXPECT_EQ(time->intent, "clock:what.time.is.it.intent");
  EXPECT_GE(time->confidence, 0.95);
  EXPECT_EQ(time->slots, (std::map<std::string, std::string>{{"location", "new york"}}));

  // The location entity is closed: an unknown city fills no slot, so the match is weaker.
  auto elsewhere = match("what's the time in atlantis");
  ASSERT_TRUE(elsewhere);
  EXPECT_LT(elsewhere->confidence, 0.95);
  EXPECT_TRUE(elsewhere->slots.empty());
}

TEST_F(TemplateEngineTest, UnrelatedUtterancesStayBelowMedium) {
  for (const char* u : {"what time does the train leave", "book a table for two",
                        "tell me a story about the weather vane", "turn on the lights"}) {
    auto m = match(u);
    EXPECT_TRUE(!m || m->confidence < 0.8) << u << " -> " << m->intent << " " << m->confidence;
  }
}

// The engine is what `hark core` accepts at 0.8 (the medium band), so these are the requests it
// would answer with the wrong skill.
void expect_weak(const std::optional<TemplateMatch>& m, const std::string& utterance) {
  EXPECT_TRUE(!m || m->confidence < 0.8)
      << utterance << " -> " << m->intent << " " << m->confidence;
}

// And the ones it answers with `intent`.
void expect_strong(const std::optional<TemplateMatch>& m, const std::string& intent,
                   const std::string& utterance) {
  ASSERT_TRUE(m) << utterance;
  EXPECT_EQ(m->intent, intent) << utterance;
  EXPECT_GE(m->confidence, 0.8) << utterance;
}

TEST_F(TemplateEngineTest, ThingsTheSkillNeverNamesKeepAParaphraseWeak) {
  // A noun phrase the templates leave unexplained names what the request is about.
  for (const char* u : {"what is the date of the next election", "what's the date of the wedding",
                        "what is the date of my brother's graduation"})
    expect_weak(match(u), u);
  // Words other skills' templates have count: the weather is no volume's thing.
  expect_weak(match("mute the weather"), "mute the weather");
  // Words that name nothing new leave a paraphrase strong, as does a word that only qualifies
  // a template word ("a dad joke" is a joke), or the skill's own words.
  for (const auto& [utterance, intent] : std::vector<std::pair<std::string, std::string>>{
           {"what is the date today please", "clock:current_date.intent"},
           {"hey what is the date right now", "clock:current_date.intent"},
           {"tell me a dad joke", "jokes:joke.intent"},
           {"will it rain tomorrow do you think", "weather:is_rain.intent"},
           {"mute the volume", "volume:volume.mute.intent"},
           // A phrase with a word of the skill is about the skill's thing.
           {"what is the weather report", "weather:current_weather.intent"}}) {
    auto m = match(utterance);
    ASSERT_TRUE(m) << utterance;
    EXPECT_EQ(m->intent, intent) << utterance;
    EXPECT_GE(m->confidence, 0.8) << utterance;
  }
}

TEST_F(TemplateEngineTest, ANumberToASkillThatSaysNoneIsAValueItDoesNotTake) {
  add("sound:volume.default.intent", {"set volume to default", "reset volume"});
  add("counter:count.intent", {"count to 10", "count to 100"});
  engine.train();
  // The sound skill's templates say no number: one said is no default.
  for (const char* u : {"set the volume to 5", "reset the volume to 40"})
    for (const auto& m : engine.match_top(u, "en-us", 5))
      if (m.intent == "sound:volume.default.intent") EXPECT_LT(m.confidence, 0.8) << u;
  // A skill whose templates say numbers, or whose slot takes one, takes them.
  for (const auto& [utterance, intent] : std::vector<std::pair<std::string, std::string>>{
           {"please count to 100", "counter:count.intent"},
           {"set volume to 5", "volume:volume.set.intent"}}) {
    auto m = match(utterance);
    ASSERT_TRUE(m) << utterance;
    EXPECT_EQ(m->intent, intent) << utterance;
    EXPECT_GE(m->confidence, 0.8) << utterance;
  }
}

TEST_F(TemplateEngineTest, AWordTheSkillDoesNotKnowBeforeAFinalPrepositionIsWhatIsAsked) {
  add("hello:who_are_you.intent", {"who are you", "what is your name"});
  add("clock:weekday.intent", {"what day (is it|of the week is it)"});
  engine.train();
  // The question is about what the stranded preposition's verb or noun says: whom you vote for,
  // the day of a birth.
  for (const char* u :
       {"who are you voting for", "what day of the week was i born on", "who are you talking to"})
    expect_weak(match(u), u);
  // A preposition that does not end the utterance leaves the paraphrase strong.
  for (const auto& [utterance, intent] : std::vector<std::pair<std::string, std::string>>{
           {"hey who are you", "hello:who_are_you.intent"},
           {"what day of the week is it for you", "clock:weekday.intent"}}) {
    auto m = match(utterance);
    ASSERT_TRUE(m) << utterance;
    EXPECT_EQ(m->intent, intent) << utterance;
    EXPECT_GE(m->confidence, 0.8) << utterance;
  }
}

TEST_F(TemplateEngineTest, AnAdverbOfTimeEndsTheNounPhraseBeforeIt) {
  add("hello:how_are_you.intent", {"how are you [doing] [today]"});
  engine.train();
  // "the markets" is a thing of its own, not a kind of "today".
  expect_weak(match("how are the markets today"), "how are the markets today");
  auto you = match("how are you doing today");
  ASSERT_TRUE(you);
  EXPECT_EQ(you->intent, "hello:how_are_you.intent");
}

TEST_F(TemplateEngineTest, APrepositionEndsTheNounPhraseBeforeIt) {
  add("diagnostics:user_lang.intent", {"what language am i speaking"});
  engine.train();
  // "the time" is no kind of "in atlantis": the weather skill never names a time, so its
  // "what is the weather in {location}" without "weather" stays weak.
  auto time = match("what's the time in atlantis");
  ASSERT_TRUE(time);
  EXPECT_EQ(time->intent, "clock:what.time.is.it.intent");
  // A word before a final preposition is what is asked about: to talk is to speak.
  expect_strong(match("what language am i talking in"), "diagnostics:user_lang.intent",
                "what language am i talking in");
}

TEST_F(TemplateEngineTest, ADayOtherThanTodayTheSkillNeverNamesIsAnotherTime) {
  add("clock:weekday.intent", {"is it (sunday|monday) [today]", "what day is it [today]"});
  engine.train();
  // The skill answers for today: whether tomorrow is a sunday is no question of it.
  expect_weak(match("is it sunday tomorrow"), "is it sunday tomorrow");
  expect_strong(match("so is it sunday today"), "clock:weekday.intent", "so is it sunday today");
  // A skill that names tomorrow answers for it.
  expect_strong(match("so will it rain tomorrow"), "weather:is_rain.intent",
                "so will it rain tomorrow");
}

TEST_F(TemplateEngineTest, AnInterrogativeOpensTheNounPhraseAfterIt) {
  add("hello:who_are_you.intent", {"who are you", "what is your name"});
  engine.train();
  // "what time" asks about a time, and "the game" is a thing the hello skill never names,
  // though "game" is one letter from its "name".
  expect_weak(match("what time is the game"), "what time is the game");
  expect_strong(match("so what is your name"), "hello:who_are_you.intent", "so what is your name");
}

TEST_F(TemplateEngineTest, APossessorTheSkillDoesNotKnowIsAThingOfItsOwn) {
  // The date of mother's day is no date of today, though a word the skill knows follows.
  expect_weak(match("what date is mother's day"), "what date is mother's day");
  // A possessor the skill knows is the skill's: today's date is the date.
  auto today = match("what is today's date please");
  ASSERT_TRUE(today);
  EXPECT_EQ(today->intent, "clock:current_date.intent");
  EXPECT_GE(today->confidence, 0.8);
}

TEST_F(TemplateEngineTest, AnExclamationAsksForNothing) {
  add("clock:weekday.intent", {"what is the day [today]"});
  add("hello:praise.intent", {"what a (nice|clever) assistant"});
  engine.train();
  for (const char* u : {"what a day", "what a lovely day today"}) expect_weak(match(u), u);
  auto day = match("what is the day today please");
  ASSERT_TRUE(day);
  EXPECT_EQ(day->intent, "clock:weekday.intent");
  EXPECT_GE(day->confidence, 0.8);
  // Unless a template exclaims too.
  auto praise = match("what a nice assistant you are");
  ASSERT_TRUE(praise);
  EXPECT_EQ(praise->intent, "hello:praise.intent");
  EXPECT_GE(praise->confidence, 0.8);
}

TEST_F(TemplateEngineTest, AnOpenSlotIsNotFilledWithHowGoodAThingIsAlone) {
  auto topic = match("say a cat joke");
  ASSERT_TRUE(topic);
  EXPECT_EQ(topic->intent, "jokes:search_joke.intent");
  EXPECT_EQ(topic->slots.at("query"), "cat");
  for (const char* quality : {"say a silly joke", "tell me a joke about the best"}) {
    auto m = match(quality);
    EXPECT_TRUE(!m || !m->slots.contains("query")) << quality << " -> " << m->slots["query"];
  }
}

TEST_F(TemplateEngineTest, AnOpenSlotExplainsItsWordsOnlyBetweenMatchedTemplateWords) {
  add("timer:cancel.intent", {"cancel [the|my] {name} timer", "cancel the timer called {name}"});
  engine.train();
  auto pasta = match("cancel my pasta timer");
  ASSERT_TRUE(pasta);
  EXPECT_EQ(pasta->intent, "timer:cancel.intent");
  EXPECT_GE(pasta->confidence, 0.8);
  EXPECT_EQ(pasta->slots.at("name"), "pasta");
  // "timer" is missing, so the slot would take another thing's name.
  expect_weak(match("cancel my dentist appointment"), "cancel my dentist appointment");
  expect_weak(match("cancel the dentist appointment"), "cancel the dentist appointment");
  // Skipped words that say nothing do not unanchor it: the template ends after the slot.
  auto called = match("cancel timer called pasta");
  ASSERT_TRUE(called);
  EXPECT_GE(called->confidence, 0.8);
  EXPECT_EQ(called->slots.at("name"), "pasta");
}

TEST_F(TemplateEngineTest, AWordOneEditFromTheSkillsNamesAnotherThing) {
  add("timer:cancel.intent", {"(cancel|delete) [the|my] {name} timer"});
  add("timer:list.intent", {"list [all] [my|the] timers"});
  engine.train();
  // "last" is one letter from the skill's "list", yet another word: "my last email" is a thing
  // the timer skill does not know, not a timer's name.
  expect_weak(match("delete my last email"), "delete my last email");
  auto named = match("delete my pasta timer");
  ASSERT_TRUE(named);
  EXPECT_EQ(named->intent, "timer:cancel.intent");
  EXPECT_GE(named->confidence, 0.8);
  // A typo still matches the template word it misspells.
  auto listed = match("lsit all my timers");
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->intent, "timer:list.intent");
  EXPECT_GE(listed->confidence, 0.8);
}

TEST_F(TemplateEngineTest, TypedSlotsTakeOnlyTheirType) {
  auto timer = match("set a timer for five minutes and 30 seconds");
  ASSERT_TRUE(timer);
  EXPECT_EQ(timer->intent, "timer:start.intent");
  EXPECT_EQ(timer->slots.at("duration"), "five minutes and 30 seconds");
  EXPECT_GE(timer->confidence, 0.95);
  auto volume = match("set the volume to forty percent");
  ASSERT_TRUE(volume);
  EXPECT_EQ(volume->slots.at("level"), "forty");
  // Words that are no duration or number fill neither slot.
  for (const char* u : {"the timer on the oven is broken", "set the table for dinner",
                        "set the volume to something nice"}) {
    auto m = match(u);
    EXPECT_TRUE(!m || m->confidence < 0.8) << u << " -> " << m->intent << " " << m->confidence;
  }
  // Only in English: elsewhere the slot is open.
  ASSERT_TRUE(
      engine.register_intent("de-de", "timer:start.intent", Lines{"timer für {duration}"}).empty());
  engine.train();
  auto german = engine.match("timer für fünf minuten", "de-de");
  ASSERT_TRUE(german);
  EXPECT_EQ(german->slots.at("duration"), "fünf minuten");
}

TEST_F(TemplateEngineTest, ADateSlotTakesDatesBesidesItsEntitysExamples) {
  add("clock:weekday.for.date.intent", {"what day of the week is {date}"});
  ASSERT_TRUE(engine.register_entity("en-us", "clock:date", Lines{"christmas", "easter"}).empty());
  engine.train();
  for (const auto& [said, date] : std::vector<std::pair<std::string, std::string>>{
           {"what day of the week is christmas", "christmas"},
           {"what day of the week is the 4th of july", "the 4th of july"},
           {"what day of the week is march 3rd", "march 3rd"}}) {
    auto m = match(said);
    ASSERT_TRUE(m) << said;
    EXPECT_EQ(m->intent, "clock:weekday.for.date.intent") << said;
    EXPECT_EQ(m->slots.at("date"), date) << said;
    EXPECT_GE(m->confidence, 0.95) << said;
  }
  auto no_date = match("what day of the week is my favourite");
  EXPECT_TRUE(!no_date || no_date->confidence < 0.8) << no_date->intent;
}

TEST(TemplateEngineEntities, DigitPatternsTakeNumbersOfThatManyDigits) {
  TemplateEngine engine;
  // offset.entity of ovos-skill-date-time: "#" and "##", a comment beside them.
  ASSERT_TRUE(
      engine.register_entity("en-us", "clock:offset", Lines{"# hours ahead", "#", "##"}).empty());
  ASSERT_TRUE(engine
                  .register_intent("en-us", "clock:what.time.will.it.be.intent",
                                   Lines{"what time will it be in {offset} hours"})
                  .empty());
  engine.train();
  for (const auto& [utterance, offset] :
       {std::pair{"what time will it be in 3 hours", "3"},
        std::pair{"what time will it be in 12 hours", "12"},
        std::pair{"what time will it be in twelve hours", "twelve"}}) {
    auto m = engine.match(utterance, "en-us");
    ASSERT_TRUE(m) << utterance;
    EXPECT_EQ(m->slots.at("offset"), offset) << utterance;
    EXPECT_EQ(m->confidence, 1.0) << utterance;
  }
  // Three digits, or words that are no number, fill no {offset}.
  for (const char* utterance :
       {"what time will it be in 100 hours", "what time will it be in several hours"}) {
    auto m = engine.match(utterance, "en-us");
    ASSERT_TRUE(m) << utterance;
    EXPECT_FALSE(m->slots.contains("offset")) << utterance << ": " << m->slots.at("offset");
  }
}

TEST_F(TemplateEngineTest, EnglishEndingsAndNumberWordsMatchTheirTemplateWords) {
  auto rain = match("will it be raining tomorrow");
  ASSERT_TRUE(rain);
  EXPECT_EQ(rain->intent, "weather:is_rain.intent");
  EXPECT_GE(rain->confidence, 0.8);
  auto jokes = match("tell me jokes");
  ASSERT_TRUE(jokes);
  EXPECT_EQ(jokes->intent, "jokes:joke.intent");
  EXPECT_GE(jokes->confidence, 0.8);
  auto forecast = match("what is the five day forecast");
  ASSERT_TRUE(forecast);
  EXPECT_EQ(forecast->intent, "weather:forecast.intent");
  EXPECT_GE(forecast->confidence, 0.8);
}

TEST_F(TemplateEngineTest, EnglishSynonymsMatchTheirTemplateWords) {
  // "silence" means "mute", "funny" a joke; "raincoat" an umbrella.
  for (const auto& [utterance, intent] :
       {std::pair{"silence the audio", "volume:volume.mute.intent"},
        std::pair{"go silent", "volume:volume.mute.intent"},
        std::pair{"tell me something funny", "jokes:joke.intent"},
        std::pair{"do i need a raincoat", "weather:is_rain.intent"},
        std::pair{"will it pour tomorrow", "weather:is_rain.intent"}}) {
    auto m = match(utterance);
    ASSERT_TRUE(m) << utterance;
    EXPECT_EQ(m->intent, intent) << utterance;
    EXPECT_GE(m->confidence, 0.8) << utterance;
  }
  // A synonym is not the word itself: below an exact match.
  EXPECT_LT(match("silence")->confidence, 0.95);
}

TEST(TemplateEngineSynonyms, TheAssistantsDeviceIsItsSystem) {
  TemplateEngine engine;
  engine.register_intent("en-us", "diagnostics:query_gpu.intent",
                         Lines{"is there a gpu in your system", "do you have a gpu"});
  engine.register_intent("en-us", "diagnostics:query_kernel_version.intent",
                         Lines{"what kernel version are you using"});
  engine.register_intent("en-us", "clock:what.time.is.it.intent", Lines{"what time is it"});
  engine.train();
  for (const char* utterance : {"which gpu is in this device", "is there a gpu in this machine"}) {
    auto m = engine.match(utterance, "en-us");
    ASSERT_TRUE(m) << utterance;
    EXPECT_EQ(m->intent, "diagnostics:query_gpu.intent") << utterance;
    EXPECT_GE(m->confidence, 0.8) << utterance;
  }
}

TEST_F(TemplateEngineTest, EnglishPhrasalVerbsAreTheVerbTheyMean) {
  auto m = match("turn off the speakers");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->intent, "volume:volume.mute.intent");
  EXPECT_GE(m->confidence, 0.8);
  m = match("turn off the kitchen lights");  // no mute: the lights are not the sound
  EXPECT_TRUE(!m || m->confidence < 0.8) << m->intent;
  EXPECT_FALSE(engine.match("turn off the speakers", "fr-fr"));
}

TEST_F(TemplateEngineTest, CommonWordsNoTemplateHasWeighLittle) {
  // "hear" and "something" are in no template, yet bring no subject: the joke stays strong.
  auto joke = match("i want to hear a joke");
  ASSERT_TRUE(joke);
  EXPECT_EQ(joke->intent, "jokes:joke.intent");
  EXPECT_GE(joke->confidence, 0.8);
  // Nor do they fill an open slot alone: "it" is no {query}.
  auto about_it = match("tell me a joke about it");
  ASSERT_TRUE(about_it);
  EXPECT_FALSE(about_it->slots.contains("query")) << about_it->slots.at("query");
  EXPECT_EQ(match("tell me a joke about cats")->slots.at("query"), "cats");
  // Nor does the present: "at the moment", "currently" ask for now, as the templates do.
  for (const auto* utterance :
       {"how is the weather at the moment", "how is the weather currently"}) {
    auto now = match(utterance);
    ASSERT_TRUE(now) << utterance;
    EXPECT_EQ(now->intent, "weather:current_weather.intent") << utterance;
    EXPECT_GE(now->confidence, 0.8) << utterance;
  }
  // Nor do praise and "another": a good joke is no joke about "good".
  for (const auto* utterance : {"say a good joke", "say another joke"}) {
    auto praised = match(utterance);
    ASSERT_TRUE(praised) << utterance;
    EXPECT_FALSE(praised->slots.contains("query")) << utterance;
  }
  // A word that brings its own subject still costs its full weight.
  auto other = match("i want to hear a symphony");
  EXPECT_TRUE(!other || other->confidence < 0.8) << other->intent << " " << other->confidence;
}

TEST_F(TemplateEngineTest, AFilterLeavesIntentsOutWithoutHidingTheNextBest) {
  auto top = engine.match_top("tell me a joke", "en-us", 1, [](std::string_view intent) {
    return intent != "jokes:joke.intent";
  });
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(top[0].intent, "jokes:search_joke.intent");
}

// Two intents that both match every word: the one whose template has the words beats the one
// whose open slot took them, whichever the search scored first and whatever their names.
TEST(TemplateEngineSearch, AtEqualConfidenceTemplateWordsBeatASlot) {
  TemplateEngine engine;
  ASSERT_TRUE(engine
                  .register_intent("en-us", "clock:weekday.for.date.intent",
                                   Lines{"what day of the week is {date}"})
                  .empty());
  ASSERT_TRUE(engine
                  .register_intent("en-us", "clock:what.weekday.is.it.intent",
                                   Lines{"what day of the week is today"})
                  .empty());
  engine.train();
  const auto best = engine.match("what day of the week is today", "en-us");
  ASSERT_TRUE(best);
  EXPECT_EQ(best->intent, "clock:what.weekday.is.it.intent");
  const auto both = engine.match_top("what day of the week is today", "en-us", 2);
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[0].confidence, both[1].confidence);
  EXPECT_EQ(both[0].intent, "clock:what.weekday.is.it.intent");
  EXPECT_EQ(engine.match("what day of the week is christmas", "en-us")->intent,
            "clock:weekday.for.date.intent");
}

// The search scores sentences best upper bound first and stops when no bound can beat the best
// confidence so far. A synonym's bound is loose ("howdy" for "hello" may weigh up to an unknown
// word), so the sentence it puts first scores lower than one after it: the bound of that one,
// a recall x precision, must be compared on the confidence's calibrated scale, not read as one.
TEST(TemplateEngineSearch, StopsOnlyWhenNoSentenceLeftCanScoreHigher) {
  TemplateEngine engine;
  ASSERT_TRUE(
      engine.register_intent("en-us", "hello:greetings.intent", Lines{"hello there", "howdy"})
          .empty());
  engine.train();
  const auto best = engine.match("hello assistant", "en-us");
  const auto every = engine.match_top("hello assistant", "en-us", 2);  // no early stop
  ASSERT_TRUE(best);
  ASSERT_FALSE(every.empty());
  EXPECT_EQ(best->confidence, every.front().confidence);
  EXPECT_GE(best->confidence, 0.8);
}

TEST_F(TemplateEngineTest, TopNIsOnePerIntentBestFirst) {
  auto top = engine.match_top("tell me a joke", "en-us", 3);
  ASSERT_GE(top.size(), 2u);
  EXPECT_EQ(top[0].intent, "jokes:joke.intent");
  EXPECT_NE(top[1].intent, top[0].intent);
  EXPECT_GE(top[0].confidence, top[1].confidence);
}

TEST_F(TemplateEngineTest, RegistrationTrainsOnlyAtTrain) {
  EXPECT_TRUE(engine.register_intent("en-us", "naps:naptime.intent", Lines{"take a nap"}).empty());
  EXPECT_NE(match("take a nap")->intent, "naps:naptime.intent");
  engine.train();
  EXPECT_EQ(match("take a nap")->intent, "naps:naptime.intent");
  EXPECT_FALSE(engine.match("take a nap", "pt-pt"));
  EXPECT_EQ(engine.match("take a nap", "EN-US")->intent, "naps:naptime.intent");
}

TEST_F(TemplateEngineTest, BadLinesAreReportedTheRestRegistered) {
  auto errors = engine.register_intent("en-us", "x:y.intent", Lines{"(unbalanced", "hello there"});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 1);
  engine.train();
  EXPECT_EQ(match("hello there")->intent, "x:y.intent");
}

TEST_F(TemplateEngineTest, DetachIntentAndSkill) {
  engine.detach_intent("jokes:joke.intent");
  auto m = match("make me laugh");
  EXPECT_TRUE(!m || m->intent != "jokes:joke.intent");
  engine.detach_skill("clock");
  m = match("what time is it");
  EXPECT_TRUE(!m || m->intent.rfind("clock:", 0) != 0);
  EXPECT_EQ(match("tell me a joke about cats")->intent, "jokes:search_joke.intent");
}

TEST(TemplateEngineEntities, BusNameWithDigestIsTheSlot) {
  TemplateEngine engine;
  engine.register_intent("en-us", "w:unit.intent", Lines{"temperature in {unit}"});
  engine.register_entity("en-us", "w:unit_3e8d3a5b6a2f4a6c8e0f1d2c3b4a5968", Lines{"celsius"});
  engine.train();
  EXPECT_EQ(engine.match("temperature in celsius", "en-us")->slots.at("unit"), "celsius");
  EXPECT_LT(engine.match("temperature in kelvin", "en-us")->confidence, 0.95);
}

class OvosSkills : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kFixtures / "SOURCES.json")) GTEST_SKIP() << "no " << kFixtures;
  }
};

// How long loading and training take is a figure of bench/intent_bench, not a test.
TEST_F(OvosSkills, AllRegisteredIntentsLoadAndTrain) {
  TemplateEngine engine;
  const auto errors = fixtures::register_ovos_skills(engine, kFixtures);
  const auto stats = engine.train();
  // offset.entity is Padatious digit patterns ("#", "##"), which the common reader skips.
  for (const auto& e : errors) {
    const auto ext = e.file.extension();
    if (ext == ".intent" || ext == ".entity" || e.file.empty()) {
      EXPECT_EQ(e.file.filename(), "offset.entity") << e.str();  // some dialogs are malformed
    }
  }
  EXPECT_EQ(stats.intents, 67u);
  EXPECT_EQ(engine.match("what time is it", "en-us")->intent,
            "ovos-skill-date-time:what.time.is.it.intent");
}

TEST_F(OvosSkills, LabelledUtterancesAtTheMediumThreshold) {
  TemplateEngine engine;
  fixtures::register_ovos_skills(engine, kFixtures);
  engine.train();
  const auto cases = fixtures::read_labelled(HARK_INTENT_UTTERANCES);
  const auto a = fixtures::measure(engine, cases, 0.8);
  EXPECT_EQ(a.positives, 212);
  EXPECT_EQ(a.negatives, 60);
  // Exact counts, so that a change that loses one fails (intent_bench --misses lists them).
  EXPECT_EQ(a.correct, 205);  // 96.7 %
  EXPECT_EQ(a.accepted, 0);
}

}  // namespace
}  // namespace hark::intent
