#include "pipeline/intent_matcher.h"

#include <gtest/gtest.h>

#include "pipeline/common_query.h"
#include "pipeline/stages.h"
#include "pipeline/stop_matcher.h"
#include "skills/builtin_dir.h"

namespace hark::pipeline {
namespace {

Json template_intent(const std::string& name, std::vector<std::string> samples) {
  return {{"name", name}, {"samples", samples}, {"lang", "en-US"}};
}

TEST(IntentMatcher, TemplateIntentsMatchWithSlotsInTheirBand) {
  IntentMatcher matcher;
  ASSERT_FALSE(matcher.register_padatious_intent(
      template_intent("weather.x:forecast.intent", {"what is the weather in {city}"}), "en-us"));
  auto match = matcher.match_template("what is the weather in paris", "en-us", 0.8);
  ASSERT_TRUE(match);
  EXPECT_EQ(match->skill_id, "weather.x");
  EXPECT_EQ(match->intent_service, "padatious");
  EXPECT_EQ(match->data["city"], "paris");
  EXPECT_FALSE(matcher.match_template("what is the weather in paris", "de-de", 0.5));
}

TEST(IntentMatcher, BlacklistedSkillsAreRefusedAndBlacklistedIntentsSkipped) {
  IntentMatcher matcher({.skills = {"banned.x"}, .intents = {"weather.x:forecast.intent"}});
  EXPECT_TRUE(
      matcher.register_padatious_intent(template_intent("banned.x:a.intent", {"hello"}), "en-us"));
  matcher.register_padatious_intent(
      template_intent("weather.x:forecast.intent", {"weather forecast"}), "en-us");
  matcher.register_padatious_intent(
      template_intent("other.x:forecast.intent", {"weather forecast please"}), "en-us");
  auto match = matcher.match_template("weather forecast", "en-us", 0.5);
  ASSERT_TRUE(match);
  EXPECT_EQ(match->intent_name, "other.x:forecast.intent");
}

TEST(IntentMatcher, MalformedRegistrationsSayWhatIsWrong) {
  IntentMatcher matcher;
  EXPECT_EQ(matcher.register_padatious_intent({{"samples", {"x"}}}, "en-us"), "no string \"name\"");
  EXPECT_NE(matcher.register_padatious_intent({{"name", "a:b.intent"}, {"samples", "x"}}, "en-us")
                ->find("samples"),
            std::string::npos);
  EXPECT_TRUE(matcher.register_keyword_intent({{"name", "a:B"}, {"requires", 3}}, "en-us"));
}

TEST(IntentMatcher, DetachingASkillRemovesBothKindsOfIntent) {
  IntentMatcher matcher;
  matcher.register_padatious_intent(template_intent("lights.x:on.intent", {"lights on"}), "en-us");
  matcher.register_vocab({{"entity_value", "lamp"}, {"entity_type", "lights_xLamp"}}, "en-us");
  matcher.register_keyword_intent(
      {{"name", "lights.x:Lamp"},
       {"requires", Json::array({Json::array({"lights_xLamp", "lights_xLamp"})})}},
      "en-us");
  EXPECT_EQ(matcher.skills(), std::set<std::string>{"lights.x"});
  ASSERT_TRUE(matcher.match_keyword("lamp", "en-us", 0.5));
  EXPECT_TRUE(matcher.detach_skill("lights.x"));
  EXPECT_FALSE(matcher.match_keyword("lamp", "en-us", 0.1));
  EXPECT_FALSE(matcher.match_template("lights on", "en-us", 0.1));
  EXPECT_TRUE(matcher.skills().empty());
}

TEST(Stages, ShortNamesAndOvosPluginIdsReadAlikeAndUnknownOnesAreReported) {
  auto config = read_pipeline({{"intents",
                                {{"pipeline",
                                  {"stop_high", "ovos-converse-pipeline-plugin",
                                   "ovos-ocp-pipeline-plugin-high", "adapt_low"}},
                                 {"adapt", {{"conf_low", 0.3}}}}}});
  ASSERT_EQ(config.stages.size(), 3u);
  EXPECT_EQ(config.stages[1], (Stage{Matcher::Converse, Band::High}));
  EXPECT_EQ(stage_name(config.stages[2]), "adapt_low");
  EXPECT_EQ(config.unknown, std::vector<std::string>{"ovos-ocp-pipeline-plugin-high"});
  EXPECT_DOUBLE_EQ(config.thresholds.of(Matcher::Keyword, Band::Low), 0.3);
  EXPECT_DOUBLE_EQ(config.thresholds.of(Matcher::Template, Band::High), 0.95);
}

TEST(Stages, TheCommonQueryStageReadsItsNamesAndWaits) {
  auto config = read_pipeline(
      {{"intents",
        {{"pipeline", {"common_qa", "ovos-common-query-pipeline-plugin"}},
         {"common_query", {{"max_response_wait", 2.5}, {"min_self_confidence", 0.7}}}}}});
  ASSERT_EQ(config.stages.size(), 2u);
  EXPECT_EQ(config.stages[1].matcher, Matcher::CommonQuery);
  EXPECT_EQ(stage_name(config.stages[1]), "common_qa");
  EXPECT_EQ(config.common_query.max_response_wait, std::chrono::milliseconds(2500));
  EXPECT_EQ(config.common_query.extension_time, std::chrono::milliseconds(3000));
  EXPECT_DOUBLE_EQ(config.common_query.min_self_confidence, 0.7);
}

TEST(CommonQuery, QuestionsAreThreeWordsOrMoreWithAQuestionWordAndNoMediaWord) {
  const QuestionDetector questions(skills::builtin_skill_dir("common-query"));
  for (const char* text :
       {"who wrote hamlet", "how far away is the moon", "tell me about the roman empire",
        "search for cheap flights to rome", "Why Is The Sky Blue?"})
    EXPECT_TRUE(questions.is_question(text, "en-us")) << text;
  for (const char* text : {"who is", "what's up", "bake me a cake", "play who let the dogs out",
                           "read me what the news says", "turn the lights off"})
    EXPECT_FALSE(questions.is_question(text, "en-us")) << text;
  EXPECT_FALSE(questions.is_question("who wrote hamlet", "xx-yy"));
}

// The stop stage at the medium band (conf_med), with the built-in stop skill's files: OVOS's own
// stop sentences, ways people say them, and nothing that does not say stopping.
TEST(StopStage, StopsWhatPeopleAskToStopAndNothingElse) {
  const StopMatcher stop(skills::builtin_skill_dir("stop"));
  for (const char* text : {"stop", "stop that", "please stop", "cease the current action",
                           "never mind", "shh stop", "stop what you're doing", "quiet please"})
    EXPECT_EQ(stop.match(text, "en-us", Band::Medium, 0.8), StopKind::Skill) << text;
  for (const char* text : {"stop everything", "terminate all operations", "cancel all tasks",
                           "stop everything you're doing"})
    EXPECT_EQ(stop.match(text, "en-us", Band::Medium, 0.8), StopKind::Global) << text;
  // Near a stop sentence but for its stop word ("are you doing okay", "stop what you're doing"),
  // or stopping something else.
  for (const char* text :
       {"are you doing okay", "how are you doing this evening", "mute yourself",
        "who am i talking to", "stop the car", "stop by the bakery on the way home",
        "do we have enough milk", "the end of the movie was sad"})
    EXPECT_FALSE(stop.match(text, "en-us", Band::Medium, 0.8)) << text;
  EXPECT_FALSE(stop.match("stop", "xx-yy", Band::Medium, 0.5));
}

// Below the high band, a stop word said as a command of its own stops, among other words (OVOS's
// stop_medium); not a stop word that is another verb's, a noun, or said of a thing.
TEST(StopStage, StopsACommandSaidAmongOtherWords) {
  const StopMatcher stop(skills::builtin_skill_dir("stop"));
  for (const char* text :
       {"nope cancel that", "stop counting i get it", "whoa whoa hang on stop",
        "that's not what i asked for just stop", "alright i've heard enough you can quit reading",
        "quiet please i'm on the phone", "can you stop please the baby is sleeping",
        "shh stop talking for a second", "alright that's plenty, stop", "Nope, cancel that."}) {
    EXPECT_EQ(stop.match(text, "en-us", Band::Medium, 0.8), StopKind::Skill) << text;
    EXPECT_FALSE(stop.match(text, "en-us", Band::High, 0.95)) << text;
  }
  for (const char* text : {"shut it all down, stop every single thing", "ok stop all of it now"})
    EXPECT_EQ(stop.match(text, "en-us", Band::Medium, 0.8), StopKind::Global) << text;
  for (const char* text :
       {"i need to stop eating so much sugar", "don't stop believing is a great song",
        "the bus didn't stop for me this morning", "navigate to the nearest truck stop",
        "stop the washing machine", "cancel my flight", "we couldn't stop laughing at the dog",
        "stop smoking tips", "i'll finish the laundry later", "stop by the store on your way home",
        "cancel the timer i don't need it anymore"})
    EXPECT_FALSE(stop.match(text, "en-us", Band::Medium, 0.8)) << text;
}

TEST(CommonQuery, TheMostConfidentAnswerWinsAndUnsureOrEmptyOnesNever) {
  std::map<std::string, Json> answers{
      {"a.skill", {{"skill_id", "a.skill"}, {"answer", "A"}, {"conf", 0.6}}},
      {"b.skill", {{"skill_id", "b.skill"}, {"answer", "B"}, {"conf", 0.8}}},
      {"c.skill", {{"skill_id", "c.skill"}, {"answer", ""}, {"conf", 0.99}}},
      {"d.skill", {{"skill_id", "d.skill"}, {"searching", false}}},
      {"e.skill", {{"skill_id", "e.skill"}, {"answer", "E"}, {"conf", "high"}}}};
  auto best = best_answer(answers, 0.5);
  ASSERT_TRUE(best);
  EXPECT_EQ((*best)["answer"], "B");
  EXPECT_FALSE(best_answer(answers, 0.9));
  // Equals: the first by skill id, so the same question gets the same answer.
  answers["a.skill"]["conf"] = 0.8;
  EXPECT_EQ((*best_answer(answers, 0.5))["answer"], "A");
}

}  // namespace
}  // namespace hark::pipeline
