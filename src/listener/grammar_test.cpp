#include "listener/grammar.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace hark::listener {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A dictionary of the words these tests use, and not "mycroft" or "zorblax".
bool known(const std::string& word) {
  static const std::set<std::string> words{
      "what",  "time",   "is",  "it",     "the", "set",  "a",       "timer",  "for",
      "tea",   "pasta",  "egg", "five",   "ten", "and",  "minutes", "minute", "percent",
      "hello", "what's", "hey", "volume", "to",  "stop", "one"};
  return words.contains(word);
}

TEST(Grammar, EverySentenceOfEveryIntentInOneRule) {
  IntentSamples samples{
      .intents = {{"date-time.hark:time.intent", {"what (time is it|is the time)"}},
                  {"stop.hark:stop.intent", {"stop"}}}};
  auto grammar = make_grammar(samples, known);
  EXPECT_EQ(grammar.sentences, 3u);
  EXPECT_EQ(grammar.dropped, 0u);
  EXPECT_EQ(grammar.jsgf,
            "#JSGF V1.0;\ngrammar hark;\npublic <utterance> = stop\n  | what is the time\n  | what "
            "time is it;\n");
}

TEST(Grammar, SentencesWithUnknownWordsAreLeftOutAndNamed) {
  IntentSamples samples{.intents = {{"hello.hark:hello.intent", {"hello [mycroft]", "zorblax"}}}};
  auto grammar = make_grammar(samples, known);
  EXPECT_EQ(grammar.sentences, 1u);
  EXPECT_EQ(grammar.dropped, 2u);
  EXPECT_EQ(grammar.unknown_words, (std::set<std::string>{"mycroft", "zorblax"}));
  EXPECT_THAT(grammar.jsgf, HasSubstr("public <utterance> = hello;"));
}

TEST(Grammar, PunctuationAndCaseAreDropped) {
  IntentSamples samples{.intents = {{"s:a.intent", {"What's the TIME?"}}}};
  EXPECT_THAT(make_grammar(samples, known).jsgf, HasSubstr("= what's the time;"));
}

TEST(Grammar, SlotsTakeTheirSkillsEntityValues) {
  IntentSamples samples{.intents = {{"timer.hark:start.intent", {"set a {name} timer"}}},
                        // The bus form of an entity name carries an md5 suffix.
                        .entities = {{"timer.hark:name_0123abcd", {"(tea|pasta)", "egg"}},
                                     {"other.hark:name", {"zorblax"}}}};
  auto grammar = make_grammar(samples, known);
  EXPECT_THAT(grammar.jsgf, HasSubstr("= set a <slot0> timer;"));
  EXPECT_THAT(grammar.jsgf, HasSubstr("<slot0> = (egg | pasta | tea);"));
}

TEST(Grammar, SlotsWithoutEntityTakeNumbersAndUnits) {
  IntentSamples samples{.intents = {{"timer.hark:start.intent", {"set a timer for {duration}"}},
                                    {"volume.hark:set.intent", {"volume to {level} [percent]"}}}};
  auto grammar = make_grammar(samples, known);
  EXPECT_THAT(grammar.jsgf, HasSubstr("set a timer for <duration>"));
  EXPECT_THAT(grammar.jsgf, HasSubstr("volume to <open> percent"));
  EXPECT_THAT(grammar.jsgf, HasSubstr("<duration> = <number> <unit> [and <number> <unit>];"));
  EXPECT_THAT(grammar.jsgf, HasSubstr("<open> = <number> [<unit>];"));
  // Only the words the dictionary has.
  EXPECT_THAT(grammar.jsgf, HasSubstr("<number> = (one | five | ten | a)+;"));
  EXPECT_THAT(grammar.jsgf, HasSubstr("<unit> = (minute | minutes | percent);"));
}

TEST(Grammar, NoIntentsNoGrammar) {
  auto grammar = make_grammar({}, known);
  EXPECT_EQ(grammar.jsgf, "");
  EXPECT_EQ(grammar.sentences, 0u);
}

TEST(Grammar, SamplesFromTheCoresAnswerSkipWhatIsNotALine) {
  auto samples = IntentSamples::from_json(Json::parse(R"({
    "intents": {"a:x.intent": ["stop", 3, null], "a:y.intent": "not a list"},
    "entities": {"a:name": ["tea"]},
    "lang": "en-us"})"));
  EXPECT_EQ(samples.intents.size(), 1u);
  EXPECT_EQ(samples.intents["a:x.intent"], std::vector<std::string>{"stop"});
  EXPECT_EQ(samples.entities["a:name"], std::vector<std::string>{"tea"});
  EXPECT_TRUE(IntentSamples::from_json(Json::array()).empty());
}

TEST(Grammar, BrokenTemplateLinesAreSkipped) {
  IntentSamples samples{.intents = {{"a:x.intent", {"what (time is it", "stop"}}}};
  auto grammar = make_grammar(samples, known);
  EXPECT_EQ(grammar.sentences, 1u);
  EXPECT_THAT(grammar.jsgf, Not(HasSubstr("time")));
}

}  // namespace
}  // namespace hark::listener
