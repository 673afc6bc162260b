// The built-in skills' .intent files, as `hark core`'s template stage matches them: requests
// near a skill that name something it does not handle are refused at the medium band (0.8), and
// the requests beside them still reach their intent.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "intent/template_engine.h"
#include "intent/template_skill.h"
#include "skills/builtin_dir.h"
#include "skills/index.h"
#include "skills/resources.h"

namespace hark::skills {
namespace {

constexpr double kMedium = 0.8;  // intents.padatious.conf_med, the band the core accepts

class BuiltinIntents : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const auto& entry : std::filesystem::directory_iterator(builtin_skills_dir())) {
      // The stop skill's files are the core's stop stage (intent_matcher_test), not templates.
      if (!entry.is_directory() || entry.path().filename() == "stop") continue;
      const auto folder = entry.path().filename().string();
      auto index = index_resources({entry.path(), "en-us", {}});
      auto resources = load_skill_resources(index.value);
      const auto intents = index.value.bases("intent");
      auto loaded = intent::register_template_skill(engine, "en-us", "hark-" + folder,
                                                    resources.value, intents);
      EXPECT_TRUE(index.errors.empty() && resources.errors.empty() && loaded.errors.empty())
          << folder;
    }
    engine.train();
  }

  intent::TemplateEngine engine;
};

TEST_F(BuiltinIntents, RequestsNamingWhatNoSkillHandlesAreRefused) {
  for (const char* utterance :
       {"what's the date of the next election", "how are the kids", "cancel my dentist appointment",
        "cancel my subscription", "how long until christmas", "what time does the shop open",
        "stop the car", "set the table for dinner", "turn up the heating", "lower the thermostat",
        // A word one edit from a skill's ("last", the timer's "list") is another word; what a
        // final preposition belongs to, a possessor and a thing before "today" are things of
        // their own; an exclamation asks for nothing.
        "delete my last email", "who are you voting for", "who are you talking to",
        "what day of the week was i born on", "what date is mother's day",
        "how are the markets today", "what a lovely day"}) {
    auto best = engine.match(utterance, "en-us");
    EXPECT_TRUE(!best || best->confidence < kMedium)
        << utterance << " -> " << best->intent << " " << best->confidence;
  }
}

TEST_F(BuiltinIntents, RequestsBesideThemStillReachTheirIntent) {
  struct Case {
    const char* utterance;
    const char* intent;
  };
  for (const auto& [utterance, intent] :
       std::vector<Case>{{"what's the date today", "hark-date-time:date.intent"},
                         {"what time is it right now", "hark-date-time:time.intent"},
                         {"what is today's date", "hark-date-time:date.intent"},
                         {"what day of the week is it today", "hark-date-time:weekday.intent"},
                         {"who are you", "hark-hello:who_are_you.intent"},
                         {"list my timers", "hark-timer:list_timers.intent"},
                         {"how are you doing today", "hark-hello:how_are_you.intent"},
                         {"cancel my pasta timer", "hark-timer:cancel_timer.intent"},
                         {"cancel the timer called pasta", "hark-timer:cancel_timer.intent"},
                         {"how long until the timer goes off", "hark-timer:list_timers.intent"},
                         {"set a timer for ten minutes", "hark-timer:start_timer.intent"},
                         {"turn the volume down", "hark-volume:volume_down.intent"},
                         {"lower the volume a little", "hark-volume:volume_down.intent"}}) {
    auto best = engine.match(utterance, "en-us");
    ASSERT_TRUE(best) << utterance;
    EXPECT_EQ(best->intent, intent) << utterance;
    EXPECT_GE(best->confidence, kMedium) << utterance;
  }
  EXPECT_EQ(engine.match("cancel my pasta timer", "en-us")->slots.at("name"), "pasta");
}

}  // namespace
}  // namespace hark::skills
