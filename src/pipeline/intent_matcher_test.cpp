#include "pipeline/intent_matcher.h"

#include <gtest/gtest.h>

#include "pipeline/stages.h"

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

}  // namespace
}  // namespace hark::pipeline
