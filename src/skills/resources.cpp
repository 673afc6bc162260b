#include "skills/resources.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <unordered_set>

#include "core/json.h"
#include "skills/text.h"

namespace hark::skills {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// A template error, moved to where the line is in the file.
Diagnostic at_line(const fs::path& file, const ResourceLine& line, Diagnostic error) {
  error.file = file;
  error.line = line.number;
  if (error.column > 0) error.column += line.column - 1;
  return error;
}

Diagnostic no_entries(const fs::path& file) {
  return Diagnostic{file, 0, 0, "no entries: every line is blank or a comment"};
}

// Reads the lines of `file` with the common reader and reports an empty file.
Loaded<std::vector<ResourceLine>> read_entries(const fs::path& file,
                                               HashLines hash_lines = HashLines::comment) {
  auto lines = read_resource_lines(file, hash_lines);
  if (lines.value.empty() && lines.errors.empty()) lines.errors.push_back(no_entries(file));
  return lines;
}

// Parses every line as a template, refusing lines that are malformed or expand too far.
std::vector<TemplateLine> parse_lines(const fs::path& file, const std::vector<ResourceLine>& lines,
                                      Direction direction, const LoadOptions& options,
                                      std::vector<Diagnostic>& errors) {
  ExpandOptions limit;
  limit.max_expansions = options.max_expansions;
  std::vector<TemplateLine> out;
  for (const auto& line : lines) {
    auto parsed = Template::parse(line.text, direction);
    if (!parsed.ok()) {
      errors.push_back(at_line(file, line, std::move(parsed.error)));
      continue;
    }
    if (auto total = parsed.value->count(limit); !total.ok()) {
      errors.push_back(at_line(file, line, std::move(total.error)));
      continue;
    }
    out.push_back(TemplateLine{line.number, line.text, std::move(*parsed.value)});
  }
  return out;
}

// Expansions of each line, in file order; a vocabulary reference is left as written.
std::vector<std::vector<std::string>> expand_lines(const std::vector<TemplateLine>& lines,
                                                   const LoadOptions& options) {
  ExpandOptions expand_options;
  expand_options.max_expansions = options.max_expansions;
  std::vector<std::vector<std::string>> out;
  for (const auto& line : lines) {
    // parse_lines already refused what would fail here.
    out.push_back(line.parsed.expand(expand_options).value.value_or(std::vector<std::string>{}));
  }
  return out;
}

void append_unique(std::vector<std::string>& out, std::unordered_set<std::string>& seen,
                   const std::vector<std::string>& items) {
  for (const auto& item : items) {
    if (seen.insert(item).second) out.push_back(item);
  }
}

Loaded<std::vector<TemplateLine>> load_templates(const fs::path& file, Direction direction,
                                                 const LoadOptions& options,
                                                 HashLines hash_lines = HashLines::comment) {
  auto lines = read_entries(file, hash_lines);
  Loaded<std::vector<TemplateLine>> out{{}, std::move(lines.errors)};
  out.value = parse_lines(file, lines.value, direction, options, out.errors);
  return out;
}

// Expanded phrases of every line, duplicates removed: .entity values and .blacklist phrases.
Loaded<std::vector<std::string>> load_phrases(const fs::path& file, const LoadOptions& options,
                                              HashLines hash_lines,
                                              std::vector<TemplateLine>* templates) {
  auto parsed = load_templates(file, Direction::input, options, hash_lines);
  Loaded<std::vector<std::string>> out{{}, std::move(parsed.errors)};
  std::unordered_set<std::string> seen;
  for (const auto& expansions : expand_lines(parsed.value, options)) {
    append_unique(out.value, seen, expansions);
  }
  if (templates != nullptr) *templates = std::move(parsed.value);
  return out;
}

}  // namespace

bool is_digit_pattern(std::string_view line) {
  return !line.empty() && line.find_first_not_of('#') == std::string_view::npos;
}

Loaded<std::vector<ResourceLine>> read_resource_lines(const fs::path& file, HashLines hash_lines) {
  Loaded<std::vector<ResourceLine>> out;
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    out.errors.push_back(
        Diagnostic{file, 0, 0, std::string("cannot open: ") + std::strerror(errno)});
    return out;
  }
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string_view rest = content;
  if (rest.starts_with(kBom)) rest.remove_prefix(kBom.size());

  int number = 0;
  while (!rest.empty()) {
    // Python's universal newlines: LF, CRLF or a lone CR ends a line.
    const std::size_t end = rest.find_first_of("\r\n");
    const std::string_view raw = rest.substr(0, end);
    std::size_t next = end == std::string_view::npos ? rest.size() : end + 1;
    if (end != std::string_view::npos && rest[end] == '\r' && next < rest.size() &&
        rest[next] == '\n') {
      ++next;
    }
    rest.remove_prefix(next);
    ++number;

    if (const auto bad = text::invalid_utf8_at(raw); bad != std::string_view::npos) {
      out.errors.push_back(Diagnostic{file, number, text::column_of(raw, bad), "invalid UTF-8"});
      continue;
    }
    const std::string_view stripped = text::strip(raw);
    const bool kept_pattern =
        hash_lines == HashLines::digit_patterns_kept && is_digit_pattern(stripped);
    if (stripped.empty() || (stripped.front() == '#' && !kept_pattern)) continue;
    const auto offset = static_cast<std::size_t>(stripped.data() - raw.data());
    out.value.push_back(ResourceLine{number, text::column_of(raw, offset), std::string(stripped)});
  }
  return out;
}

Loaded<IntentFile> load_intent_file(const fs::path& file, const LoadOptions& options) {
  auto parsed = load_templates(file, Direction::input, options);
  Loaded<IntentFile> out{{std::move(parsed.value), {}}, std::move(parsed.errors)};
  for (const auto& line : out.value.templates) {
    for (const auto& slot : line.parsed.slots()) {
      auto& slots = out.value.slots;
      if (std::find(slots.begin(), slots.end(), slot) == slots.end()) slots.push_back(slot);
    }
  }
  return out;
}

Loaded<EntityFile> load_entity_file(const fs::path& file, const LoadOptions& options) {
  Loaded<EntityFile> out;
  auto values = load_phrases(file, options, HashLines::digit_patterns_kept, &out.value.templates);
  out.value.values = std::move(values.value);
  out.errors = std::move(values.errors);
  return out;
}

Loaded<VocabFile> load_vocab_file(const fs::path& file, const LoadOptions& options) {
  auto parsed = load_templates(file, Direction::input, options);
  Loaded<VocabFile> out{{}, std::move(parsed.errors)};
  const auto expansions = expand_lines(parsed.value, options);
  std::unordered_set<std::string> seen;
  for (std::size_t i = 0; i < parsed.value.size(); ++i) {
    std::vector<std::string> sorted = expansions[i];
    std::sort(sorted.begin(), sorted.end());  // bytewise: Python's code-point order
    VocabEntry entry{parsed.value[i].number, sorted.front(), {}};
    entry.aliases.assign(std::next(sorted.begin()), sorted.end());
    out.value.entries.push_back(std::move(entry));
    append_unique(out.value.members, seen, expansions[i]);
  }
  return out;
}

Loaded<std::vector<RegexLine>> load_regex_file(const fs::path& file) {
  auto lines = read_entries(file);
  Loaded<std::vector<RegexLine>> out{{}, std::move(lines.errors)};
  for (const auto& line : lines.value) {
    auto compiled = PythonRegex::compile(line.text);
    if (!compiled.ok()) {
      out.errors.push_back(at_line(file, line, std::move(compiled.error)));
      continue;
    }
    out.value.push_back(RegexLine{line.number, std::move(*compiled.value)});
  }
  return out;
}

Loaded<DialogFile> load_dialog_file(const fs::path& file, const LoadOptions& options) {
  auto parsed = load_templates(file, Direction::output, options);
  return Loaded<DialogFile>{{std::move(parsed.value)}, std::move(parsed.errors)};
}

Loaded<std::vector<std::string>> load_blacklist_file(const fs::path& file,
                                                     const LoadOptions& options) {
  return load_phrases(file, options, HashLines::comment, nullptr);
}

Loaded<std::map<std::string, std::string>> load_value_file(const fs::path& file) {
  auto lines = read_entries(file);
  Loaded<std::map<std::string, std::string>> out{{}, std::move(lines.errors)};
  for (const auto& line : lines.value) {
    const auto comma = line.text.find(',');
    if (comma == std::string::npos || line.text.find(',', comma + 1) != std::string::npos) {
      out.errors.push_back(Diagnostic{file, line.number, 0, "expected one comma: name,value"});
      continue;
    }
    const std::string_view text = line.text;
    out.value[std::string(text::strip(text.substr(0, comma)))] =
        std::string(text::strip(text.substr(comma + 1)));
  }
  return out;
}

Loaded<std::vector<std::string>> load_list_file(const fs::path& file) {
  auto lines = read_entries(file);
  Loaded<std::vector<std::string>> out{{}, std::move(lines.errors)};
  for (auto& line : lines.value) out.value.push_back(std::move(line.text));
  return out;
}

Loaded<std::string> load_word_file(const fs::path& file) {
  auto lines = read_entries(file);
  Loaded<std::string> out{{}, std::move(lines.errors)};
  if (!lines.value.empty()) out.value = std::move(lines.value.front().text);
  return out;
}

Loaded<std::vector<std::string>> load_skill_examples(const fs::path& file) {
  Loaded<std::vector<std::string>> out;
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    out.errors.push_back(
        Diagnostic{file, 0, 0, std::string("cannot open: ") + std::strerror(errno)});
    return out;
  }
  const Json json = Json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) {
    out.errors.push_back(Diagnostic{file, 0, 0, "not a JSON object"});
    return out;
  }
  const auto examples = json.find("examples");
  if (examples == json.end()) return out;
  if (!examples->is_array()) {
    out.errors.push_back(Diagnostic{file, 0, 0, "\"examples\" is not a list"});
    return out;
  }
  for (const auto& example : *examples) {
    if (example.is_string()) {
      out.value.push_back(example.get<std::string>());
    } else {
      out.errors.push_back(Diagnostic{file, 0, 0, "an example is not a string: " + example.dump()});
    }
  }
  return out;
}

const std::vector<std::string>* SkillResources::vocabulary_members(std::string_view name) const {
  for (const auto& [base, file] : vocabularies) {
    if (text::lower(base) == name) return &file.members;
  }
  return nullptr;
}

Loaded<SkillResources> load_skill_resources(const ResourceIndex& index,
                                            const LoadOptions& options) {
  Loaded<SkillResources> out;
  auto& skill = out.value;
  const auto keep = [&](auto loaded, auto& into) {
    out.errors.insert(out.errors.end(), loaded.errors.begin(), loaded.errors.end());
    into = std::move(loaded.value);
  };
  for (const auto& [key, path] : index.files) {
    const std::string& ext = key.extension;
    const std::string& base = key.base;
    if (ext == "intent") {
      keep(load_intent_file(path, options), skill.intents[base]);
    } else if (ext == "entity") {
      keep(load_entity_file(path, options), skill.entities[base]);
    } else if (ext == "voc") {
      keep(load_vocab_file(path, options), skill.vocabularies[base]);
    } else if (ext == "rx") {
      keep(load_regex_file(path), skill.regexes[base]);
    } else if (ext == "dialog") {
      keep(load_dialog_file(path, options), skill.dialogs[base]);
    } else if (ext == "blacklist") {
      keep(load_blacklist_file(path, options), skill.blacklists[base]);
    } else if (ext == "value") {
      keep(load_value_file(path), skill.values[base]);
    } else if (ext == "list") {
      keep(load_list_file(path), skill.lists[base]);
    } else if (ext == "word") {
      keep(load_word_file(path), skill.words[base]);
    } else if (ext == "json" && base == "skill") {
      keep(load_skill_examples(path), skill.examples);
    }
  }
  return out;
}

}  // namespace hark::skills
