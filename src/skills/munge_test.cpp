#include "skills/munge.h"

#include <gtest/gtest.h>

namespace hark::skills {
namespace {

// Expected values were computed with CPython: to_alnum as ''.join(c if c.isalnum() else '_'),
// str.title(), hashlib.md5(base.encode()).hexdigest().
constexpr std::string_view kDateTime = "ovos-skill-date-time.openvoiceos";

TEST(Munge, AlnumSkillId) {
  EXPECT_EQ(to_alnum(kDateTime), "ovos_skill_date_time_openvoiceos");
  EXPECT_EQ(to_alnum("skill-café.über™"), "skill_café_über_");
  EXPECT_EQ(to_alnum(""), "");
}

TEST(Munge, VocabTypeUsesPythonTitle) {
  EXPECT_EQ(vocab_type(kDateTime, "Weather"), "ovos_skill_date_time_openvoiceosWeather");
  EXPECT_EQ(vocab_type(kDateTime, "relative-day"), "ovos_skill_date_time_openvoiceosRelative-Day");
  EXPECT_EQ(vocab_type(kDateTime, "HelloWorldKeyword"),
            "ovos_skill_date_time_openvoiceosHelloworldkeyword");
  EXPECT_EQ(vocab_type(kDateTime, "N_days.2x"), "ovos_skill_date_time_openvoiceosN_Days.2X");
  EXPECT_EQ(vocab_type("a", "o'neil's ÉLAN"), "aO'Neil'S Élan");
}

TEST(Munge, RegexGroupsGetThePrefix) {
  EXPECT_EQ(
      munge_regex(R"(.*\b(at|in) (?P<Location>(?!\bcelsius\b|\bfahrenheit\b) *.+))",
                  "ovos-skill-weather.openvoiceos"),
      R"(.*\b(at|in) (?P<ovos_skill_weather_openvoiceosLocation>(?!\bcelsius\b|\bfahrenheit\b) *.+))");
  EXPECT_EQ(munge_regex("(?P<a>x)(?P=a)(?P<b>y)", "s.k"), "(?P<s_ka>x)(?P=a)(?P<s_kb>y)");
  EXPECT_EQ(munge_regex("no groups", "s"), "no groups");
}

TEST(Munge, RegistrationNames) {
  EXPECT_EQ(intent_registration_name(kDateTime, "what.time.is.it"),
            "ovos-skill-date-time.openvoiceos:what.time.is.it.intent");
  EXPECT_EQ(entity_registration_name(kDateTime, "location"),
            "ovos-skill-date-time.openvoiceos:location_d5189de027922f81005951e6efe0efd5");
  EXPECT_EQ(entity_registration_name(kDateTime, "offset"),
            "ovos-skill-date-time.openvoiceos:offset_7a86c157ee9713c34fbd7a1ee40f0c5a");
}

}  // namespace
}  // namespace hark::skills
