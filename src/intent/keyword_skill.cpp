#include "intent/keyword_skill.h"

#include <algorithm>
#include <optional>

#include "skills/munge.h"
#include "skills/text.h"

namespace hark::intent {
namespace {

// Adapt compares types case-insensitively, so "location" names the group "Location".
bool has_group(const skills::SkillResources& resources, std::string_view name) {
  const auto wanted = skills::text::lower(name);
  return std::any_of(resources.regexes.begin(), resources.regexes.end(), [&](const auto& file) {
    return std::any_of(file.second.begin(), file.second.end(), [&](const skills::RegexLine& line) {
      const auto names = line.regex.group_names();
      return std::any_of(names.begin(), names.end(),
                         [&](const std::string& n) { return skills::text::lower(n) == wanted; });
    });
  });
}

}  // namespace

skills::Loaded<std::vector<std::string>> register_keyword_skill(
    KeywordEngine& engine, std::string_view lang, std::string_view skill_id,
    const skills::SkillResources& resources, const Json& adapt_intents) {
  skills::Loaded<std::vector<std::string>> loaded;
  const auto error = [&](std::string message) {
    loaded.errors.push_back({{}, 0, 0, std::string(skill_id) + ": " + std::move(message)});
  };
  for (const auto& [base, file] : resources.vocabularies) {
    const auto type = skills::vocab_type(skill_id, base);
    for (const auto& entry : file.entries) {
      engine.register_vocab(lang, type, entry.value);
      for (const auto& alias : entry.aliases) engine.register_vocab(lang, type, alias, entry.value);
    }
  }
  for (const auto& [base, lines] : resources.regexes) {
    for (const auto& line : lines) {
      if (auto refused =
              engine.register_regex(lang, skills::munge_regex(line.regex.pattern(), skill_id)))
        error(base + ".rx:" + std::to_string(line.number) + ": " + *refused);
    }
  }
  if (!adapt_intents.is_array()) {
    error("adapt intents are not a list");
    return loaded;
  }

  for (const auto& declared : adapt_intents) {
    if (!declared.is_object() || !declared.contains("name") || !declared["name"].is_string()) {
      error("an adapt intent without a name");
      continue;
    }
    const auto name = declared["name"].get<std::string>();
    std::optional<std::string> missing;
    const auto munged = [&](const Json& base) {
      const auto text = base.is_string() ? base.get<std::string>() : base.dump();
      if (!resources.vocabularies.contains(text) && !has_group(resources, text) && !missing)
        missing = text;
      return skills::vocab_type(skill_id, text);
    };
    const auto list = [&](const char* key) {
      const auto it = declared.find(key);
      return it != declared.end() && it->is_array() ? *it : Json::array();
    };
    KeywordIntent intent{std::string(skill_id) + ":" + name, {}, {}, {}, {}};
    for (const auto& base : list("requires")) {
      const auto type = munged(base);
      intent.required.emplace_back(type, type);
    }
    for (const auto& base : list("optionally")) {
      const auto type = munged(base);
      intent.optional.emplace_back(type, type);
    }
    for (const auto& group : list("one_of")) {
      auto& types = intent.at_least_one.emplace_back();
      for (const auto& base : group) types.push_back(munged(base));
    }
    if (missing) {
      error("intent " + name + ": no vocabulary '" + *missing + "'");
    } else if (!list("requires_context").empty()) {
      error("intent " + name + ": requires_context is not supported");
    } else if (auto refused = engine.register_intent(lang, std::move(intent))) {
      error(*refused);
    } else {
      loaded.value.push_back(std::string(skill_id) + ":" + name);
    }
  }
  return loaded;
}

}  // namespace hark::intent
