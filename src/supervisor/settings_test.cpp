#include "supervisor/settings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config.h"

namespace hark::supervisor {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// The built-in defaults with this `hark.up` section merged over them.
Json with_up(const Json& up) {
  Json config = config::builtin_defaults();
  config::deep_merge(config, {{"hark", {{"up", up}}}});
  return config;
}

TEST(UpSettings, TheDefaultsAreValid) {
  EXPECT_THAT(validate(config::builtin_defaults()), IsEmpty());
}

TEST(UpSettings, SaysWhatIsWrongWithAServiceOfTheUsers) {
  EXPECT_THAT(validate(with_up({{"services", {"bus", "mine", "core", "mine"}},
                                {"commands",
                                 {{"mine", {{"command", Json::array()}, {"ready", 3}}},
                                  {"core", {{"command", {"/bin/true"}}}}}}})),
              ElementsAre("hark.up.commands.mine.command: must be a non-empty list of strings "
                          "(program, arguments)",
                          "hark.up.commands.mine.ready: must be \"started\" or the name it "
                          "answers mycroft.<name>.is_ready for",
                          "hark.up.commands.core: core is a built-in service name",
                          "hark.up.services: mine is listed twice"));
  EXPECT_THAT(validate(with_up({{"services", {"bus", "bsu"}}})),
              ElementsAre("hark.up.services: unknown service 'bsu' (built in: bus, core, audio, "
                          "listener, phal, phal-admin; or define it in hark.up.commands)"));
}

TEST(UpSettings, LeavesOutBuiltInsThisBinaryLacksAndResolvesReadiness) {
  std::vector<std::string> notes;
  auto settings = UpSettings::from(
      with_up({{"services", {"bus", "audio", "phal", "mine"}},
               {"commands", {{"mine", {{"command", {"/usr/bin/mine", "-q"}}, {"ready", "mine"}}}}},
               {"log_levels", {{"phal", "DEBUG"}}}}),
      [](std::string_view name) { return name != "audio"; }, &notes);
  EXPECT_THAT(notes, ElementsAre("audio left out: this hark has no `hark audio`"));
  ASSERT_EQ(settings.services.size(), 3u);
  EXPECT_EQ(settings.services[0].readiness, Readiness::BusAccepts);
  EXPECT_EQ(settings.services[1].status_name, "PHAL");
  EXPECT_EQ(settings.services[1].log_level, "DEBUG");
  EXPECT_EQ(settings.services[2].command, (std::vector<std::string>{"/usr/bin/mine", "-q"}));
  EXPECT_EQ(settings.services[2].readiness, Readiness::Status);
  EXPECT_EQ(settings.services[2].status_name, "mine");
  EXPECT_EQ(settings.restart.initial_delay.count(), 100);
  EXPECT_EQ(settings.restart.crashes, 5);
}

}  // namespace
}  // namespace hark::supervisor
