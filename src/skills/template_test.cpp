#include "skills/template.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

namespace hark::skills {
namespace {

using Sentences = std::vector<std::string>;

Sentences expand_ok(std::string_view line, Direction direction = Direction::input,
                    const ExpandOptions& options = {}) {
  auto result = expand_template(line, direction, options);
  EXPECT_TRUE(result.ok()) << line << ": " << result.error.str();
  return result.value.value_or(Sentences{});
}

// "column: message" of the error a line gives, or "ok".
std::string error_of(std::string_view line, Direction direction = Direction::input) {
  auto result = Template::parse(line, direction);
  if (result.ok()) return "ok";
  return std::to_string(result.error.column) + ": " + result.error.message;
}

TEST(Template, SpecExampleInReferenceOrder) {
  EXPECT_EQ(expand_ok("(turn|switch) [the] (light|fan)"),
            (Sentences{"turn the light", "switch the light", "turn light", "switch light",
                       "turn the fan", "switch the fan", "turn fan", "switch fan"}));
}

TEST(Template, ProtocolExample) {
  EXPECT_EQ(expand_ok("(what's|what is) the time [in {location}]"),
            (Sentences{"what's the time in {location}", "what is the time in {location}",
                       "what's the time", "what is the time"}));
}

TEST(Template, NestedGroupsInsideOptional) {
  EXPECT_EQ(expand_ok("turn on [(all|every) ]light[s]"),
            (Sentences{"turn on all lights", "turn on every lights", "turn on lights",
                       "turn on all light", "turn on every light", "turn on light"}));
  EXPECT_EQ(expand_ok("(a (b|c)|d) e"), (Sentences{"a b e", "a c e", "d e"}));
}

TEST(Template, EmptyBranchesAndOptionalsCollapseSpaces) {
  EXPECT_EQ(expand_ok("(please|) help me"), (Sentences{"please help me", "help me"}));
  EXPECT_EQ(expand_ok("help (|me|us) now"), (Sentences{"help now", "help me now", "help us now"}));
  EXPECT_EQ(expand_ok("[a|b] c"), (Sentences{"a c", "b c", "c"}));
  // Real fixture lines carry double spaces (ovos-skill-weather is_wind.intent).
  EXPECT_EQ(expand_ok("is it windy  in {location}"), (Sentences{"is it windy in {location}"}));
  EXPECT_EQ(expand_ok("  what\t[is]  the   time  "),
            (Sentences{"what is the time", "what the time"}));
}

TEST(Template, OptionalNextToSlot) {
  EXPECT_EQ(expand_ok("play {song}[ please]"), (Sentences{"play {song} please", "play {song}"}));
  EXPECT_EQ(expand_ok("[the] {thing} now"), (Sentences{"the {thing} now", "{thing} now"}));
}

TEST(Template, DuplicatesRemovedFirstKept) {
  EXPECT_EQ(expand_ok("(a|a) b"), (Sentences{"a b"}));
  EXPECT_EQ(expand_ok("x [y|] z"), (Sentences{"x y z", "x z"}));
}

TEST(Template, SingleBranchGroupIsTheBareBranch) {
  EXPECT_EQ(expand_ok("(turn) on"), (Sentences{"turn on"}));
  EXPECT_EQ(expand_ok("It's O(1) time", Direction::output), (Sentences{"It's O1 time"}));
  auto parsed = Template::parse("say (hello) there", Direction::input);
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed.value->nodes().size(), 1u);  // folded into one text node
  EXPECT_EQ(parsed.value->nodes()[0].text, "say hello there");
}

TEST(Template, InputIsLowercasedOutputKeepsCase) {
  EXPECT_EQ(expand_ok("What Is The TEMPERATURE in {Location}"),
            (Sentences{"what is the temperature in {location}"}));
  EXPECT_EQ(expand_ok("Über STRASSE ÀÉÎ ΑΒΓ ДОМ"), (Sentences{"über strasse àéî αβγ дом"}));
  EXPECT_EQ(expand_ok("It's {time}.", Direction::output), (Sentences{"It's {time}."}));
  EXPECT_EQ(expand_ok("(The time is|It is now) {time}.", Direction::output),
            (Sentences{"The time is {time}.", "It is now {time}."}));
}

TEST(Template, SlotSpellings) {
  auto parsed = Template::parse("count to {{number:n}} by {step}", Direction::input);
  ASSERT_TRUE(parsed.ok()) << parsed.error.str();
  EXPECT_EQ(parsed.value->slots(), (Sentences{"n", "step"}));
  const auto& nodes = parsed.value->nodes();
  ASSERT_EQ(nodes.size(), 4u);
  EXPECT_EQ(nodes[1].kind, TemplateNode::Kind::slot);
  EXPECT_EQ(nodes[1].text, "n");
  EXPECT_EQ(nodes[1].slot_type, "number");
  EXPECT_EQ(nodes[1].column, 10);
  EXPECT_EQ(nodes[3].slot_type, "");
  EXPECT_EQ(parsed.value->expand().value, (Sentences{"count to {n} by {step}"}));
  // Dialogs are filled by str.format, where upper-case keys are valid (ovos-skill-speedtest).
  EXPECT_EQ(expand_ok("Down {DOWN}, up {UP}", Direction::output),
            (Sentences{"Down {DOWN}, up {UP}"}));
}

TEST(Template, TreeForEngines) {
  auto parsed = Template::parse("(what's|what is) the time [in {location}]", Direction::input);
  ASSERT_TRUE(parsed.ok());
  const auto& nodes = parsed.value->nodes();
  ASSERT_EQ(nodes.size(), 3u);
  EXPECT_EQ(nodes[0].kind, TemplateNode::Kind::alternatives);
  EXPECT_EQ(nodes[0].column, 1);
  ASSERT_EQ(nodes[0].branches.size(), 2u);
  EXPECT_EQ(nodes[0].branches[1][0].text, "what is");
  EXPECT_EQ(nodes[1].kind, TemplateNode::Kind::text);
  EXPECT_EQ(nodes[1].text, " the time ");
  EXPECT_EQ(nodes[1].column, 17);
  EXPECT_EQ(nodes[2].kind, TemplateNode::Kind::alternatives);
  EXPECT_EQ(nodes[2].column, 27);
  ASSERT_EQ(nodes[2].branches.size(), 2u);
  EXPECT_TRUE(nodes[2].branches[1].empty());  // [x] is (x|)
  EXPECT_EQ(nodes[2].branches[0][1].kind, TemplateNode::Kind::slot);
  EXPECT_EQ(parsed.value->slots(), (Sentences{"location"}));
  EXPECT_EQ(parsed.value->count().value, 4u);
}

TEST(Template, VocabularyReferences) {
  const std::map<std::string, Sentences, std::less<>> vocabularies{{"greeting", {"hello", "hi"}},
                                                                   {"none", {}}};
  ExpandOptions options;
  options.vocabulary = [&](std::string_view name) -> const Sentences* {
    auto it = vocabularies.find(name);
    return it == vocabularies.end() ? nullptr : &it->second;
  };
  EXPECT_EQ(expand_ok("<greeting> [there]", Direction::input, options),
            (Sentences{"hello there", "hi there", "hello", "hi"}));
  // Unresolved, the reference stays for the caller.
  EXPECT_EQ(expand_ok("<greeting> [there]"), (Sentences{"<greeting> there", "<greeting>"}));
  auto missing = expand_template("say <farewell>", Direction::input, options);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error.column, 5);
  EXPECT_EQ(missing.error.message, "undefined vocabulary <farewell>");
  auto empty = expand_template("say <none>", Direction::input, options);
  EXPECT_EQ(empty.error.message, "empty vocabulary <none>");
  auto parsed = Template::parse("<greeting> (a|b)", Direction::input);
  EXPECT_EQ(parsed.value->count(options).value, 4u);
}

TEST(Template, SlotValuesFillTheSentence) {
  ExpandOptions options;
  options.slot_value = [](std::string_view name) -> std::optional<std::string> {
    if (name == "time") return "ten past  two";
    return std::nullopt;
  };
  EXPECT_EQ(expand_ok("(It's|It is) {time} in {place}.", Direction::output, options),
            (Sentences{"It's ten past two in {place}.", "It is ten past two in {place}."}));
}

TEST(Template, MalformedUnbalanced) {
  EXPECT_EQ(error_of("what (time is it"), "6: unbalanced '('");
  EXPECT_EQ(error_of("what time) is it"), "10: unbalanced ')'");
  EXPECT_EQ(error_of("what [time is it"), "6: unbalanced '['");
  EXPECT_EQ(error_of("what time] is it"), "10: unbalanced ']'");
  EXPECT_EQ(error_of("(a|b]"), "5: ']' closes the '(' at column 1");
  EXPECT_EQ(error_of("play {song now"), "6: unbalanced '{'");
  EXPECT_EQ(error_of("play {so(ng} now"), "6: unbalanced '{'");
  EXPECT_EQ(error_of("play {{song} now"), "6: unbalanced '{{'");
  EXPECT_EQ(error_of("play song} now"), "10: unbalanced '}'");
  EXPECT_EQ(error_of("say <greeting now"), "5: unbalanced '<'");
  EXPECT_EQ(error_of("x > y"), "3: unbalanced '>'");
  // Columns count characters, not bytes.
  EXPECT_EQ(error_of("café (crème"), "6: unbalanced '('");
  // A real dialog line of ovos-skill-icanhazdadjokes.
  EXPECT_EQ(error_of("There are 2 types of programmers. 1) I am God.", Direction::output),
            "36: unbalanced ')'");
}

TEST(Template, MalformedEmpty) {
  EXPECT_EQ(error_of("tell me () now"), "9: empty group '()'");
  EXPECT_EQ(error_of("tell me ( ) now"), "9: empty group '()'");
  EXPECT_EQ(error_of("[] x"), "1: empty group '[]'");
  EXPECT_EQ(error_of("[hello]"), "1: the template can expand to an empty sentence");
  EXPECT_EQ(error_of("(a|) [b]"), "1: the template can expand to an empty sentence");
  EXPECT_EQ(error_of("(|)"), "1: the template can expand to an empty sentence");
  EXPECT_EQ(error_of("   "), "1: the template can expand to an empty sentence");
  EXPECT_EQ(error_of("[hello]", Direction::output),
            "1: the template can expand to an empty sentence");
}

TEST(Template, MalformedSlots) {
  EXPECT_EQ(error_of("{name}"), "1: the template can be only a slot: add words around it");
  EXPECT_EQ(error_of("[please] {name}"), "1: the template can be only a slot: add words around it");
  EXPECT_EQ(error_of("[the] {thing} [now]"),
            "1: the template can be only a slot: add words around it");
  EXPECT_EQ(error_of("{time}", Direction::output), "ok");
  EXPECT_EQ(error_of("{a} {b} c"), "5: two slots can touch here: a word must separate them");
  EXPECT_EQ(error_of("play {a}{b}"), "9: two slots can touch here: a word must separate them");
  EXPECT_EQ(error_of("{a} [x] {b} c"), "9: two slots can touch here: a word must separate them");
  EXPECT_EQ(error_of("{a} (x|[y]) {b} c"),
            "13: two slots can touch here: a word must separate them");
  EXPECT_EQ(error_of("{a} x {b} c"), "ok");
  EXPECT_EQ(error_of("Wind is {speed} {speed_unit}.", Direction::output), "ok");
  EXPECT_EQ(error_of("{x} and {x}"), "9: slot {x} repeated: a slot appears once in a sentence");
  EXPECT_EQ(error_of("{x} and [more {x}]"),
            "15: slot {x} repeated: a slot appears once in a sentence");
  EXPECT_EQ(error_of("{x} and {x}", Direction::output),
            "9: slot {x} repeated: a slot appears once in a sentence");
  EXPECT_EQ(error_of("go (in {x}|at {x}) now"), "ok");
  EXPECT_EQ(
      error_of("On { device } it ends"),
      "4: invalid slot name '{ device }': use letters, digits and '_', starting with a letter");
  EXPECT_EQ(error_of("count {9x} up"),
            "7: invalid slot name '{9x}': use letters, digits and '_', starting with a letter");
  EXPECT_EQ(
      error_of("count {number:} up"),
      "7: invalid slot name '{number:}': use letters, digits and '_', starting with a letter");
  EXPECT_EQ(error_of("say <two words>"),
            "5: invalid vocabulary name '<two words>': use letters, digits and '_', starting with "
            "a letter");
}

TEST(Template, PipeOutsideAGroup) {
  // ovos-skill-weather location.voc line 2.
  EXPECT_EQ(error_of("Los Angeles california|los angeles|la"),
            "23: '|' outside a group: write two lines, or one group (a|b)");
}

TEST(Template, ExpansionCap) {
  std::string heavy;
  for (int i = 0; i < 14; ++i) heavy += "(a|b) ";  // 2^14 = 16384 sentences
  auto refused = expand_template(heavy, Direction::input);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error.column, 1);
  EXPECT_EQ(refused.error.message,
            "the template expands to 16384 sentences, more than the limit of 10000");

  ExpandOptions roomy;
  roomy.max_expansions = 20'000;
  EXPECT_EQ(expand_ok(heavy, Direction::input, roomy).size(), 16384u);

  std::string enormous;
  for (int i = 0; i < 70; ++i) enormous += "[a|b|c] ";
  auto parsed = Template::parse(enormous + "x", Direction::input);
  ASSERT_TRUE(parsed.ok());
  ExpandOptions unlimited;
  unlimited.max_expansions = SIZE_MAX;
  EXPECT_EQ(parsed.value->count(unlimited).value, UINT64_MAX);
  EXPECT_EQ(parsed.value->count().error.message,
            "the template expands to more than 2^64 sentences, more than the limit of 10000");
}

// Short strings of grammar characters, seeded: parsing never crashes, and what parses expands
// to sentences that keep the promises the checks make.
TEST(Template, RandomLinesKeepThePromises) {
  constexpr std::string_view kAlphabet = "ab ({[|]})<>:";
  std::mt19937_64 random(7);
  int parsed_count = 0;
  for (int i = 0; i < 20'000; ++i) {
    std::string line;
    for (std::size_t n = random() % 13; n > 0; --n) line += kAlphabet[random() % kAlphabet.size()];
    for (const auto direction : {Direction::input, Direction::output}) {
      const auto parsed = Template::parse(line, direction);
      if (!parsed.ok()) {
        EXPECT_GT(parsed.error.column, 0) << line;
        continue;
      }
      ++parsed_count;
      const auto sentences = parsed.value->expand();
      ASSERT_TRUE(sentences.ok()) << line;
      for (const auto& sentence : *sentences.value) {
        EXPECT_FALSE(sentence.empty()) << line;
        EXPECT_EQ(sentence.find_first_of("()[]|"), std::string::npos) << line;
        if (direction == Direction::input) {
          EXPECT_EQ(sentence.find("} {"), std::string::npos) << line;
          EXPECT_EQ(sentence.find("}{"), std::string::npos) << line;
          EXPECT_FALSE(sentence.front() == '{' && sentence.back() == '}' &&
                       sentence.find('}') == sentence.size() - 1)
              << line;
        }
      }
    }
  }
  EXPECT_EQ(parsed_count, 1110);
}

}  // namespace
}  // namespace hark::skills
