#include "skills/index.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "skills/resources.h"
#include "skills/test_files.h"

namespace hark::skills {
namespace {

using Strings = std::vector<std::string>;
using testing::ScratchDir;

std::string relative(const std::filesystem::path* file, const ScratchDir& dir) {
  return file == nullptr ? "none" : file->lexically_relative(dir.path()).string();
}

// A skill with every layout the index reads, plus a user folder overriding one dialog.
class IndexLayout : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.write("skill/locale/en-us/intents/what.time.is.it.intent", "what time is it\n");
    dir_.write("skill/locale/en-us/dialog/time.current.dialog", "It's {time}.\n");
    dir_.write("skill/locale/EN-US/vocab/Weather.voc", "weather\n(forecast|outlook)\n");
    dir_.write("skill/locale/en-us/deep/er/still.blacklist", "no\n");
    dir_.write("skill/locale/de-de/was.intent", "wie spät ist es\n");
    dir_.write("skill/locale/en-us/README", "no extension: not a resource\n");
    dir_.write("skill/dialog/en-us/legacy.dialog", "Legacy.\n");
    dir_.write("skill/vocab/en_US/legacy.voc", "old\n");
    dir_.write("skill/regex/en-us/location.rx", "in (?P<Location>.+)\n");
    dir_.write("skill/dialog/fr-fr/legacy.dialog", "Ancien.\n");
    dir_.write("user/locale/en-us/time.current.dialog", "The time is {time}.\n");
  }

  ResourceSearch search(std::string lang = "en-US") const {
    return {dir_.path() / "skill", std::move(lang), dir_.path() / "user"};
  }

  ScratchDir dir_;
};

TEST_F(IndexLayout, FindsEveryLayoutForTheLanguage) {
  const auto index = index_resources(search());
  EXPECT_TRUE(index.errors.empty());
  EXPECT_EQ(index.value.files.size(), 7u);
  const auto& files = index.value;
  EXPECT_EQ(relative(files.find("intent", "what.time.is.it"), dir_),
            "skill/locale/en-us/intents/what.time.is.it.intent");
  EXPECT_EQ(relative(files.find("voc", "Weather"), dir_), "skill/locale/EN-US/vocab/Weather.voc");
  EXPECT_EQ(relative(files.find("blacklist", "still"), dir_),
            "skill/locale/en-us/deep/er/still.blacklist");
  EXPECT_EQ(relative(files.find("dialog", "legacy"), dir_), "skill/dialog/en-us/legacy.dialog");
  EXPECT_EQ(relative(files.find("voc", "legacy"), dir_), "skill/vocab/en_US/legacy.voc");
  EXPECT_EQ(relative(files.find("rx", "location"), dir_), "skill/regex/en-us/location.rx");
  EXPECT_EQ(relative(files.find("intent", "was"), dir_), "none");
  EXPECT_EQ(files.bases("voc"), (Strings{"Weather", "legacy"}));
}

TEST_F(IndexLayout, UserFileWinsWhole) {
  const auto index = index_resources(search());
  EXPECT_EQ(relative(index.value.find("dialog", "time.current"), dir_),
            "user/locale/en-us/time.current.dialog");
  const auto loaded = load_skill_resources(index.value);
  EXPECT_TRUE(loaded.errors.empty());
  ASSERT_EQ(loaded.value.dialogs.at("time.current").lines.size(), 1u);
  EXPECT_EQ(loaded.value.dialogs.at("time.current").lines[0].raw, "The time is {time}.");
}

TEST_F(IndexLayout, OtherLanguage) {
  const auto index = index_resources(search("de-DE"));
  EXPECT_EQ(index.value.files.size(), 1u);
  EXPECT_NE(index.value.find("intent", "was"), nullptr);
}

TEST_F(IndexLayout, DuplicatesNameBothFiles) {
  dir_.write("skill/locale/en-us/more/Weather.voc", "climate\n");
  dir_.write("user/locale/en-us/a/x.dialog", "A\n");
  dir_.write("user/locale/en-us/b/x.dialog", "B\n");
  auto index = index_resources(search());
  Strings errors;
  for (auto e : index.errors) errors.push_back(e.str());
  const std::string root = dir_.path().string() + "/";
  EXPECT_EQ(errors,
            (Strings{root + "user/locale/en-us/b/x.dialog: duplicate resource 'x.dialog': also " +
                         root + "user/locale/en-us/a/x.dialog",
                     root +
                         "skill/locale/en-us/more/Weather.voc: duplicate resource "
                         "'Weather.voc': also " +
                         root + "skill/locale/EN-US/vocab/Weather.voc"}));
  // The first in path order stays.
  EXPECT_EQ(relative(index.value.find("dialog", "x"), dir_), "user/locale/en-us/a/x.dialog");
}

TEST_F(IndexLayout, LoadsWhatItFinds) {
  const auto loaded = load_skill_resources(index_resources(search()).value);
  const auto& skill = loaded.value;
  EXPECT_EQ(skill.intents.size(), 1u);
  EXPECT_EQ(skill.dialogs.size(), 2u);
  EXPECT_EQ(skill.vocabularies.size(), 2u);
  EXPECT_EQ(skill.regexes.size(), 1u);
  EXPECT_EQ(skill.blacklists.at("still"), (Strings{"no"}));
  // <weather> in a template resolves from Weather.voc, compared lowercased.
  ASSERT_NE(skill.vocabulary_members("weather"), nullptr);
  EXPECT_EQ(*skill.vocabulary_members("weather"), (Strings{"weather", "forecast", "outlook"}));
  EXPECT_EQ(skill.vocabulary_members("rain"), nullptr);
  ExpandOptions options;
  options.vocabulary = [&](std::string_view name) { return skill.vocabulary_members(name); };
  EXPECT_EQ(expand_template("<Weather> today", Direction::input, options).value,
            (Strings{"weather today", "forecast today", "outlook today"}));
}

TEST(Index, MissingSkillFolder) {
  const auto index = index_resources({"/nonexistent/skill", "en-us", {}});
  ASSERT_EQ(index.errors.size(), 1u);
  EXPECT_EQ(index.errors[0].str(), "/nonexistent/skill: not a folder");
}

TEST(Index, UserResourceDirFollowsXdg) {
  const char* saved = std::getenv("XDG_DATA_HOME");
  const std::string restore = saved == nullptr ? "" : saved;
  ::setenv("XDG_DATA_HOME", "/data", 1);
  EXPECT_EQ(user_resource_dir("skill.author"), "/data/mycroft/resources/skill.author");
  if (saved == nullptr) {
    ::unsetenv("XDG_DATA_HOME");
  } else {
    ::setenv("XDG_DATA_HOME", restore.c_str(), 1);
  }
}

}  // namespace
}  // namespace hark::skills
