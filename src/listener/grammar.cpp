#include "listener/grammar.h"

#include <fmt/format.h>

#include <span>
#include <sstream>

#include "skills/template.h"

namespace hark::listener {
namespace {

// What fills a slot no entity describes: numbers, durations and amounts are what the built-in
// skills' open slots hold ("five minutes and ten seconds", "fifty percent").
constexpr const char* kNumberWords[] = {
    "zero",     "one",     "two",     "three",     "four",     "five",     "six",
    "seven",    "eight",   "nine",    "ten",       "eleven",   "twelve",   "thirteen",
    "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
    "thirty",   "forty",   "fifty",   "sixty",     "seventy",  "eighty",   "ninety",
    "hundred",  "a",       "an",      "half",      "quarter"};
constexpr const char* kUnitWords[] = {"second", "seconds", "minute", "minutes",
                                      "hour",   "hours",   "percent"};
// What the corpus fills open slots with: a spread of the numbers and units people say.
constexpr const char* kDurationSamples[] = {"five minutes",
                                            "ten minutes",
                                            "thirty seconds",
                                            "one hour",
                                            "twenty minutes",
                                            "a minute",
                                            "two hours",
                                            "fifteen minutes",
                                            "ninety seconds",
                                            "three minutes",
                                            "half an hour",
                                            "forty five minutes",
                                            "one minute and thirty seconds"};
constexpr const char* kOpenSamples[] = {"fifty",   "ten",  "twenty five", "one hundred", "thirty",
                                        "seventy", "five", "eighty",      "forty",       "sixty"};

// Lowercase letters, digits and apostrophes: what the dictionary spells words with.
std::string dictionary_form(std::string_view token) {
  std::string word;
  for (char c : token) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '\'') word += static_cast<char>(std::tolower(u));
  }
  return word;
}

std::vector<std::string> expand(const std::string& line) {
  auto sentences = skills::expand_template(line, skills::Direction::input);
  return sentences.ok() ? *sentences.value : std::vector<std::string>{};
}

class Builder {
 public:
  Builder(const IntentSamples& samples, const std::function<bool(const std::string&)>& known)
      : samples_(samples), known_(known) {}

  Grammar build() {
    std::set<std::string> sentences;
    std::size_t index = 0;
    for (const auto& [intent, lines] : samples_.intents) {
      std::string skill = intent.substr(0, intent.find(':'));
      for (const auto& line : lines) {
        for (const auto& sentence : expand(line)) {
          if (auto rule = to_rule(sentence, skill)) {
            if (sentences.insert(*rule).second) add_to_corpus(*rule, index);
          } else {
            ++grammar_.dropped;
          }
        }
      }
      ++index;
    }
    grammar_.sentences = sentences.size();
    if (sentences.empty()) return grammar_;
    std::string jsgf = "#JSGF V1.0;\ngrammar hark;\npublic <utterance> = ";
    bool first = true;
    for (const auto& sentence : sentences) {
      jsgf += first ? "" : "\n  | ";
      jsgf += sentence;
      first = false;
    }
    jsgf += ";\n";
    for (const auto& [name, body] : slot_rules_) jsgf += fmt::format("<{}> = {};\n", name, body);
    grammar_.jsgf = std::move(jsgf);
    return grammar_;
  }

 private:
  // `rule` (words and <slot> references) once per value of its most varied slot, the other
  // slots cycling through theirs.
  void add_to_corpus(const std::string& rule, std::size_t intent) {
    std::vector<std::string> tokens;
    std::istringstream in(rule);
    for (std::string token; in >> token;) tokens.push_back(token);
    std::size_t variants = 1;
    for (const auto& token : tokens) {
      if (token.front() == '<') variants = std::max(variants, slot_values(token).size());
    }
    for (std::size_t v = 0; v < variants; ++v) {
      std::vector<std::string> sentence;
      for (const auto& token : tokens) {
        if (token.front() != '<') {
          sentence.push_back(token);
          continue;
        }
        const auto& values = slot_values(token);
        std::istringstream value(values[v % values.size()]);
        for (std::string word; value >> word;) sentence.push_back(word);
      }
      grammar_.corpus.push_back(std::move(sentence));
      grammar_.corpus_intent.push_back(intent);
    }
  }

  // The values of slot reference "<name>", as space-separated words.
  const std::vector<std::string>& slot_values(const std::string& reference) {
    auto name = reference.substr(1, reference.size() - 2);
    if (auto it = slot_values_.find(name); it != slot_values_.end()) return it->second;
    std::vector<std::string> values;
    auto samples = name == "duration" ? std::span<const char* const>(kDurationSamples)
                                      : std::span<const char* const>(kOpenSamples);
    for (const char* sample : samples) {
      std::istringstream words(sample);
      bool pronounceable = true;
      for (std::string word; words >> word;) pronounceable = pronounceable && known_(word);
      if (pronounceable) values.push_back(sample);
    }
    if (values.empty()) values.push_back("");
    return slot_values_[name] = std::move(values);
  }

  // The sentence as a JSGF sequence, or nullopt when a word cannot be pronounced.
  std::optional<std::string> to_rule(const std::string& sentence, const std::string& skill) {
    std::istringstream tokens(sentence);
    std::string token;
    std::string rule;
    while (tokens >> token) {
      std::string piece;
      if (token.front() == '{' && token.back() == '}') {
        piece = fmt::format("<{}>", slot_rule(token.substr(1, token.size() - 2), skill));
      } else {
        piece = dictionary_form(token);
        if (piece.empty()) continue;
        if (!known_(piece)) {
          grammar_.unknown_words.insert(piece);
          return std::nullopt;
        }
      }
      if (!rule.empty()) rule += ' ';
      rule += piece;
    }
    if (rule.empty()) return std::nullopt;
    return rule;
  }

  // The rule name for slot `name` of `skill`'s intents, defined once.
  std::string slot_rule(std::string name, const std::string& skill) {
    name = name.substr(name.rfind(':') + 1);
    const std::vector<std::string>* lines = find_entity(skill + ":" + name);
    if (!lines) lines = find_entity(name);
    if (!lines) return open_rule(name);
    std::string key = skill + ":" + name;
    if (auto it = slot_names_.find(key); it != slot_names_.end()) return it->second;
    std::set<std::string> values;
    for (const auto& line : *lines) {
      for (const auto& value : expand(line)) {
        if (auto rule = to_rule(value, skill)) values.insert(*rule);
      }
    }
    if (values.empty()) return open_rule(name);
    std::string rule_name = fmt::format("slot{}", slot_names_.size());
    std::string body;
    for (const auto& value : values) body += (body.empty() ? "" : " | ") + value;
    slot_names_[key] = rule_name;
    slot_values_[rule_name] = {values.begin(), values.end()};
    slot_rules_[rule_name] = "(" + body + ")";
    return rule_name;
  }

  // "<skill>:<slot>", or the bus form "<skill>:<slot>_<md5>".
  const std::vector<std::string>* find_entity(const std::string& name) const {
    if (auto it = samples_.entities.find(name); it != samples_.entities.end()) return &it->second;
    for (auto it = samples_.entities.lower_bound(name + "_");
         it != samples_.entities.end() && it->first.starts_with(name + "_"); ++it) {
      return &it->second;
    }
    return nullptr;
  }

  // A {duration} (OVOS skills' name for it) always has a unit, which keeps "minutes" from
  // being heard as more numbers; other open slots may go without ("fifty [percent]").
  std::string open_rule(const std::string& slot) {
    if (!slot_rules_.contains("number")) {
      slot_rules_["number"] = alternatives(kNumberWords) + "+";
      slot_rules_["unit"] = alternatives(kUnitWords);
    }
    if (slot == "duration") {
      slot_rules_["duration"] = "<number> <unit> [and <number> <unit>]";
      return "duration";
    }
    slot_rules_["open"] = "<number> [<unit>]";
    return "open";
  }

  // "(a | b | c)" of the words the dictionary has.
  template <std::size_t N>
  std::string alternatives(const char* const (&words)[N]) {
    std::string body;
    for (const char* word : words) {
      if (!known_(word)) continue;
      if (!body.empty()) body += " | ";
      body += word;
    }
    return "(" + body + ")";
  }

  const IntentSamples& samples_;
  const std::function<bool(const std::string&)>& known_;
  Grammar grammar_;
  std::map<std::string, std::string> slot_names_;
  std::map<std::string, std::string> slot_rules_;
  std::map<std::string, std::vector<std::string>> slot_values_;
};

std::map<std::string, std::vector<std::string>> lines_by_name(const Json& data, const char* key) {
  std::map<std::string, std::vector<std::string>> out;
  auto section = data.find(key);
  if (section == data.end() || !section->is_object()) return out;
  for (const auto& [name, lines] : section->items()) {
    if (!lines.is_array()) continue;
    auto& kept = out[name];
    for (const auto& line : lines) {
      if (line.is_string()) kept.push_back(line.get<std::string>());
    }
  }
  return out;
}

}  // namespace

IntentSamples IntentSamples::from_json(const Json& data) {
  return {.intents = lines_by_name(data, "intents"), .entities = lines_by_name(data, "entities")};
}

Grammar make_grammar(const IntentSamples& samples,
                     const std::function<bool(const std::string&)>& known) {
  return Builder(samples, known).build();
}

}  // namespace hark::listener
