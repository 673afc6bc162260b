// Sentence templates (OVOS-INTENT-1), the grammar of every .intent, .entity, .voc, .blacklist
// and .dialog line. A line is parsed once into a small tree; engines can walk the tree, and
// expand() lists the sentences it stands for.
//
//   auto parsed = Template::parse("(what's|what is) the time [in {location}]", Direction::input);
//   if (!parsed.ok()) report(parsed.error);               // column and what is wrong
//   auto sentences = parsed.value->expand();               // "what's the time", ...
//
// Grammar: (a|b|c) alternatives, nestable, a branch may be empty; [x] optional, same as (x|);
// {name} or {{name}} slot, {type:name} typed slot; <name> vocabulary reference. The characters
// ( ) [ ] { } < > | are always structural. A group with one non-empty branch, "(word)", is read
// as the bare branch, as ovos-spec-tools does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "skills/diagnostic.h"

namespace hark::skills {

enum class Direction {
  // Matched against what the user said (.intent .entity .voc .blacklist): lowercased; a line
  // may not be only a slot, and two slots may not touch, or a matcher could not split them.
  input,
  // Filled in by the skill and spoken (.dialog): case and punctuation kept; "{speed}
  // {speed_unit}" and a line that is only "{time}" are fine.
  output,
};

struct TemplateNode;
using TemplateSequence = std::vector<TemplateNode>;

struct TemplateNode {
  enum class Kind { text, slot, vocabulary, alternatives };
  Kind kind = Kind::text;
  // The literal text with its spaces (kind text), or the slot or vocabulary name.
  std::string text;
  // The type of a typed slot {type:name}; empty when untyped.
  std::string slot_type;
  // The choices of an alternatives node; [x] is stored as (x|), so its last branch is empty.
  std::vector<TemplateSequence> branches;
  // 1-based column (in characters) of the node in the source line.
  int column = 0;
};

// Training on a template that expands to millions of sentences never ends (ovos-core #471), so
// expansion refuses past this many sentences instead.
inline constexpr std::size_t kDefaultMaxExpansions = 10'000;

struct ExpandOptions {
  std::size_t max_expansions = kDefaultMaxExpansions;
  // Members of the vocabulary <name> (already expanded, slot-free). When unset, <name> stays in
  // the sentences as it is written; when set, an unknown name is an error.
  std::function<const std::vector<std::string>*(std::string_view name)> vocabulary;
  // Value for the slot {name}. When unset or when it returns nullopt, "{name}" stays in the
  // sentence (the form engines train on).
  std::function<std::optional<std::string>(std::string_view name)> slot_value;
};

class Template {
 public:
  // Input-direction lines are lowercased before parsing. Errors carry the column.
  static Checked<Template> parse(std::string_view line, Direction direction);

  // The line as given (input direction: lowercased).
  const std::string& source() const { return source_; }
  Direction direction() const { return direction_; }
  const TemplateSequence& nodes() const { return nodes_; }
  // Slot names, in order of first appearance.
  const std::vector<std::string>& slots() const { return slots_; }

  // How many sentences expand() would produce before removing duplicates (saturates at the
  // largest uint64). An error past options.max_expansions, or for an unknown or empty
  // vocabulary: a caller that only trains on the tree can still refuse what expand() would.
  Checked<std::uint64_t> count(const ExpandOptions& options = {}) const;

  // Every sentence, spaces collapsed, duplicates removed (first kept). The order is that of
  // ovos-spec-tools for templates without nested groups: the first group varies fastest.
  Checked<std::vector<std::string>> expand(const ExpandOptions& options = {}) const;

 private:
  std::string source_;
  Direction direction_ = Direction::input;
  TemplateSequence nodes_;
  std::vector<std::string> slots_;
};

// parse() then expand(); a parse error is returned as it is.
Checked<std::vector<std::string>> expand_template(std::string_view line, Direction direction,
                                                  const ExpandOptions& options = {});

}  // namespace hark::skills
