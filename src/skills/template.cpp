#include "skills/template.h"

#include <algorithm>
#include <limits>
#include <set>
#include <unordered_set>
#include <utility>

#include "skills/text.h"

namespace hark::skills {
namespace {

using Kind = TemplateNode::Kind;

bool is_structural(char c) {
  return c == '(' || c == ')' || c == '[' || c == ']' || c == '{' || c == '}' || c == '<' ||
         c == '>' || c == '|';
}

bool is_ascii_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Slot and vocabulary names: ASCII letters, digits and underscores, starting with a letter.
// ovos-spec-tools allows only lowercase; uppercase is accepted because dialogs are filled by
// Python's str.format, where "{UP}" is a valid key (ovos-skill-speedtest uses it).
bool is_name(std::string_view name) {
  if (name.empty() || !is_ascii_letter(name.front())) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return is_ascii_letter(c) || (c >= '0' && c <= '9') || c == '_';
  });
}

bool is_blank(const TemplateSequence& sequence) {
  return std::all_of(sequence.begin(), sequence.end(), [](const TemplateNode& node) {
    return node.kind == Kind::text && text::strip(node.text).empty();
  });
}

class Parser {
 public:
  explicit Parser(std::string_view line) : line_(line) {
    // Column of every byte, so nodes and errors can say where they are in characters.
    columns_.reserve(line.size() + 1);
    int column = 1;
    for (const char c : line) {
      columns_.push_back(column);
      if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++column;
    }
    columns_.push_back(column);
  }

  std::optional<TemplateSequence> parse_line() {
    TemplateSequence nodes;
    if (!parse_sequence(nodes)) return std::nullopt;
    if (pos_ < line_.size()) {
      // parse_sequence stops only at '|' or a closer; at top level both are errors.
      if (line_[pos_] == '|') {
        fail(pos_, "'|' outside a group: write two lines, or one group (a|b)");
      } else {
        fail(pos_, std::string("unbalanced '") + line_[pos_] + "'");
      }
      return std::nullopt;
    }
    return nodes;
  }

  Diagnostic error;

 private:
  bool fail(std::size_t pos, std::string message) {
    error = Diagnostic{{}, 0, columns_[pos], std::move(message)};
    return false;
  }

  // Reads nodes up to '|', ')', ']' or the end, without consuming the stop character.
  bool parse_sequence(TemplateSequence& out) {
    while (pos_ < line_.size()) {
      const char c = line_[pos_];
      if (c == '|' || c == ')' || c == ']') return true;
      bool ok = true;
      if (c == '(' || c == '[') {
        ok = parse_group(out);
      } else if (c == '{') {
        ok = parse_slot(out);
      } else if (c == '<') {
        ok = parse_vocabulary(out);
      } else if (c == '}' || c == '>') {
        ok = fail(pos_, std::string("unbalanced '") + c + "'");
      } else {
        parse_text(out);
      }
      if (!ok) return false;
    }
    return true;
  }

  void parse_text(TemplateSequence& out) {
    const std::size_t start = pos_;
    while (pos_ < line_.size() && !is_structural(line_[pos_])) ++pos_;
    const std::string_view literal = line_.substr(start, pos_ - start);
    if (!out.empty() && out.back().kind == Kind::text) {
      out.back().text += literal;  // text after a folded "(word)" joins what came before
    } else {
      out.push_back(TemplateNode{Kind::text, std::string(literal), {}, {}, columns_[start]});
    }
  }

  bool parse_group(TemplateSequence& out) {
    const std::size_t open_at = pos_;
    const char open = line_[pos_++];
    const char close = open == '(' ? ')' : ']';
    std::vector<TemplateSequence> branches(1);
    while (true) {
      if (!parse_sequence(branches.back())) return false;
      if (pos_ >= line_.size()) return fail(open_at, std::string("unbalanced '") + open + "'");
      const char c = line_[pos_++];
      if (c == close) break;
      if (c == '|') {
        branches.emplace_back();
        continue;
      }
      return fail(pos_ - 1, std::string("'") + c + "' closes the '" + open + "' at column " +
                                std::to_string(columns_[open_at]));
    }
    const bool all_blank = std::all_of(branches.begin(), branches.end(), is_blank);
    if (all_blank && branches.size() == 1) {
      return fail(open_at, std::string("empty group '") + open + close + "'");
    }
    if (open == '[') {
      branches.emplace_back();
    } else if (branches.size() == 1) {
      // "(word)" offers no choice: ovos-spec-tools reads it as the bare branch.
      for (auto& node : branches.front()) {
        if (node.kind == Kind::text && !out.empty() && out.back().kind == Kind::text) {
          out.back().text += node.text;
        } else {
          out.push_back(std::move(node));
        }
      }
      return true;
    }
    out.push_back(TemplateNode{Kind::alternatives, {}, {}, std::move(branches), columns_[open_at]});
    return true;
  }

  // Finds the end of a flat token ({...} or <...>): the closer, before any other structural
  // character. Returns npos when the token is not closed.
  std::size_t token_end(std::size_t from, char close) const {
    for (std::size_t i = from; i < line_.size(); ++i) {
      if (line_[i] == close) return i;
      if (is_structural(line_[i])) return std::string_view::npos;
    }
    return std::string_view::npos;
  }

  bool parse_slot(TemplateSequence& out) {
    const std::size_t open_at = pos_;
    const bool doubled = pos_ + 1 < line_.size() && line_[pos_ + 1] == '{';
    const std::size_t content_at = pos_ + (doubled ? 2 : 1);
    const std::size_t end = token_end(content_at, '}');
    if (end == std::string_view::npos ||
        (doubled && (end + 1 >= line_.size() || line_[end + 1] != '}'))) {
      return fail(open_at, doubled ? "unbalanced '{{'" : "unbalanced '{'");
    }
    const std::string_view content = line_.substr(content_at, end - content_at);
    pos_ = end + (doubled ? 2 : 1);
    std::string_view type;
    std::string_view name = content;
    if (const auto colon = content.find(':'); colon != std::string_view::npos) {
      type = content.substr(0, colon);
      name = content.substr(colon + 1);
    }
    if (!is_name(name) || (!type.empty() && !is_name(type)) ||
        (type.empty() && name.size() != content.size())) {
      return fail(open_at, "invalid slot name '{" + std::string(content) +
                               "}': use letters, digits and '_', starting with a letter");
    }
    out.push_back(
        TemplateNode{Kind::slot, std::string(name), std::string(type), {}, columns_[open_at]});
    return true;
  }

  bool parse_vocabulary(TemplateSequence& out) {
    const std::size_t open_at = pos_;
    const std::size_t end = token_end(pos_ + 1, '>');
    if (end == std::string_view::npos) return fail(open_at, "unbalanced '<'");
    const std::string_view name = line_.substr(pos_ + 1, end - pos_ - 1);
    pos_ = end + 1;
    if (!is_name(name)) {
      return fail(open_at, "invalid vocabulary name '<" + std::string(name) +
                               ">': use letters, digits and '_', starting with a letter");
    }
    out.push_back(TemplateNode{Kind::vocabulary, std::string(name), {}, {}, columns_[open_at]});
    return true;
  }

  std::string_view line_;
  std::size_t pos_ = 0;
  std::vector<int> columns_;
};

// What the sentences of a node can look like, to find the malformed forms without expanding:
// every property is "some sentence has it", and sentences of sequence items combine freely.
struct Facts {
  bool can_be_empty = false;
  bool can_be_only_slots = false;  // at least one slot and no words
  bool can_start_with_slot = false;
  bool can_end_with_slot = false;
  std::set<std::string> slots;
};

int first_slot_column(const TemplateNode& node, const std::string& name) {
  if (node.kind == Kind::slot) return node.text == name ? node.column : 0;
  for (const auto& branch : node.branches) {
    for (const auto& child : branch) {
      if (const int column = first_slot_column(child, name)) return column;
    }
  }
  return 0;
}

class Checker {
 public:
  explicit Checker(Direction direction) : direction_(direction) {}

  Facts sequence(const TemplateSequence& nodes) {
    Facts facts;
    facts.can_be_empty = true;
    bool all_empty_or_slots = true;
    for (const auto& node : nodes) {
      const Facts item = this->node(node);
      if (error) return facts;
      if (direction_ == Direction::input && facts.can_end_with_slot && item.can_start_with_slot) {
        fail(node.column, "two slots can touch here: a word must separate them");
        return facts;
      }
      for (const auto& name : item.slots) {
        if (!facts.slots.insert(name).second) {
          fail(first_slot_column(node, name),
               "slot {" + name + "} repeated: a slot appears once in a sentence");
          return facts;
        }
      }
      if (facts.can_be_empty && item.can_start_with_slot) facts.can_start_with_slot = true;
      facts.can_end_with_slot =
          item.can_end_with_slot || (item.can_be_empty && facts.can_end_with_slot);
      facts.can_be_only_slots = facts.can_be_only_slots || item.can_be_only_slots;
      all_empty_or_slots = all_empty_or_slots && (item.can_be_empty || item.can_be_only_slots);
      facts.can_be_empty = facts.can_be_empty && item.can_be_empty;
    }
    facts.can_be_only_slots = facts.can_be_only_slots && all_empty_or_slots;
    return facts;
  }

  Facts node(const TemplateNode& node) {
    Facts facts;
    switch (node.kind) {
      case Kind::text:
        facts.can_be_empty = text::strip(node.text).empty();
        break;
      case Kind::slot:
        facts.can_be_only_slots = facts.can_start_with_slot = facts.can_end_with_slot = true;
        facts.slots.insert(node.text);
        break;
      case Kind::vocabulary:
        break;
      case Kind::alternatives:
        for (const auto& branch : node.branches) {
          Facts one = sequence(branch);
          if (error) return facts;
          facts.can_be_empty |= one.can_be_empty;
          facts.can_be_only_slots |= one.can_be_only_slots;
          facts.can_start_with_slot |= one.can_start_with_slot;
          facts.can_end_with_slot |= one.can_end_with_slot;
          facts.slots.merge(one.slots);
        }
        break;
    }
    return facts;
  }

  void fail(int column, std::string message) {
    if (!error) error = Diagnostic{{}, 0, column, std::move(message)};
  }

  std::optional<Diagnostic> error;

 private:
  Direction direction_;
};

void collect_slots(const TemplateSequence& nodes, std::vector<std::string>& out) {
  for (const auto& node : nodes) {
    if (node.kind == Kind::slot && std::find(out.begin(), out.end(), node.text) == out.end()) {
      out.push_back(node.text);
    }
    for (const auto& branch : node.branches) collect_slots(branch, out);
  }
}

constexpr std::uint64_t kSaturated = std::numeric_limits<std::uint64_t>::max();

std::uint64_t saturating_mul(std::uint64_t a, std::uint64_t b) {
  if (a != 0 && b > kSaturated / a) return kSaturated;
  return a * b;
}

std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
  return b > kSaturated - a ? kSaturated : a + b;
}

class Counter {
 public:
  explicit Counter(const ExpandOptions& options) : options_(options) {}

  std::uint64_t sequence(const TemplateSequence& nodes) {
    std::uint64_t total = 1;
    for (const auto& node : nodes) {
      if (node.kind == Kind::alternatives) {
        std::uint64_t sum = 0;
        for (const auto& branch : node.branches) sum = saturating_add(sum, sequence(branch));
        total = saturating_mul(total, sum);
      } else if (node.kind == Kind::vocabulary && options_.vocabulary) {
        const auto* members = options_.vocabulary(node.text);
        if (members == nullptr || members->empty()) {
          if (!error) {
            error =
                Diagnostic{{},
                           0,
                           node.column,
                           (members == nullptr ? "undefined vocabulary <" : "empty vocabulary <") +
                               node.text + ">"};
          }
          return 0;
        }
        total = saturating_mul(total, members->size());
      }
    }
    return total;
  }

  std::optional<Diagnostic> error;

 private:
  const ExpandOptions& options_;
};

class Expander {
 public:
  explicit Expander(const ExpandOptions& options) : options_(options) {}

  // Appends every expansion of `nodes` to each prefix: the first group varies fastest.
  std::vector<std::string> sequence(const TemplateSequence& nodes,
                                    std::vector<std::string> prefixes) const {
    for (const auto& node : nodes) {
      switch (node.kind) {
        case Kind::text:
          for (auto& prefix : prefixes) prefix += node.text;
          break;
        case Kind::slot: {
          std::optional<std::string> value;
          if (options_.slot_value) value = options_.slot_value(node.text);
          const std::string piece = value ? *value : "{" + node.text + "}";
          for (auto& prefix : prefixes) prefix += piece;
          break;
        }
        case Kind::vocabulary:
          if (!options_.vocabulary) {
            for (auto& prefix : prefixes) prefix += "<" + node.text + ">";
          } else {
            prefixes = product(prefixes, *options_.vocabulary(node.text));
          }
          break;
        case Kind::alternatives: {
          std::vector<std::string> next;
          for (const auto& branch : node.branches) {
            auto expanded = sequence(branch, prefixes);
            std::move(expanded.begin(), expanded.end(), std::back_inserter(next));
          }
          prefixes = std::move(next);
          break;
        }
      }
    }
    return prefixes;
  }

 private:
  static std::vector<std::string> product(const std::vector<std::string>& prefixes,
                                          const std::vector<std::string>& members) {
    std::vector<std::string> next;
    next.reserve(prefixes.size() * members.size());
    for (const auto& member : members) {
      for (const auto& prefix : prefixes) next.push_back(prefix + member);
    }
    return next;
  }

  const ExpandOptions& options_;
};

}  // namespace

Checked<Template> Template::parse(std::string_view line, Direction direction) {
  Template parsed;
  parsed.direction_ = direction;
  parsed.source_ = direction == Direction::input ? text::lower(line) : std::string(line);
  Parser parser(parsed.source_);
  auto nodes = parser.parse_line();
  if (!nodes) return Checked<Template>{std::nullopt, parser.error};

  Checker checker(direction);
  const Facts facts = checker.sequence(*nodes);
  if (checker.error) return Checked<Template>{std::nullopt, *checker.error};
  if (facts.can_be_empty) {
    return checked_error<Template>(1, "the template can expand to an empty sentence");
  }
  if (direction == Direction::input && facts.can_be_only_slots) {
    return checked_error<Template>(1, "the template can be only a slot: add words around it");
  }
  parsed.nodes_ = std::move(*nodes);
  collect_slots(parsed.nodes_, parsed.slots_);
  return Checked<Template>{std::move(parsed), {}};
}

Checked<std::uint64_t> Template::count(const ExpandOptions& options) const {
  Counter counter(options);
  const std::uint64_t total = counter.sequence(nodes_);
  if (counter.error) return Checked<std::uint64_t>{std::nullopt, *counter.error};
  if (total > options.max_expansions) {
    const std::string how_many = total == kSaturated ? "more than 2^64" : std::to_string(total);
    return checked_error<std::uint64_t>(1, "the template expands to " + how_many +
                                               " sentences, more than the limit of " +
                                               std::to_string(options.max_expansions));
  }
  return Checked<std::uint64_t>{total, {}};
}

Checked<std::vector<std::string>> Template::expand(const ExpandOptions& options) const {
  using Result = Checked<std::vector<std::string>>;
  if (const auto total = count(options); !total.ok()) return Result{std::nullopt, total.error};
  std::vector<std::string> raw = Expander(options).sequence(nodes_, {std::string()});
  std::vector<std::string> sentences;
  sentences.reserve(raw.size());
  std::unordered_set<std::string> seen;
  for (const auto& sentence : raw) {
    std::string collapsed = text::collapse_spaces(sentence);
    if (seen.insert(collapsed).second) sentences.push_back(std::move(collapsed));
  }
  return Result{std::move(sentences), {}};
}

Checked<std::vector<std::string>> expand_template(std::string_view line, Direction direction,
                                                  const ExpandOptions& options) {
  auto parsed = Template::parse(line, direction);
  if (!parsed.ok()) return Checked<std::vector<std::string>>{std::nullopt, parsed.error};
  return parsed.value->expand(options);
}

}  // namespace hark::skills
