#include "config/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/test_support.h"

namespace hark::config {
namespace {

using fixtures::TempDir;
using fixtures::write_file;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// --- parse_text -------------------------------------------------------------------------------

TEST(ParseText, IgnoresWholeLineComments) {
  const Json conf = parse_text(
      "// Hark\n"
      "# mycroft.conf\n"
      "{\n"
      "  // the bus\n"
      "\t# tabs too\r\n"
      "  \"websocket\": {\"port\": 8181},\n"
      "    #\n"
      "  \"url\": \"http://example.invalid//path # not a comment\"\n"
      "}\n"
      "// trailing\n",
      "f.conf");
  EXPECT_EQ(conf, Json::parse(R"({"websocket":{"port":8181},
                                  "url":"http://example.invalid//path # not a comment"})"));
}

TEST(ParseText, SkipsAByteOrderMark) {
  EXPECT_EQ(parse_text("\xEF\xBB\xBF{\"lang\": \"de-DE\"}", "f.conf"), Json({{"lang", "de-DE"}}));
}

TEST(ParseText, KeepsKeyOrder) {
  EXPECT_EQ(parse_text(R"({"z": 1, "a": 2, "m": 3})", "f").dump(), R"({"z":1,"a":2,"m":3})");
}

struct Malformed {
  std::string text;
  int line;
  int column;
  std::string reason;  // a part of it
};

TEST(ParseText, ReportsFileLineAndColumn) {
  const Malformed cases[] = {
      // The comma after 8181 is missing; the parser notices at "route" on the next line.
      {"// Hark test configuration\n"
       "{\n"
       "  \"lang\": \"en-US\",\n"
       "  # the bus\n"
       "  \"websocket\": {\n"
       "    \"host\": \"127.0.0.1\",\n"
       "    \"port\": 8181\n"
       "    \"route\": \"/core\"\n"
       "  }\n"
       "}\n",
       8, 5, "unexpected string literal; expected ',' or '}'"},
      {"{\"secondary_langs\": [\"de-DE\"\n  \"fr-FR\"]}", 2, 3,
       "unexpected string literal; expected ',' or ']'"},
      {"{\"a\": 1\n  2}", 2, 3, "unexpected number literal"},
      {"{\"a\": 1 true}", 1, 9, "unexpected true literal"},
      {"{\n  \"a\": 1,\n  \"b\": 2,\n}\n", 4, 1, "unexpected '}'; expected string literal"},
      {"{\"a\": [1, 2,]}", 1, 13, "unexpected ']'"},
      {"{\n  \"a\": \"abc\n}", 2, 12, "invalid string: control character U+000A"},
      {"{\n  \"a\": \"abc", 2, 12, "invalid string: missing closing quote"},
      {"{\"a\": tru}", 1, 10, "invalid literal"},
      {"{\"a\" 1}", 1, 6, "unexpected number literal; expected ':'"},
      {"{} x", 1, 4, "expected end of input"},
      {"", 1, 1, "unexpected end of input"},
      {"// only a comment\n", 2, 1, "unexpected end of input"},
      // Columns count characters: "é" and "天" are several bytes each.
      {"{\"é天\": 1 \"b\": 2}", 1, 10, "unexpected string literal"},
      {"\xEF\xBB\xBF{\"a\": 1 \"b\": 2}", 1, 9, "unexpected string literal"},
      // An escaped quote does not end the string whose start is reported.
      {"{\"a\": 1\n \"x\\\\\\\"y\"}", 2, 2, "unexpected string literal"},
      {"[{\"lang\": \"en-US\"}]", 1, 1, "the top level must be a JSON object"},
      {"\"en-US\"", 1, 1, "the top level must be a JSON object"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    try {
      parse_text(c.text, "/etc/mycroft/mycroft.conf");
      ADD_FAILURE() << "parsed";
    } catch (const ConfigError& e) {
      EXPECT_EQ(e.origin(), "/etc/mycroft/mycroft.conf");
      EXPECT_EQ(e.line(), c.line);
      EXPECT_EQ(e.column(), c.column);
      EXPECT_THAT(e.reason(), HasSubstr(c.reason));
      EXPECT_EQ(e.what(), "/etc/mycroft/mycroft.conf:" + std::to_string(c.line) + ":" +
                              std::to_string(c.column) + ": " + e.reason());
      EXPECT_THAT(e.reason(), Not(HasSubstr("json.exception")));
    }
  }
}

TEST(ParseText, NumberOverflowIsAConfigErrorWithoutPosition) {
  try {
    parse_text("{\"max_msg_size\": 1e400}", "user.conf");
    FAIL() << "parsed";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "user.conf: number overflow parsing '1e400'");
    EXPECT_EQ(e.line(), 0);
  }
}

TEST(ConfigError, OmitsWhatIsUnknown) {
  EXPECT_STREQ(ConfigError("f", 3, 0, "bad").what(), "f:3: bad");
  EXPECT_STREQ(ConfigError("f", 0, 0, "bad").what(), "f: bad");
}

TEST(ReadFile, AbsentFileIsNoError) {
  TempDir dir;
  EXPECT_EQ(read_file(dir / "missing.conf"), std::nullopt);
}

TEST(ReadFile, NamesTheFileInErrors) {
  TempDir dir;
  write_file(dir / "mycroft.conf", "{\n  \"lang\": en\n}\n");
  try {
    read_file(dir / "mycroft.conf");
    FAIL() << "parsed";
  } catch (const ConfigError& e) {
    EXPECT_THAT(e.what(), StartsWith((dir / "mycroft.conf").string() + ":2:11: invalid literal"));
  }
}

TEST(BuiltinDefaults, HaveTheBusSettings) {
  EXPECT_EQ(*find_path(builtin_defaults(), "websocket.port"), 8181);
  EXPECT_EQ(*find_path(builtin_defaults(), "websocket.host"), "127.0.0.1");
}

// --- deep_merge -------------------------------------------------------------------------------

TEST(DeepMerge, MergesObjectsAndReplacesEverythingElse) {
  Json base = Json::parse(R"({
    "lang": "en-US",
    "secondary_langs": ["de-DE", "fr-FR"],
    "websocket": {"host": "127.0.0.1", "port": 8181, "nested": {"a": 1, "b": 2}},
    "tts": {"module": "espeak"},
    "stt": "old"
  })");
  deep_merge(base, Json::parse(R"({
    "lang": "nl-NL",
    "secondary_langs": ["es-ES"],
    "websocket": {"port": 9000, "nested": {"b": 3, "c": 4}},
    "tts": "none",
    "stt": {"module": "vosk"},
    "new": null
  })"));
  EXPECT_EQ(base, Json::parse(R"({
    "lang": "nl-NL",
    "secondary_langs": ["es-ES"],
    "websocket": {"host": "127.0.0.1", "port": 9000, "nested": {"a": 1, "b": 3, "c": 4}},
    "tts": "none",
    "stt": {"module": "vosk"},
    "new": null
  })"));
}

TEST(DeepMerge, NonObjectsReplaceTheWhole) {
  Json base = {{"a", 1}};
  deep_merge(base, Json::array({1, 2}));
  EXPECT_EQ(base, Json::array({1, 2}));
  deep_merge(base, {{"b", 2}});
  EXPECT_EQ(base, Json({{"b", 2}}));
}

// --- standard_layers and load -----------------------------------------------------------------

// Saves the variables that steer standard_layers(), clears them, and restores them afterwards.
class LayerEnvironment : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name :
         {"HOME", "XDG_CONFIG_HOME", "MYCROFT_SYSTEM_CONFIG", "OVOS_DEFAULT_CONFIG",
          "OVOS_DISTRIBUTION_CONFIG", "OVOS_CONFIG_BASE_FOLDER", "OVOS_CONFIG_FILENAME"}) {
      const char* value = getenv(name);
      saved_[name] = value ? std::optional<std::string>(value) : std::nullopt;
      unsetenv(name);
    }
    setenv("HOME", "/home/tester", 1);
  }
  void TearDown() override {
    for (const auto& [name, value] : saved_) {
      if (value) {
        setenv(name.c_str(), value->c_str(), 1);
      } else {
        unsetenv(name.c_str());
      }
    }
  }

  static std::vector<std::pair<std::string, std::string>> Described(
      const std::vector<Layer>& layers) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& layer : layers) out.emplace_back(layer.name, layer.path.string());
    return out;
  }

 private:
  std::map<std::string, std::optional<std::string>> saved_;
};

using Layers = std::vector<std::pair<std::string, std::string>>;

TEST_F(LayerEnvironment, StandardLayersByDefault) {
  EXPECT_EQ(Described(standard_layers()),
            (Layers{{"default", ""},
                    {"distribution", "/usr/share/mycroft/mycroft.conf"},
                    {"system", "/etc/mycroft/mycroft.conf"},
                    {"legacy user", "/home/tester/.mycroft/mycroft.conf"},
                    {"user", "/home/tester/.config/mycroft/mycroft.conf"}}));
  EXPECT_EQ(user_config_dir(), "/home/tester/.config/mycroft");
}

TEST_F(LayerEnvironment, StandardLayersFollowTheEnvironment) {
  setenv("OVOS_DEFAULT_CONFIG", "/opt/hark/default.conf", 1);
  setenv("OVOS_DISTRIBUTION_CONFIG", "/opt/hark/distribution.conf", 1);
  setenv("MYCROFT_SYSTEM_CONFIG", "/opt/hark/system.conf", 1);
  setenv("XDG_CONFIG_HOME", "/xdg", 1);
  setenv("OVOS_CONFIG_BASE_FOLDER", "hark", 1);
  setenv("OVOS_CONFIG_FILENAME", "hark.conf", 1);
  EXPECT_EQ(Described(standard_layers()), (Layers{{"default", "/opt/hark/default.conf"},
                                                  {"distribution", "/opt/hark/distribution.conf"},
                                                  {"system", "/opt/hark/system.conf"},
                                                  {"legacy user", "/home/tester/.hark/hark.conf"},
                                                  {"user", "/xdg/hark/hark.conf"}}));
  EXPECT_EQ(user_config_dir(), "/xdg/hark");
}

TEST_F(LayerEnvironment, FolderAndFileNamesApplyToTheStandardPaths) {
  setenv("OVOS_CONFIG_BASE_FOLDER", "hark", 1);
  setenv("OVOS_CONFIG_FILENAME", "hark.conf", 1);
  EXPECT_EQ(Described(standard_layers()),
            (Layers{{"default", ""},
                    {"distribution", "/usr/share/hark/hark.conf"},
                    {"system", "/etc/hark/hark.conf"},
                    {"legacy user", "/home/tester/.hark/hark.conf"},
                    {"user", "/home/tester/.config/hark/hark.conf"}}));
}

TEST_F(LayerEnvironment, EmptyVariablesCountAsUnset) {
  setenv("XDG_CONFIG_HOME", "", 1);
  setenv("MYCROFT_SYSTEM_CONFIG", "", 1);
  EXPECT_EQ(Described(standard_layers()), Described([] {
              unsetenv("XDG_CONFIG_HOME");
              unsetenv("MYCROFT_SYSTEM_CONFIG");
              return standard_layers();
            }()));
}

TEST_F(LayerEnvironment, LaterLayersWin) {
  TempDir dir;
  setenv("HOME", (dir / "home").c_str(), 1);
  setenv("XDG_CONFIG_HOME", (dir / "xdg").c_str(), 1);
  setenv("MYCROFT_SYSTEM_CONFIG", (dir / "etc/mycroft.conf").c_str(), 1);
  setenv("OVOS_DISTRIBUTION_CONFIG", (dir / "absent.conf").c_str(), 1);
  write_file(dir / "etc/mycroft.conf",
             R"({"lang": "de-DE", "websocket": {"port": 9000, "host": "0.0.0.0"}})");
  write_file(dir / "xdg/mycroft/mycroft.conf",
             "// mine\n{\"websocket\": {\"port\": 9001}, \"secondary_langs\": [\"fr-FR\"]}");

  const Json conf = load(standard_layers(), {{"websocket", {{"route", "/bus"}}}});
  EXPECT_EQ(conf["lang"], "de-DE");                     // system
  EXPECT_EQ(conf["websocket"]["port"], 9001);           // user over system
  EXPECT_EQ(conf["websocket"]["host"], "0.0.0.0");      // system, kept by the merge
  EXPECT_EQ(conf["websocket"]["route"], "/bus");        // overrides over everything
  EXPECT_EQ(conf["websocket"]["max_msg_size"], 25);     // built-in default
  EXPECT_EQ(conf["secondary_langs"], Json({"fr-FR"}));  // user
}

TEST(Load, AMalformedLayerThrowsOrIsSkipped) {
  TempDir dir;
  write_file(dir / "system.conf", R"({"websocket": {"port": 9000}})");
  write_file(dir / "user.conf", "{\n  \"websocket\": {\"port\": 9001,}\n}\n");
  const std::vector<Layer> layers = {
      {"default", ""}, {"system", dir / "system.conf"}, {"user", dir / "user.conf"}};

  try {
    load(layers);
    FAIL() << "loaded";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.origin(), (dir / "user.conf").string());
    EXPECT_EQ(e.line(), 2);
    EXPECT_EQ(e.column(), 30);
  }

  std::vector<ConfigError> skipped;
  const Json conf = load(layers, Json::object(), &skipped);
  EXPECT_EQ(conf["websocket"]["port"], 9000);
  EXPECT_EQ(conf["websocket"]["host"], "127.0.0.1");
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_EQ(skipped[0].origin(), (dir / "user.conf").string());
}

TEST(Load, MissingFilesAreLeftOut) {
  TempDir dir;
  EXPECT_EQ(load({{"default", ""}, {"user", dir / "none/mycroft.conf"}}), builtin_defaults());
}

// --- environment_overrides --------------------------------------------------------------------

Json Overrides(const Json& base, std::vector<std::string> variables) {
  std::vector<char*> environ_array;
  for (auto& variable : variables) environ_array.push_back(variable.data());
  environ_array.push_back(nullptr);
  return environment_overrides(base, environ_array.data());
}

TEST(EnvironmentOverrides, NumbersBecomeNumbersUnderTheExistingSpelling) {
  const Json base = Json::parse(R"({"websocket": {"port": 8181}, "Audio": {"volume": 1}})");
  const Json overrides =
      Overrides(base, {"HARK__WEBSOCKET__PORT=8182", "HARK__audio__VOLUME=0.5", "PATH=/bin"});
  EXPECT_EQ(overrides, Json::parse(R"({"websocket": {"port": 8182}, "Audio": {"volume": 0.5}})"));
  EXPECT_TRUE(overrides["websocket"]["port"].is_number_integer());
}

TEST(EnvironmentOverrides, ValuesThatAreNotJsonAreStrings) {
  EXPECT_EQ(Overrides(builtin_defaults(), {"HARK__LANG=de-DE", "HARK__WEBSOCKET__HOST=0.0.0.0"}),
            Json::parse(R"({"lang": "de-DE", "websocket": {"host": "0.0.0.0"}})"));
}

TEST(EnvironmentOverrides, StringSettingsStayStrings) {
  const Json overrides =
      Overrides(builtin_defaults(), {"HARK__WEBSOCKET__TOKEN=12345", "HARK__LANG=true"});
  EXPECT_EQ(overrides, Json::parse(R"({"websocket": {"token": "12345"}, "lang": "true"})"));
}

TEST(EnvironmentOverrides, JsonValuesParse) {
  EXPECT_EQ(Overrides(builtin_defaults(), {R"(HARK__TTS={"module": "espeak", "rate": [1, 2]})",
                                           "HARK__WEBSOCKET__SSL=true"}),
            Json::parse(R"({"tts": {"module": "espeak", "rate": [1, 2]},
                            "websocket": {"ssl": true}})"));
}

TEST(EnvironmentOverrides, NewKeysAreLowerCasedAndShareTheirSection) {
  EXPECT_EQ(Overrides(Json::object(), {"HARK__NEW_SECTION__A=1", "HARK__new_SECTION__B=2"}),
            Json::parse(R"({"new_section": {"a": 1, "b": 2}})"));
}

TEST(EnvironmentOverrides, IgnoresOtherVariables) {
  EXPECT_EQ(Overrides(builtin_defaults(), {"HARK_BINARY=/usr/bin/hark", "HARK=1", "HARK_=1",
                                           "XHARK__LANG=x", "hark__lang=x", "HARK__NOEQUALS"}),
            Json::object());
  EXPECT_EQ(environment_overrides(builtin_defaults(), nullptr), Json::object());
}

TEST(EnvironmentOverrides, RejectsEmptyPathPartsNamingTheVariable) {
  for (const char* variable :
       {"HARK__=1", "HARK__WEBSOCKET____PORT=1", "HARK__WEBSOCKET__=1", "HARK____PORT=1"}) {
    SCOPED_TRACE(variable);
    try {
      Overrides(builtin_defaults(), {variable});
      ADD_FAILURE() << "accepted";
    } catch (const ConfigError& e) {
      const std::string name(variable, std::string_view(variable).find('='));
      EXPECT_EQ(e.origin(), "environment variable " + name);
      EXPECT_THAT(e.what(), HasSubstr("HARK__SECTION__KEY=value"));
    }
  }
}

// --- apply_assignment and find_path -----------------------------------------------------------

TEST(ApplyAssignment, SetsTypedValuesUnderExistingSpellings) {
  Json conf = Json::parse(R"({"websocket": {"port": 8181, "token": ""}, "Audio": {}})");
  apply_assignment(conf, "websocket.port=8182", "--set");
  apply_assignment(conf, "WebSocket.Token=007", "--set");
  apply_assignment(conf, "audio.native_sources=[\"audio\"]", "--set");
  apply_assignment(conf, "listener.sample_rate=16000", "--set");
  apply_assignment(conf, "lang=\"de-DE\"", "--set");
  apply_assignment(conf, "url=a=b", "--set");
  EXPECT_EQ(conf, Json::parse(R"({"websocket": {"port": 8182, "token": "007"},
                                  "Audio": {"native_sources": ["audio"]},
                                  "listener": {"sample_rate": 16000}, "lang": "de-DE",
                                  "url": "a=b"})"));
}

TEST(ApplyAssignment, RejectsMalformedAssignmentsNamingThem) {
  for (const char* assignment : {"websocket.port", "=1", ".port=1", "websocket..port=1", "a.=1"}) {
    SCOPED_TRACE(assignment);
    Json conf = builtin_defaults();
    try {
      apply_assignment(conf, assignment, "--set");
      ADD_FAILURE() << "accepted";
    } catch (const ConfigError& e) {
      EXPECT_THAT(e.what(), StartsWith("--set: '" + std::string(assignment) + "'"));
    }
    EXPECT_EQ(conf, builtin_defaults());
  }
}

TEST(FindPath, WalksObjectsOnly) {
  const Json conf = Json::parse(R"({"a": {"b": {"c": 1}}, "list": [1, 2], "s": "x"})");
  ASSERT_NE(find_path(conf, "a.b.c"), nullptr);
  EXPECT_EQ(*find_path(conf, "a.b.c"), 1);
  EXPECT_EQ(*find_path(conf, "a.b"), Json({{"c", 1}}));
  EXPECT_EQ(find_path(conf, "a.x"), nullptr);
  EXPECT_EQ(find_path(conf, "a.b.c.d"), nullptr);
  EXPECT_EQ(find_path(conf, "list.0"), nullptr);
  EXPECT_EQ(find_path(conf, "s.x"), nullptr);
  EXPECT_EQ(find_path(conf, "A.b.c"), nullptr);  // exact spelling, unlike overrides
  EXPECT_EQ(find_path(conf, ""), nullptr);
}

TEST(ReplacePath, SetsCreatingSectionsAndRemovesWithNull) {
  Json conf = Json::parse(R"({"a": {"b": 1, "c": 2}, "s": "x"})");
  const Json three = 3;
  replace_path(conf, "a.b", &three);
  replace_path(conf, "new.deep.key", &three);
  replace_path(conf, "s.key", &three);  // a scalar on the way becomes a section
  replace_path(conf, "a.c", nullptr);
  replace_path(conf, "absent.key", nullptr);  // removing what is not there adds nothing
  EXPECT_EQ(conf, Json::parse(R"({"a": {"b": 3}, "s": {"key": 3},
                                  "new": {"deep": {"key": 3}}})"));
}

}  // namespace
}  // namespace hark::config
