// Readers for each kind of skill resource file (protocols.md §4), and the loader that reads all
// of a skill's files for one language. A malformed line is reported with file:line:column and
// skipped; the rest of the file, and the skill's other files, still load.
//
//   auto index = index_resources({skill_dir, "en-us", user_resource_dir(skill_id)});
//   auto loaded = load_skill_resources(index.value);
//   for (const auto& e : loaded.errors) log(e.str());   // ".../what.time.is.it.intent:3:12:
//   unbalanced '('" for (const auto& [name, intent] : loaded.value.intents) ...
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "skills/diagnostic.h"
#include "skills/index.h"
#include "skills/python_regex.h"
#include "skills/template.h"

namespace hark::skills {

struct LoadOptions {
  // A template that expands past this is refused wherever it is (.intent lines included), so
  // no engine trains on it.
  std::size_t max_expansions = kDefaultMaxExpansions;
};

// A line that is not blank and not a comment: stripped, with its 1-based line number and the
// column its text starts at in the file (so template errors point into the file).
struct ResourceLine {
  int number = 0;
  int column = 1;
  std::string text;
};

// How a line starting with '#' reads: a comment, except in an .entity file, where a line of
// '#' only is Padatious's digit pattern (each '#' a digit: offset.entity's "##" is a two-digit
// number) and is kept.
enum class HashLines : std::uint8_t { comment, digit_patterns_kept };

// The common reader: UTF-8 with the BOM dropped, LF or CRLF, every line stripped, blank lines
// and lines starting with '#' skipped (there are no inline comments; see HashLines). A line that
// is not UTF-8 is reported and skipped.
Loaded<std::vector<ResourceLine>> read_resource_lines(const std::filesystem::path& file,
                                                      HashLines hash_lines = HashLines::comment);

// Whether a line is a digit pattern ("#", "##", ...).
bool is_digit_pattern(std::string_view line);

struct TemplateLine {
  int number = 0;
  std::string raw;  // as written, what padatious:register_intent sends in "samples"
  Template parsed;
};

// .intent: training templates of one intent; the base name is the intent name.
struct IntentFile {
  std::vector<TemplateLine> templates;
  std::vector<std::string> slots;  // every slot of every line, in order of first appearance
};

// .entity: the values a slot of the same base name can take.
struct EntityFile {
  std::vector<TemplateLine> templates;
  std::vector<std::string> values;  // expanded, lowercased, duplicates removed
};

// One line of a .voc: its expansions sorted, the first is the value and the rest its aliases
// (each becomes a register_vocab with alias_of the value).
struct VocabEntry {
  int line = 0;
  std::string value;
  std::vector<std::string> aliases;
};

struct VocabFile {
  std::vector<VocabEntry> entries;
  std::vector<std::string> members;  // every value and alias, duplicates removed
};

struct RegexLine {
  int number = 0;
  PythonRegex regex;
};

// .dialog: spoken responses, case and punctuation kept; see dialog.h to render them.
struct DialogFile {
  std::vector<TemplateLine> lines;
};

Loaded<IntentFile> load_intent_file(const std::filesystem::path& file,
                                    const LoadOptions& options = {});
Loaded<EntityFile> load_entity_file(const std::filesystem::path& file,
                                    const LoadOptions& options = {});
Loaded<VocabFile> load_vocab_file(const std::filesystem::path& file,
                                  const LoadOptions& options = {});
Loaded<std::vector<RegexLine>> load_regex_file(const std::filesystem::path& file);
Loaded<DialogFile> load_dialog_file(const std::filesystem::path& file,
                                    const LoadOptions& options = {});
// .blacklist: phrases that must not trigger the intent of the same base name, expanded.
Loaded<std::vector<std::string>> load_blacklist_file(const std::filesystem::path& file,
                                                     const LoadOptions& options = {});
// .value: "name,value" lines (exactly one comma; both sides stripped); a later name wins.
Loaded<std::map<std::string, std::string>> load_value_file(const std::filesystem::path& file);
// .list: one item per line, as written.
Loaded<std::vector<std::string>> load_list_file(const std::filesystem::path& file);
// .word: the first line.
Loaded<std::string> load_word_file(const std::filesystem::path& file);
// skill.json: the "examples" strings (homescreen.register.examples).
Loaded<std::vector<std::string>> load_skill_examples(const std::filesystem::path& file);

// All of a skill's resources for one language, keyed by base name.
struct SkillResources {
  std::map<std::string, IntentFile> intents;
  std::map<std::string, EntityFile> entities;
  std::map<std::string, VocabFile> vocabularies;
  std::map<std::string, std::vector<RegexLine>> regexes;
  std::map<std::string, DialogFile> dialogs;
  std::map<std::string, std::vector<std::string>> blacklists;
  std::map<std::string, std::map<std::string, std::string>> values;
  std::map<std::string, std::vector<std::string>> lists;
  std::map<std::string, std::string> words;
  std::vector<std::string> examples;

  // Members of the .voc a template's <name> refers to (names are compared lowercased, as
  // templates are), or null; fits ExpandOptions::vocabulary.
  const std::vector<std::string>* vocabulary_members(std::string_view name) const;
};

// Loads every file of the index that has a reader (.template, .prompt, .qml and others stay in
// the index for the skill to open). A file that cannot be read, or has no usable line, is there
// and empty, beside its error.
Loaded<SkillResources> load_skill_resources(const ResourceIndex& index,
                                            const LoadOptions& options = {});

}  // namespace hark::skills
