#include "config/settings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace hark::config {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr Setting kSettings[] = {
    {"debug", Type::Boolean, "Log every message"},
    {"websocket.port", Type::Integer, "TCP port", 1, 65535, Apply::Restart},
    {"websocket.max_msg_size", Type::Number, "Largest message in MiB", 0.001, 1024},
    {"websocket.host", Type::String, "Address to listen on", 1, 253, Apply::Restart},
    {"secondary_langs", Type::StringList, "Other languages"},
    {"tts", Type::Object, "Speech synthesis"},
    {"log_level", Type::String, "Level name"},
};

const Json kGood = Json::parse(R"({
  "debug": false,
  "websocket": {"port": 8181, "max_msg_size": 25, "host": "127.0.0.1"},
  "secondary_langs": ["de-DE"],
  "tts": {"module": "espeak"},
  "log_level": "INFO"
})");

// kGood with the value at the dotted `path` replaced.
std::vector<std::string> ValidateWith(std::string path, const Json& value) {
  std::replace(path.begin(), path.end(), '.', '/');
  Json conf = kGood;
  conf[Json::json_pointer("/" + path)] = value;
  return validate(conf, kSettings);
}

TEST(Validate, AcceptsGoodValues) {
  EXPECT_THAT(validate(kGood, kSettings), IsEmpty());
}

TEST(Validate, IgnoresAbsentKeys) {
  EXPECT_THAT(validate(Json::object(), kSettings), IsEmpty());
  EXPECT_THAT(validate(Json::parse(R"({"websocket": {}})"), kSettings), IsEmpty());
}

struct Wrong {
  std::string path;
  Json value;
  std::string problem;
};

TEST(Validate, NamesThePathTheProblemAndTheValue) {
  const Wrong cases[] = {
      {"debug", 1, "debug: must be true or false (got 1)"},
      {"debug", "yes", "debug: must be true or false (got \"yes\")"},
      {"websocket.port", 8181.5, "websocket.port: must be a whole number (got 8181.5)"},
      {"websocket.port", "8181", "websocket.port: must be a whole number (got \"8181\")"},
      {"websocket.port", true, "websocket.port: must be a whole number (got true)"},
      {"websocket.port", 0, "websocket.port: must be 1..65535 (got 0)"},
      {"websocket.port", 65536, "websocket.port: must be 1..65535 (got 65536)"},
      {"websocket.port", -1, "websocket.port: must be 1..65535 (got -1)"},
      {"websocket.max_msg_size", "25", "websocket.max_msg_size: must be a number (got \"25\")"},
      {"websocket.max_msg_size", 0, "websocket.max_msg_size: must be 0.001..1024 (got 0)"},
      {"websocket.max_msg_size", 1024.5,
       "websocket.max_msg_size: must be 0.001..1024 (got 1024.5)"},
      {"websocket.host", 127, "websocket.host: must be a string (got 127)"},
      {"websocket.host", "", "websocket.host: must be 1..253 characters (got \"\")"},
      {"websocket.host", std::string(254, 'h'),
       "websocket.host: must be 1..253 characters (got \"" + std::string(254, 'h') + "\")"},
      {"secondary_langs", "de-DE", "secondary_langs: must be a list of strings (got \"de-DE\")"},
      {"secondary_langs", Json::array({"de-DE", 5}),
       "secondary_langs: must be a list of strings (got [\"de-DE\",5])"},
      {"tts", Json::array(), "tts: must be an object (got [])"},
      {"tts", nullptr, "tts: must be an object (got null)"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.problem);
    EXPECT_THAT(ValidateWith(c.path, c.value), ElementsAre(c.problem));
  }
}

TEST(Validate, BoundsAtTheLimitsAreAccepted) {
  EXPECT_THAT(ValidateWith("websocket.port", 1), IsEmpty());
  EXPECT_THAT(ValidateWith("websocket.port", 65535), IsEmpty());
  EXPECT_THAT(ValidateWith("websocket.max_msg_size", 1024), IsEmpty());
  EXPECT_THAT(ValidateWith("websocket.host", std::string(253, 'h')), IsEmpty());
  EXPECT_THAT(ValidateWith("secondary_langs", Json::array()), IsEmpty());
}

TEST(Validate, ReportsEveryProblem) {
  Json conf = kGood;
  conf["debug"] = "no";
  conf["websocket"]["port"] = 0;
  EXPECT_THAT(validate(conf, kSettings),
              ElementsAre(HasSubstr("debug:"), HasSubstr("websocket.port:")));
}

TEST(Validate, ASectionThatIsNotAnObjectIsReportedOnce) {
  Json conf = kGood;
  conf["websocket"] = "ws://127.0.0.1:8181/core";
  EXPECT_THAT(validate(conf, kSettings),
              ElementsAre("websocket: must be an object (got \"ws://127.0.0.1:8181/core\")"));
}

TEST(ProblemPath, IsTheSettingAProblemNames) {
  EXPECT_EQ(problem_path("websocket.port: must be 1..65535 (got 0)"), "websocket.port");
  EXPECT_EQ(problem_path("websocket: must be an object (got 1)"), "websocket");
  EXPECT_EQ(problem_path("no setting named here"), "");
  EXPECT_EQ(problem_path("the port: is wrong"), "");
}

TEST(Changed, ListsSettingsThatDiffer) {
  Json after = kGood;
  EXPECT_THAT(changed(kGood, after, kSettings), IsEmpty());
  after["websocket"]["port"] = 9000;
  after["tts"]["voice"] = "en";
  after.erase("log_level");
  after["unrelated"] = 1;
  EXPECT_THAT(changed(kGood, after, kSettings), ElementsAre("websocket.port", "tts", "log_level"));
  EXPECT_THAT(changed(after, kGood, kSettings), ElementsAre("websocket.port", "tts", "log_level"));
}

TEST(Describe, ShowsPathValueAndWhenAChangeApplies) {
  const std::string text = describe(kGood, kSettings);
  EXPECT_THAT(text, HasSubstr("websocket.port"));
  EXPECT_THAT(text, HasSubstr("= 8181"));
  EXPECT_THAT(text, HasSubstr("TCP port [1..65535]"));
  EXPECT_THAT(text, HasSubstr("restart"));
  EXPECT_THAT(text, HasSubstr("live"));
  EXPECT_THAT(text, HasSubstr("Address to listen on [1..253 characters]"));
  EXPECT_THAT(text, HasSubstr("= [\"de-DE\"]"));
  EXPECT_THAT(text, HasSubstr("list of strings"));
  EXPECT_THAT(describe(Json::object(), kSettings), HasSubstr("(unset)"));
}

TEST(Describe, OneEntryPerSettingInTableOrder) {
  const std::string text = describe(kGood, kSettings);
  std::size_t previous = 0;
  for (const auto& s : kSettings) {
    const auto at = text.find(std::string(s.path) + " ");
    ASSERT_NE(at, std::string::npos) << s.path;
    EXPECT_GE(at, previous) << s.path;
    previous = at;
  }
  EXPECT_THAT(text, HasSubstr("debug                            boolean  live    = false\n"
                              "    Log every message\n"));
}

TEST(TypeName, NamesEveryType) {
  EXPECT_EQ(type_name(Type::Boolean), "boolean");
  EXPECT_EQ(type_name(Type::Integer), "integer");
  EXPECT_EQ(type_name(Type::Number), "number");
  EXPECT_EQ(type_name(Type::String), "string");
  EXPECT_EQ(type_name(Type::StringList), "list of strings");
  EXPECT_EQ(type_name(Type::Object), "object");
}

}  // namespace
}  // namespace hark::config
