#include "intent/template_skill.h"

#include <utility>

namespace hark::intent {
namespace {

std::vector<std::string> raw_lines(const std::vector<skills::TemplateLine>& lines) {
  std::vector<std::string> raw;
  raw.reserve(lines.size());
  for (const auto& line : lines) raw.push_back(line.raw);
  return raw;
}

void append(std::vector<skills::Diagnostic>& to, std::vector<skills::Diagnostic> from) {
  for (auto& d : from) to.push_back(std::move(d));
}

}  // namespace

skills::Loaded<std::vector<std::string>> register_template_skill(
    TemplateEngine& engine, std::string_view lang, std::string_view skill_id,
    const skills::SkillResources& resources, std::span<const std::string> intents) {
  skills::Loaded<std::vector<std::string>> loaded;
  const std::string prefix = std::string(skill_id) + ":";
  for (const auto& [base, entity] : resources.entities)
    append(loaded.errors, engine.register_entity(lang, prefix + base, raw_lines(entity.templates)));
  for (const auto& base : intents) {
    auto it = resources.intents.find(base);
    if (it == resources.intents.end()) {
      loaded.errors.push_back({{}, 0, 0, "no file " + base + ".intent"});
      continue;
    }
    auto name = prefix + base + ".intent";
    append(loaded.errors, engine.register_intent(lang, name, raw_lines(it->second.templates)));
    loaded.value.push_back(std::move(name));
  }
  return loaded;
}

}  // namespace hark::intent
