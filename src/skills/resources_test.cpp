#include "skills/resources.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "skills/test_files.h"

namespace hark::skills {
namespace {

using Strings = std::vector<std::string>;
using testing::ScratchDir;

// Errors as "file-name:line:column: message", with the scratch folder left out.
Strings errors_of(const std::vector<Diagnostic>& errors, const ScratchDir& dir) {
  Strings out;
  for (auto e : errors) {
    e.file = e.file.lexically_relative(dir.path());
    out.push_back(e.str());
  }
  return out;
}

TEST(ResourceLines, BomLineEndingsCommentsAndBadBytes) {
  ScratchDir dir;
  const auto file = dir.write("a.voc",
                              "\xEF\xBB\xBF# comment\r\n\r\n  hello world  \r\nsecond\rthird\n"
                              "\xff bad\n   # indented comment\n\tlast");
  const auto lines = read_resource_lines(file);
  ASSERT_EQ(lines.value.size(), 4u);
  EXPECT_EQ(lines.value[0].number, 3);
  EXPECT_EQ(lines.value[0].column, 3);
  EXPECT_EQ(lines.value[0].text, "hello world");
  EXPECT_EQ(lines.value[1].number, 4);
  EXPECT_EQ(lines.value[1].text, "second");
  EXPECT_EQ(lines.value[2].number, 5);
  EXPECT_EQ(lines.value[2].text, "third");
  EXPECT_EQ(lines.value[3].number, 8);
  EXPECT_EQ(lines.value[3].column, 2);
  EXPECT_EQ(lines.value[3].text, "last");
  EXPECT_EQ(errors_of(lines.errors, dir), (Strings{"a.voc:6:1: invalid UTF-8"}));
}

TEST(ResourceLines, MissingFile) {
  ScratchDir dir;
  const auto lines = read_resource_lines(dir.path() / "nope.intent");
  EXPECT_EQ(errors_of(lines.errors, dir),
            (Strings{"nope.intent: cannot open: No such file or directory"}));
}

TEST(IntentFile, TemplatesSlotsAndErrorsInFileColumns) {
  ScratchDir dir;
  const auto file = dir.write("what.time.is.it.intent",
                              "# comment\n"
                              "what time is it [now]\n"
                              "  (what's|what is) the (time [in {location}]\n"
                              "Tell me the time in {location} on {day}\n");
  const auto intent = load_intent_file(file);
  EXPECT_EQ(errors_of(intent.errors, dir),
            (Strings{"what.time.is.it.intent:3:24: unbalanced '('"}));
  ASSERT_EQ(intent.value.templates.size(), 2u);
  EXPECT_EQ(intent.value.templates[0].number, 2);
  EXPECT_EQ(intent.value.templates[1].raw, "Tell me the time in {location} on {day}");
  EXPECT_EQ(intent.value.templates[1].parsed.source(), "tell me the time in {location} on {day}");
  EXPECT_EQ(intent.value.slots, (Strings{"location", "day"}));
}

TEST(IntentFile, ExpansionLimitAppliesAtLoad) {
  ScratchDir dir;
  std::string heavy = "go";
  for (int i = 0; i < 14; ++i) heavy += " (a|b)";
  const auto file = dir.write("heavy.intent", "fine line\n" + heavy + "\n");
  const auto refused = load_intent_file(file);
  EXPECT_EQ(errors_of(refused.errors, dir),
            (Strings{"heavy.intent:2:1: the template expands to 16384 sentences, more than the "
                     "limit of 10000"}));
  EXPECT_EQ(refused.value.templates.size(), 1u);
  EXPECT_EQ(load_intent_file(file, LoadOptions{20'000}).value.templates.size(), 2u);
}

TEST(IntentFile, OnlyCommentsIsReported) {
  ScratchDir dir;
  const auto file = dir.write("empty.intent", "# a comment\n##\n\n");
  const auto intent = load_intent_file(file);
  EXPECT_TRUE(intent.value.templates.empty());
  EXPECT_EQ(errors_of(intent.errors, dir),
            (Strings{"empty.intent: no entries: every line is blank or a comment"}));
}

TEST(EntityFile, DigitPatternsAreKeptCommentsNot) {
  ScratchDir dir;
  // ovos-skill-date-time's offset.entity: padatious reads '#' as a digit.
  const auto file = dir.write("offset.entity", "# one or two digits\n#\n##\n\n");
  const auto entity = load_entity_file(file);
  EXPECT_TRUE(entity.errors.empty());
  EXPECT_EQ(entity.value.values, (Strings{"#", "##"}));
  ASSERT_EQ(entity.value.templates.size(), 2u);
  EXPECT_EQ(entity.value.templates[0].number, 2);
  EXPECT_TRUE(is_digit_pattern("###"));
  EXPECT_FALSE(is_digit_pattern("# note"));
  EXPECT_FALSE(is_digit_pattern(""));
}

TEST(EntityFile, ValuesExpandedLowercasedUnique) {
  ScratchDir dir;
  const auto file = dir.write("location.entity", "paris\nnew york\n(lisbon|lisboa)\nParis\n");
  const auto entity = load_entity_file(file);
  EXPECT_TRUE(entity.errors.empty());
  EXPECT_EQ(entity.value.values, (Strings{"paris", "new york", "lisbon", "lisboa"}));
  EXPECT_EQ(entity.value.templates.size(), 4u);
}

TEST(VocabFile, FirstSortedExpansionIsTheValue) {
  ScratchDir dir;
  const auto file = dir.write("Weather.voc",
                              "weather\n(outlook|forecast)\nLos Angeles california|los angeles|la\n"
                              "[the] Sky\n");
  const auto vocab = load_vocab_file(file);
  EXPECT_EQ(
      errors_of(vocab.errors, dir),
      (Strings{"Weather.voc:3:23: '|' outside a group: write two lines, or one group (a|b)"}));
  ASSERT_EQ(vocab.value.entries.size(), 3u);
  EXPECT_EQ(vocab.value.entries[0].value, "weather");
  EXPECT_TRUE(vocab.value.entries[0].aliases.empty());
  EXPECT_EQ(vocab.value.entries[1].line, 2);
  EXPECT_EQ(vocab.value.entries[1].value, "forecast");
  EXPECT_EQ(vocab.value.entries[1].aliases, (Strings{"outlook"}));
  EXPECT_EQ(vocab.value.entries[2].value, "sky");
  EXPECT_EQ(vocab.value.entries[2].aliases, (Strings{"the sky"}));
  EXPECT_EQ(vocab.value.members, (Strings{"weather", "outlook", "forecast", "the sky", "sky"}));
}

TEST(RegexFile, CompiledWithLineNumbers) {
  ScratchDir dir;
  const auto file = dir.write("location.rx",
                              "what is the weather (like )?in (?P<Location>.+)$\n"
                              "# comment\n"
                              "  (?P<a>x)(?P<a>y)\n");
  const auto regexes = load_regex_file(file);
  EXPECT_EQ(errors_of(regexes.errors, dir),
            (Strings{"location.rx:3:11: redefinition of group name 'a'"}));
  ASSERT_EQ(regexes.value.size(), 1u);
  EXPECT_EQ(regexes.value[0].number, 1);
  const auto match = regexes.value[0].regex.search("what is the weather like in lisbon");
  ASSERT_TRUE(match);
  EXPECT_EQ(match->groups.at(0).second, "lisbon");
}

TEST(DialogFile, CaseKeptSlotOnlyLinesAllowed) {
  ScratchDir dir;
  const auto file =
      dir.write("time.current.dialog",
                "It's {time}.\n(The time is|It is now) {time}.\n{time}\nOn { device }\n");
  const auto dialog = load_dialog_file(file);
  EXPECT_EQ(errors_of(dialog.errors, dir),
            (Strings{"time.current.dialog:4:4: invalid slot name '{ device }': use letters, "
                     "digits and '_', starting with a letter"}));
  ASSERT_EQ(dialog.value.lines.size(), 3u);
  EXPECT_EQ(dialog.value.lines[1].parsed.source(), "(The time is|It is now) {time}.");
}

TEST(SmallFiles, BlacklistValueListWord) {
  ScratchDir dir;
  EXPECT_EQ(load_blacklist_file(dir.write("wiki.blacklist", "(play|start) Music\n")).value,
            (Strings{"play music", "start music"}));

  const auto values = load_value_file(
      dir.write("timezone.value", "# comment\nChina, Etc/GMT+8\nbad line\na,b,c\n"));
  EXPECT_EQ(values.value, (std::map<std::string, std::string>{{"China", "Etc/GMT+8"}}));
  EXPECT_EQ(errors_of(values.errors, dir),
            (Strings{"timezone.value:3: expected one comma: name,value",
                     "timezone.value:4: expected one comma: name,value"}));

  EXPECT_EQ(load_list_file(dir.write("noise.list", "um\n Uh (huh)\n")).value,
            (Strings{"um", "Uh (huh)"}));
  EXPECT_EQ(load_word_file(dir.write("and.word", "# c\nand\nor\n")).value, "and");
  EXPECT_EQ(errors_of(load_word_file(dir.write("empty.word", "\n")).errors, dir),
            (Strings{"empty.word: no entries: every line is blank or a comment"}));
}

TEST(SkillJson, Examples) {
  ScratchDir dir;
  const auto good = load_skill_examples(
      dir.write("skill.json", R"({"name": "x", "examples": ["what time is it", 5, "hi"]})"));
  EXPECT_EQ(good.value, (Strings{"what time is it", "hi"}));
  EXPECT_EQ(errors_of(good.errors, dir), (Strings{"skill.json: an example is not a string: 5"}));
  EXPECT_TRUE(load_skill_examples(dir.write("none/skill.json", "{}")).errors.empty());
  EXPECT_EQ(errors_of(load_skill_examples(dir.write("bad/skill.json", "{oops")).errors, dir),
            (Strings{"bad/skill.json: not a JSON object"}));
}

}  // namespace
}  // namespace hark::skills
