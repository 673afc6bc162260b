// The resources of 18 real OVOS skills (shared/ovos-skills): every file must load, or its error
// is pinned here exactly, so a change in what Hark accepts shows up as a diff.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/json.h"
#include "skills/dialog.h"
#include "skills/index.h"
#include "skills/munge.h"
#include "skills/resources.h"

namespace hark::skills {
namespace {

namespace fs = std::filesystem;
using Strings = std::vector<std::string>;

const fs::path kFixtures = HARK_OVOS_SKILLS_DIR;

#define SKIP_WITHOUT_FIXTURES()     \
  if (!fs::is_directory(kFixtures)) \
  GTEST_SKIP() << "no OVOS skill fixtures at " << kFixtures << " (shared/ beside the repository)"

// The folder holding locale/: the repository root, or a Python package inside it.
fs::path resource_root(const fs::path& repo) {
  std::vector<fs::path> found;
  for (const auto& entry : fs::recursive_directory_iterator(repo)) {
    if (entry.is_directory() && entry.path().filename() == "locale")
      found.push_back(entry.path().parent_path());
  }
  std::sort(found.begin(), found.end());
  return found.empty() ? repo : found.front();
}

struct FixtureSkill {
  std::string name;
  Loaded<ResourceIndex> index;
  Loaded<SkillResources> resources;
};

std::vector<FixtureSkill> load_all(const std::string& lang) {
  std::vector<FixtureSkill> skills;
  std::vector<fs::path> repos;
  for (const auto& entry : fs::directory_iterator(kFixtures)) {
    if (entry.is_directory()) repos.push_back(entry.path());
  }
  std::sort(repos.begin(), repos.end());
  for (const auto& repo : repos) {
    FixtureSkill skill{
        repo.filename().string(), index_resources({resource_root(repo), lang, {}}), {}};
    skill.resources = load_skill_resources(skill.index.value);
    skills.push_back(std::move(skill));
  }
  return skills;
}

const std::vector<FixtureSkill>& fixtures() {
  static const std::vector<FixtureSkill> skills = load_all("en-us");
  return skills;
}

const FixtureSkill& fixture(std::string_view name) {
  for (const auto& skill : fixtures()) {
    if (skill.name == name) return skill;
  }
  throw std::out_of_range("no fixture " + std::string(name));
}

// Everything in the real skills that the grammar of protocols.md §4 does not accept.
TEST(OvosFixtures, EveryFileLoadsOrItsErrorIsPinned) {
  SKIP_WITHOUT_FIXTURES();
  Strings errors;
  for (const auto& skill : fixtures()) {
    EXPECT_TRUE(skill.index.errors.empty()) << skill.name << ": " << skill.index.errors[0].str();
    for (auto e : skill.resources.errors) {
      e.file = e.file.lexically_relative(kFixtures);
      errors.push_back(e.str());
    }
  }
  const std::string bad_slot = ": use letters, digits and '_', starting with a letter";
  EXPECT_EQ(
      errors,
      (Strings{
          // ".Dispose()" and "1) I am God. 2) ..." in jokes: parentheses are structural.
          "ovos-skill-icanhazdadjokes/locale/en-us/chuck_norris_jokes.dialog:40:78: empty group "
          "'()'",
          "ovos-skill-icanhazdadjokes/locale/en-us/dev_jokes.dialog:171:36: unbalanced ')'",
          // Spaces inside braces: Python's str.format would raise KeyError(' digits ') too.
          "ovos-skill-ip/locale/en-us/last digits.dialog:1:27: invalid slot name '{ digits }'" +
              bad_slot,
          "ovos-skill-ip/locale/en-us/last digits.dialog:2:27: invalid slot name '{ digits }'" +
              bad_slot,
          "ovos-skill-ip/locale/en-us/last digits.dialog:3:19: invalid slot name '{ digits }'" +
              bad_slot,
          "ovos-skill-ip/locale/en-us/last digits.dialog:4:19: invalid slot name '{ digits }'" +
              bad_slot,
          "ovos-skill-ip/locale/en-us/last digits.dialog:5:14: invalid slot name '{ digits }'" +
              bad_slot,
          "ovos-skill-ip/locale/en-us/last digits device.dialog:1:4: invalid slot name '{ device "
          "}'" +
              bad_slot,
          "ovos-skill-ip/locale/en-us/last digits device.dialog:2:4: invalid slot name '{ device "
          "}'" +
              bad_slot,
          "ovos-skill-ip/locale/en-us/last digits device.dialog:3:4: invalid slot name '{ device "
          "}'" +
              bad_slot,
          "ovos-skill-ip/locale/en-us/last digits device.dialog:4:4: invalid slot name '{ device "
          "}'" +
              bad_slot,
          "ovos-skill-ip/locale/en-us/last digits device.dialog:5:4: invalid slot name '{ device "
          "}'" +
              bad_slot,
          // The legacy expander read a bare '|' as top-level alternatives; OVOS-INTENT-1 does not.
          "ovos-skill-weather/locale/en-us/vocabulary/location.voc:2:23: '|' outside a group: "
          "write two lines, or one group (a|b)",
          "ovos-skill-weather/locale/en-us/vocabulary/location.voc:11:16: '|' outside a group: "
          "write two lines, or one group (a|b)",
      }));
}

// SOURCES.json says, per skill, which .intent and .entity files it registers and how many .voc
// and .rx files it has: the index must find each of them.
TEST(OvosFixtures, IndexAgreesWithSources) {
  SKIP_WITHOUT_FIXTURES();
  std::ifstream in(kFixtures / "SOURCES.json");
  const Json sources = Json::parse(in);
  ASSERT_EQ(sources.size(), fixtures().size());
  for (const auto& skill : fixtures()) {
    SCOPED_TRACE(skill.name);
    const Json& source = sources.at(skill.name);
    const auto& index = skill.index.value;
    for (const auto& intent : source.at("registered_intent_files")) {
      const auto file = intent.get<std::string>();
      EXPECT_NE(
          index.find("intent", file.substr(0, file.size() - std::string_view(".intent").size())),
          nullptr)
          << file;
    }
    EXPECT_EQ(index.bases("entity"), source.at("entity_files").get<Strings>());
    EXPECT_EQ(index.bases("voc").size(), source.at("voc_files").get<std::size_t>());
    EXPECT_EQ(index.bases("rx").size(), source.at("rx_files").get<std::size_t>());
  }
}

TEST(OvosFixtures, LanguageTagIgnoresCase) {
  SKIP_WITHOUT_FIXTURES();
  const auto upper = load_all("en-US");
  ASSERT_EQ(upper.size(), fixtures().size());
  for (std::size_t i = 0; i < upper.size(); ++i) {
    EXPECT_EQ(upper[i].index.value.files, fixtures()[i].index.value.files) << upper[i].name;
  }
  EXPECT_TRUE(load_all("pt-pt").front().index.value.files.empty());
}

struct Counts {
  std::size_t files, intents, entities, vocabularies, regexes, dialogs, values;
  bool operator==(const Counts&) const = default;
};

Counts counts_of(const FixtureSkill& skill) {
  const auto& r = skill.resources.value;
  return {skill.index.value.files.size(),
          r.intents.size(),
          r.entities.size(),
          r.vocabularies.size(),
          r.regexes.size(),
          r.dialogs.size(),
          r.values.size()};
}

TEST(OvosFixtures, CountsPerSkill) {
  SKIP_WITHOUT_FIXTURES();
  // files, intents, entities, vocabularies, regexes, dialogs, values
  EXPECT_EQ(counts_of(fixture("ovos-skill-date-time")), (Counts{35, 12, 3, 0, 1, 18, 1}));
  EXPECT_EQ(counts_of(fixture("ovos-skill-weather")), (Counts{194, 20, 1, 39, 1, 133, 0}));
  EXPECT_EQ(counts_of(fixture("ovos-skill-alerts")), (Counts{161, 1, 0, 43, 0, 117, 0}));
  EXPECT_EQ(counts_of(fixture("ovos-skill-hello-world")), (Counts{8, 2, 0, 2, 0, 4, 0}));
  EXPECT_EQ(counts_of(fixture("ovos-core-stop")), (Counts{2, 2, 0, 0, 0, 0, 0}));
}

TEST(OvosFixtures, Contents) {
  SKIP_WITHOUT_FIXTURES();
  const auto& date_time = fixture("ovos-skill-date-time").resources.value;
  const auto& what_time = date_time.intents.at("what.time.is.it");
  EXPECT_EQ(what_time.templates.size(), 336u);
  EXPECT_EQ(what_time.slots, (Strings{"location"}));
  EXPECT_EQ(what_time.templates[0].parsed.expand().value, (Strings{"i need to check the hour"}));
  EXPECT_EQ(date_time.values.at("timezone").size(), 10u);
  EXPECT_EQ(date_time.values.at("timezone").at("China"), "Etc/GMT+8");
  EXPECT_EQ(date_time.entities.at("location").values.size(), 80u);
  // Padatious digit patterns: one to four digits.
  EXPECT_EQ(date_time.entities.at("offset").values, (Strings{"#", "##", "###", "####"}));

  const auto& hello = fixture("ovos-skill-hello-world").resources.value;
  const auto& keyword = hello.vocabularies.at("HelloWorldKeyword").entries;
  ASSERT_EQ(keyword.size(), 2u);
  EXPECT_EQ(keyword[1].value, "hello world");
  // The curly apostrophe of "how’s it going" survives, and the file has no final newline.
  EXPECT_EQ(hello.intents.at("HowAreYou").templates.back().parsed.source(), "how\u2019s it going");

  const auto& weather = fixture("ovos-skill-weather").resources.value;
  EXPECT_EQ(weather.vocabularies.at("location").entries.size(), 13u);  // 15 lines, 2 refused
  EXPECT_EQ(weather.vocabularies.at("location").entries[0].value, "lawrence kansas");

  // A dialog with a BOM: the first line starts with its text.
  const auto& jokes = fixture("ovos-skill-icanhazdadjokes").resources.value;
  EXPECT_FALSE(jokes.dialogs.at("dad_jokes").lines.front().raw.starts_with("\xEF\xBB\xBF"));
}

// The .rx files of the fixtures, as written and munged, against utterances that should fill
// their named groups (expectations from CPython's re.search).
TEST(OvosFixtures, RegexesMatchUtterances) {
  SKIP_WITHOUT_FIXTURES();
  const auto group = [](const FixtureSkill& skill, const std::string& rx, std::string_view text) {
    const auto& regex = skill.resources.value.regexes.at(rx).at(0).regex;
    const auto match = regex.search(text);
    if (!match) return std::string("none");
    std::string out;
    for (const auto& [name, value] : match->groups) out += name + "=" + value;
    return out;
  };
  const auto& date_time = fixture("ovos-skill-date-time");
  EXPECT_EQ(group(date_time, "location", "what time is it in london"), "Location=london");
  EXPECT_EQ(group(date_time, "location", "what time is it"), "none");
  const auto& weather = fixture("ovos-skill-weather");
  EXPECT_EQ(group(weather, "location", "what is the weather in new york"), "Location=new york");
  EXPECT_EQ(group(weather, "location", "temperature in celsius"), "none");
  EXPECT_EQ(group(weather, "location", "what's the weather at home in fahrenheit"),
            "Location=home in fahrenheit");
  const auto& spelling = fixture("ovos-skill-spelling");
  EXPECT_EQ(group(spelling, "word", "how do you spell the word necessary"), "Word=necessary");
  EXPECT_EQ(group(spelling, "word", "spell café"), "Word=café");

  // Munged as the skill registers it, the pattern still compiles and the key carries the prefix.
  const auto& pattern = weather.resources.value.regexes.at("location").at(0).regex.pattern();
  const auto munged = PythonRegex::compile(munge_regex(pattern, "ovos-skill-weather.openvoiceos"));
  ASSERT_TRUE(munged.ok()) << munged.error.str();
  EXPECT_EQ(munged.value->group_names(), (Strings{"ovos_skill_weather_openvoiceosLocation"}));
  EXPECT_EQ(munged.value->search("forecast in paris")->groups.at(0).second, "paris");
}

// Names the skills would register under (values computed with CPython).
TEST(OvosFixtures, MungedNames) {
  SKIP_WITHOUT_FIXTURES();
  const std::string weather_id = "ovos-skill-weather.openvoiceos";
  Strings types;
  for (const auto& base : fixture("ovos-skill-weather").index.value.bases("voc")) {
    if (base.find('-') != std::string::npos) types.push_back(vocab_type(weather_id, base));
  }
  EXPECT_EQ(types, (Strings{"ovos_skill_weather_openvoiceosConfirm-Query",
                            "ovos_skill_weather_openvoiceosConfirm-Query-Current",
                            "ovos_skill_weather_openvoiceosConfirm-Query-Future",
                            "ovos_skill_weather_openvoiceosNumber-Days",
                            "ovos_skill_weather_openvoiceosRelative-Day",
                            "ovos_skill_weather_openvoiceosRelative-Time"}));
  EXPECT_EQ(entity_registration_name(weather_id, "unit"),
            "ovos-skill-weather.openvoiceos:unit_3e34bdebd9bd5edda27e8728904a2552");
  Strings entities;
  for (const auto& base : fixture("ovos-skill-date-time").index.value.bases("entity")) {
    entities.push_back(entity_registration_name("ovos-skill-date-time.openvoiceos", base));
  }
  EXPECT_EQ(entities,
            (Strings{"ovos-skill-date-time.openvoiceos:date_5fc732311905cb27e82d67f4f6511f7f",
                     "ovos-skill-date-time.openvoiceos:location_d5189de027922f81005951e6efe0efd5",
                     "ovos-skill-date-time.openvoiceos:offset_7a86c157ee9713c34fbd7a1ee40f0c5a"}));
}

TEST(OvosFixtures, DialogsRender) {
  SKIP_WITHOUT_FIXTURES();
  DialogRenderer date_time(fixture("ovos-skill-date-time").resources.value.dialogs, 3);
  Strings said;
  for (int i = 0; i < 4; ++i)
    said.push_back(date_time.render("time.current", {{"time", "ten past two"}}).text);
  // Four lines hold back two: any three renders in a row differ.
  EXPECT_EQ(said,
            (Strings{"ten past two", "It is ten past two", "It's ten past two", "ten past two"}));

  DialogRenderer speedtest(fixture("ovos-skill-speedtest").resources.value.dialogs, 3);
  const auto results = speedtest.render("result", {{"DOWN", 94.2}, {"UP", 11}});
  EXPECT_TRUE(results.missing.empty());
  EXPECT_EQ(results.text,
            "Your download speed is 94.2 Megabit per second and your upload speed is 11 Megabit "
            "per second.");
}

}  // namespace
}  // namespace hark::skills
