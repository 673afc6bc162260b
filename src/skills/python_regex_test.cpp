#include "skills/python_regex.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <utility>
#include <vector>

namespace hark::skills {
namespace {

using Groups = std::vector<std::pair<std::string, std::string>>;

PythonRegex compile_ok(std::string_view pattern) {
  auto rx = PythonRegex::compile(pattern);
  EXPECT_TRUE(rx.ok()) << pattern << ": " << rx.error.str();
  return std::move(rx.value).value_or(*PythonRegex::compile("x").value);
}

// "begin-end {groups}" of the first match, or "none"; offsets in bytes. The expectations were
// taken from CPython's re.search on the same pattern and text.
std::string search(const PythonRegex& rx, std::string_view text) {
  const auto m = rx.search(text);
  if (!m) return "none";
  std::string out = std::to_string(m->begin) + "-" + std::to_string(m->end);
  for (const auto& [name, value] : m->groups) out += " " + name + "=" + value;
  return out;
}

std::string error_of(std::string_view pattern) {
  auto rx = PythonRegex::compile(pattern);
  if (rx.ok()) return "ok";
  return std::to_string(rx.error.column) + ": " + rx.error.message;
}

TEST(PythonRegex, NamedGroupsAndUnicodeWords) {
  const auto rx =
      compile_ok(R"((spell the word|spell word|spelling of(?! the)|spell(?! the)) (?P<Word>\w+))");
  EXPECT_EQ(rx.group_names(), (std::vector<std::string>{"Word"}));
  EXPECT_EQ(search(rx, "how do you spell the word necessary"), "11-35 Word=necessary");
  EXPECT_EQ(search(rx, "spell cat"), "0-9 Word=cat");
  EXPECT_EQ(search(rx, "what is the spelling of café"), "12-29 Word=café");
  EXPECT_EQ(search(rx, "spell the"), "none");
}

TEST(PythonRegex, PythonOnlySyntaxIsTranslated) {
  EXPECT_EQ(search(compile_ok(R"(abc\Z)"), "abc\n"), "none");  // PCRE2's \Z would match
  EXPECT_EQ(search(compile_ok(R"(abc\Z)"), "xabc"), "1-4");
  EXPECT_EQ(search(compile_ok("a{,2}b"), "aaab"), "1-4");
  const auto conditional = compile_ok("(?P<x>a)?(?(x)b|c)");
  EXPECT_EQ(search(conditional, "ab"), "0-2 x=a");
  EXPECT_EQ(search(conditional, "c"), "0-1");  // a group that took no part is left out
  EXPECT_EQ(search(compile_ok("(?P<a>x)(?P=a)"), "axxb"), "1-3 a=x");
  EXPECT_EQ(search(compile_ok(R"(caf\u00e9 \U0001F600)"), "café 😀"), "0-10");
  EXPECT_EQ(search(compile_ok("(?u)it(?#a comment) (?i:Works)"), "it WORKS"), "0-8");
  EXPECT_EQ(search(compile_ok("(?P<a>x)(?:y)(?P<b>z)(q)"), "xyzq"), "0-4 a=x b=z");
}

TEST(PythonRegex, MungedNamesLongerThanPcreAllows) {
  const auto rx = compile_ok(R"(\b(at|in|for) (?P<ovos_skill_date_time_openvoiceosLocation>.*))");
  EXPECT_EQ(search(rx, "what time is it in london"),
            "16-25 ovos_skill_date_time_openvoiceosLocation=london");
}

TEST(PythonRegex, SearchFromAnOffset) {
  const auto rx = compile_ok("(?P<n>[0-9]+)");
  const auto m = rx.search("1 and 22", 1);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->begin, 6u);
  EXPECT_EQ(m->groups, (Groups{{"n", "22"}}));
  EXPECT_FALSE(rx.search("\xff 1"));  // not UTF-8: no match rather than undefined behaviour
}

TEST(PythonRegex, ErrorsSayWhere) {
  EXPECT_EQ(error_of("(?P<a>x)(?P<a>y)"), "9: redefinition of group name 'a'");
  EXPECT_EQ(error_of("(?P=zz)"), "1: unknown group name 'zz'");
  EXPECT_EQ(error_of("(?P<1a>x)"), "1: bad group name '1a'");
  EXPECT_EQ(error_of("(?<name>x)"), "1: Python has no (?<name>...): write (?P<name>...)");
  EXPECT_EQ(error_of(R"(x\N{EM DASH})"),
            "2: \\N{...} named characters are not supported: write the character");
  EXPECT_EQ(error_of("(?a)x"), "3: the ASCII flag (?a) is not supported");
  EXPECT_EQ(error_of("(?L)x"), "3: the locale flag (?L) is not supported");
  EXPECT_EQ(error_of(R"(\u12)"), "1: \\u needs 4 hex digits");
  EXPECT_EQ(error_of("é[abc"), "2: unterminated character set '['");
  EXPECT_EQ(error_of("x\\"), "2: the pattern ends with a lone '\\'");
  // PCRE2's own errors point into the pattern as written.
  EXPECT_EQ(error_of("(?P<long_name>abc"), "18: missing closing parenthesis");
  EXPECT_EQ(error_of("ab)"), "3: unmatched closing parenthesis");
  EXPECT_EQ(error_of("a**"), "3: quantifier does not follow a repeatable item");
}

// Short strings of Python regex syntax, seeded: translation never crashes, an error always says
// where, and what compiles can be searched.
TEST(PythonRegex, RandomPatterns) {
  constexpr std::string_view kAlphabet = "a(?P<>=)[]\\{},|*uZ#";
  std::mt19937_64 random(11);
  int compiled = 0;
  for (int i = 0; i < 20'000; ++i) {
    std::string pattern;
    for (std::size_t n = random() % 12; n > 0; --n)
      pattern += kAlphabet[random() % kAlphabet.size()];
    const auto rx = PythonRegex::compile(pattern);
    if (!rx.ok()) {
      EXPECT_GT(rx.error.column, 0) << pattern;
      continue;
    }
    ++compiled;
    rx.value->search("a(?P<a>=)uZ#");
  }
  EXPECT_EQ(compiled, 8232);
}

}  // namespace
}  // namespace hark::skills
