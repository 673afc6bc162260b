#include "pipeline/intent_matcher.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <limits>

namespace hark::pipeline {
namespace {

std::optional<std::string> string_at(const Json& data, const char* key) {
  auto it = data.find(key);
  if (it == data.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::string lang_of(const Json& data, std::string_view fallback) {
  return normalize_lang(string_at(data, "lang").value_or(std::string(fallback)));
}

// padatious:register_intent and _entity carry their lines in "samples"; older senders put a
// file path in "file_name" only, which a process on another machine cannot read.
std::optional<std::vector<std::string>> samples_of(const Json& data) {
  auto it = data.find("samples");
  if (it == data.end() || !it->is_array()) return std::nullopt;
  std::vector<std::string> lines;
  for (const auto& line : *it) {
    if (!line.is_string()) return std::nullopt;
    lines.push_back(line.get<std::string>());
  }
  return lines;
}

std::string join_diagnostics(const std::vector<skills::Diagnostic>& problems) {
  std::string joined;
  for (const auto& problem : problems) {
    if (!joined.empty()) joined += "; ";
    joined += problem.str();
  }
  return joined;
}

}  // namespace

std::string_view skill_of(std::string_view intent_name) {
  return intent_name.substr(0, intent_name.find(':'));
}

std::string normalize_lang(std::string_view lang) {
  std::string lowered(lang);
  for (auto& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::replace(lowered.begin(), lowered.end(), '_', '-');
  return lowered;
}

IntentMatcher::IntentMatcher(Blacklists blacklists) : blacklists_(std::move(blacklists)) {}

bool IntentMatcher::blacklisted_skill(std::string_view skill_id) const {
  return blacklists_.skills.contains(skill_id);
}

void IntentMatcher::activate_skill(std::string_view skill_id) {
  if (auto it = deactivated_.find(skill_id); it != deactivated_.end()) deactivated_.erase(it);
}

bool IntentMatcher::allowed(std::string_view intent_name) const {
  const auto skill = skill_of(intent_name);
  return !blacklisted_skill(skill) && !deactivated(skill) &&
         !blacklists_.intents.contains(intent_name);
}

std::optional<std::string> IntentMatcher::register_vocab(const Json& data, std::string_view lang) {
  return keywords_.register_vocab_message(data, lang_of(data, lang));
}

std::optional<std::string> IntentMatcher::register_keyword_intent(const Json& data,
                                                                  std::string_view lang) {
  if (auto name = string_at(data, "name"); name && blacklisted_skill(skill_of(*name)))
    return fmt::format("{}: skill {} is blacklisted", *name, skill_of(*name));
  languages_.insert(lang_of(data, lang));
  return keywords_.register_intent_message(data, lang_of(data, lang));
}

std::optional<std::string> IntentMatcher::register_padatious_intent(const Json& data,
                                                                    std::string_view lang) {
  auto name = string_at(data, "name");
  if (!name) return "no string \"name\"";
  if (blacklisted_skill(skill_of(*name)))
    return fmt::format("{}: skill {} is blacklisted", *name, skill_of(*name));
  auto samples = samples_of(data);
  if (!samples) return fmt::format("{}: \"samples\" must be a list of strings", *name);
  const auto language = lang_of(data, lang);
  auto problems = templates_.register_intent(language, *name, *samples);
  template_intents_[language].insert_or_assign(*name, *samples);
  untrained_ = true;
  if (problems.empty()) return std::nullopt;
  return fmt::format("{}: {} lines skipped: {}", *name, problems.size(),
                     join_diagnostics(problems));
}

std::optional<std::string> IntentMatcher::register_padatious_entity(const Json& data,
                                                                    std::string_view lang) {
  auto name = string_at(data, "name");
  if (!name) return "no string \"name\"";
  auto samples = samples_of(data);
  if (!samples) return fmt::format("{}: \"samples\" must be a list of strings", *name);
  const auto language = lang_of(data, lang);
  auto problems = templates_.register_entity(language, *name, *samples);
  template_entities_[language].insert_or_assign(*name, *samples);
  untrained_ = true;
  if (problems.empty()) return std::nullopt;
  return fmt::format("{}: {} lines skipped: {}", *name, problems.size(),
                     join_diagnostics(problems));
}

bool IntentMatcher::detach_intent(std::string_view intent_name) {
  bool detached = keywords_.detach_intent(intent_name);
  for (auto& [lang, names] : template_intents_) {
    if (auto it = names.find(intent_name); it != names.end()) {
      names.erase(it);
      detached = true;
    }
  }
  templates_.detach_intent(intent_name);
  return detached;
}

bool IntentMatcher::detach_skill(std::string_view skill_id) {
  bool detached = keywords_.detach_skill(skill_id) > 0;
  const std::string prefix = std::string(skill_id) + ":";
  for (auto* registry : {&template_intents_, &template_entities_}) {
    for (auto& [lang, names] : *registry) {
      detached |= std::erase_if(names, [&](const auto& entry) {
                    return entry.first.starts_with(prefix);
                  }) > 0;
    }
  }
  templates_.detach_skill(skill_id);
  return detached;
}

void IntentMatcher::train() {
  if (!untrained_) return;
  templates_.train();
  untrained_ = false;
}

std::optional<IntentMatch> IntentMatcher::match_template(std::string_view utterance,
                                                         std::string_view lang, double threshold) {
  train();
  auto best = templates_.match_top(utterance, normalize_lang(lang), 1,
                                   [this](std::string_view name) { return allowed(name); });
  for (auto& candidate : best) {
    if (candidate.confidence < threshold) break;
    IntentMatch match{.intent_name = candidate.intent,
                      .skill_id = std::string(skill_of(candidate.intent)),
                      .intent_service = "padatious",
                      .confidence = candidate.confidence,
                      .data = Json::object()};
    for (const auto& [slot, value] : candidate.slots) match.data[slot] = value;
    return match;
  }
  return std::nullopt;
}

std::optional<IntentMatch> IntentMatcher::match_keyword(
    std::string_view utterance, std::string_view lang, double threshold,
    std::span<const intent::ContextEntity> context) const {
  // Enough candidates that intents left out (blacklisted, deactivated) do not hide the next
  // best one: every intent when a whole skill is deactivated.
  const std::size_t candidates = deactivated_.empty() ? 3 : std::numeric_limits<std::size_t>::max();
  for (auto& candidate : keywords_.match(utterance, normalize_lang(lang), candidates, context)) {
    if (candidate.confidence < threshold) break;
    if (!allowed(candidate.intent_name)) continue;
    return IntentMatch{.intent_name = candidate.intent_name,
                       .skill_id = candidate.skill_id,
                       .intent_service = "adapt",
                       .confidence = candidate.confidence,
                       .data = std::move(candidate.data)};
  }
  return std::nullopt;
}

std::vector<std::string> IntentMatcher::keyword_intents(std::string_view lang) const {
  return keywords_.intent_names(normalize_lang(lang));
}

namespace {
template <class Registry>
std::vector<std::string> names_in(const Registry& registry, std::string_view lang) {
  std::vector<std::string> names;
  if (auto it = registry.find(normalize_lang(lang)); it != registry.end()) {
    for (const auto& entry : it->second) names.push_back(entry.first);
  }
  return names;
}
}  // namespace

std::vector<std::string> IntentMatcher::template_intents(std::string_view lang) const {
  return names_in(template_intents_, lang);
}

std::vector<std::string> IntentMatcher::template_entities(std::string_view lang) const {
  return names_in(template_entities_, lang);
}

Json IntentMatcher::template_samples(std::string_view lang) const {
  Json samples = {{"intents", Json::object()}, {"entities", Json::object()}};
  const auto language = normalize_lang(lang);
  if (auto it = template_intents_.find(language); it != template_intents_.end()) {
    for (const auto& [name, lines] : it->second) {
      if (allowed(name)) samples["intents"][name] = lines;
    }
  }
  if (auto it = template_entities_.find(language); it != template_entities_.end()) {
    for (const auto& [name, lines] : it->second) samples["entities"][name] = lines;
  }
  return samples;
}

std::set<std::string> IntentMatcher::skills() const {
  std::set<std::string> ids;
  for (const auto& [lang, names] : template_intents_)
    for (const auto& entry : names) ids.emplace(skill_of(entry.first));
  for (const auto& lang : languages_)
    for (const auto& name : keywords_.intent_names(lang)) ids.emplace(skill_of(name));
  return ids;
}

}  // namespace hark::pipeline
