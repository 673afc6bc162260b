#include "pipeline/stop_matcher.h"

#include <spdlog/spdlog.h>

#include <array>
#include <string>

#include "intent/english_lexicon.h"
#include "intent/template_skill.h"
#include "pipeline/stage_resources.h"
#include "skills/text.h"

namespace hark::pipeline {
namespace {
constexpr std::string_view kSkillId = "stop";
const std::array<std::string, 2> kIntents{"global_stop", "stop"};
constexpr std::string_view kStopWords = "Stop";
}  // namespace

StopMatcher::StopMatcher(const std::filesystem::path& skill_dir) {
  for_each_language(
      skill_dir, "stop", [&](const std::string& lang, const skills::SkillResources& resources) {
        auto registered =
            intent::register_template_skill(engine_, lang, kSkillId, resources, kIntents);
        for (const auto& e : registered.errors) spdlog::warn("stop: {}", e.str());
        for (const auto& intent : kIntents)
          if (auto file = resources.intents.find(intent); file != resources.intents.end())
            for (const auto& line : file->second.templates)
              sentences_[lang][std::string(kSkillId) + ":" + intent + ".intent"].push_back(
                  line.raw);
        auto words = resources.vocabularies.find(std::string(kStopWords));
        if (words == resources.vocabularies.end()) {
          spdlog::warn("stop: no {}.voc for {} in {}", kStopWords, lang, skill_dir.string());
          return;
        }
        for (const auto& word : words->second.members) {
          stop_words_.register_vocab(lang, kStopWords, word);
          stop_phrases_[lang].push_back(word);
        }
        stop_words_.register_intent(
            lang, {.name = "stop:says_stop", .required = {{std::string(kStopWords), "stop"}}});
      });
  engine_.train();
}

std::optional<StopKind> StopMatcher::match(std::string_view utterance, std::string_view lang,
                                           Band band, double threshold) const {
  if (stop_words_.match(utterance, lang).empty()) return std::nullopt;
  if (auto best = engine_.match(utterance, lang); best && best->confidence >= threshold)
    return best->intent.ends_with(":global_stop.intent") ? StopKind::Global : StopKind::Skill;
  if (band == Band::High || !lang.starts_with("en")) return std::nullopt;
  auto phrases = stop_phrases_.find(std::string(lang));
  if (phrases == stop_phrases_.end()) return std::nullopt;
  // The readings read lowercase words, as the engines lowercase what they match.
  auto object = intent::english_command_said(skills::text::lower(utterance), phrases->second);
  if (!object) return std::nullopt;
  return *object == intent::EnglishCommandObject::Everything ? StopKind::Global : StopKind::Skill;
}

std::map<std::string, std::vector<std::string>> StopMatcher::sentences(
    std::string_view lang) const {
  auto it = sentences_.find(std::string(lang));
  return it == sentences_.end() ? std::map<std::string, std::vector<std::string>>{} : it->second;
}

}  // namespace hark::pipeline
