#include "skills/dialog.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace hark::skills {
namespace {

using Strings = std::vector<std::string>;

DialogFile dialog_of(const Strings& lines) {
  DialogFile file;
  int number = 0;
  for (const auto& line : lines) {
    auto parsed = Template::parse(line, Direction::output);
    EXPECT_TRUE(parsed.ok()) << line << ": " << parsed.error.str();
    file.lines.push_back(TemplateLine{++number, line, std::move(*parsed.value)});
  }
  return file;
}

Strings render_n(DialogRenderer& renderer, std::string_view name, int n,
                 const Json& data = Json::object()) {
  Strings out;
  for (int i = 0; i < n; ++i) out.push_back(renderer.render(name, data).text);
  return out;
}

TEST(Random, SameSeedSamePicks) {
  Random a(42);
  Random b(42);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a.below(7), b.below(7));
  // The standard fixes mt19937_64's 10000th output for the default seed, so picks made from it
  // are the same with every standard library.
  Random standard(5489);
  for (int i = 0; i < 9999; ++i) standard.below(2);
  EXPECT_EQ(standard.below(SIZE_MAX), 9981545732273789042u);
}

TEST(Dialog, MissingDialogSaysItsName) {
  DialogRenderer renderer({}, 1);
  EXPECT_EQ(renderer.render("record.not.found").text, "record not found");
}

TEST(Dialog, SlotsFilledFromData) {
  std::map<std::string, DialogFile> dialogs;
  dialogs["time.current"] = dialog_of({"It's {time} in {{place}}."});
  dialogs["kinds"] = dialog_of({"{n} {x} {b} {z} {s}"});
  DialogRenderer renderer(std::move(dialogs), 7);
  EXPECT_EQ(renderer.render("time.current", {{"time", "ten past two"}, {"place", "Lisbon"}}).text,
            "It's ten past two in Lisbon.");
  EXPECT_EQ(
      renderer.render("kinds", {{"n", 5}, {"x", 2.5}, {"b", true}, {"z", nullptr}, {"s", "(a|b)"}})
          .text,
      "5 2.5 True None (a|b)");  // values are text, never template syntax

  const auto missing = renderer.render("time.current", {{"time", "noon"}});
  EXPECT_EQ(missing.text, "It's noon in .");
  EXPECT_EQ(missing.missing, (Strings{"place"}));
}

TEST(Dialog, SeededRenderingIsExact) {
  std::map<std::string, DialogFile> dialogs;
  dialogs["greet"] = dialog_of({"(Hi|Hello) {name}!", "Good day, {name}.", "Hey there [{name}]"});
  DialogRenderer renderer(std::move(dialogs), 2024);
  EXPECT_EQ(render_n(renderer, "greet", 6, {{"name", "Ada"}}),
            (Strings{"Good day, Ada.", "Hey there Ada", "Hello Ada!", "Good day, Ada.", "Hi Ada!",
                     "Good day, Ada."}));
}

TEST(Dialog, RecentLinesAreHeldBack) {
  std::map<std::string, DialogFile> dialogs;
  dialogs["five"] = dialog_of({"a", "b", "c", "d", "e"});
  dialogs["three"] = dialog_of({"a", "b", "c"});
  DialogRenderer renderer(std::move(dialogs), 99);
  // Five lines hold back three: any four renders in a row are all different.
  const auto five = render_n(renderer, "five", 200);
  for (std::size_t i = 3; i < five.size(); ++i) {
    EXPECT_EQ(std::set<std::string>(five.begin() + i - 3, five.begin() + i + 1).size(), 4u) << i;
  }
  // Three lines hold back one: never the same twice in a row, and every line comes up.
  const auto three = render_n(renderer, "three", 200);
  for (std::size_t i = 1; i < three.size(); ++i) EXPECT_NE(three[i], three[i - 1]) << i;
  EXPECT_EQ(std::set<std::string>(three.begin(), three.end()).size(), 3u);
}

TEST(Dialog, TwoLinesAreNotHeldBack) {
  std::map<std::string, DialogFile> dialogs;
  dialogs["two"] = dialog_of({"a", "b"});
  DialogRenderer renderer(std::move(dialogs), 5);
  const auto two = render_n(renderer, "two", 50);
  int repeats = 0;
  for (std::size_t i = 1; i < two.size(); ++i) repeats += two[i] == two[i - 1];
  EXPECT_GT(repeats, 0);
}

TEST(Dialog, ExpansionPickedAtRandom) {
  std::map<std::string, DialogFile> dialogs;
  dialogs["one"] = dialog_of({"(Hi|Hello|Hey) there"});
  DialogRenderer renderer(std::move(dialogs), 11);
  const auto said = render_n(renderer, "one", 60);
  EXPECT_EQ(std::set<std::string>(said.begin(), said.end()),
            (std::set<std::string>{"Hi there", "Hello there", "Hey there"}));
}

}  // namespace
}  // namespace hark::skills
