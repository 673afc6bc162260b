#include "pipeline/common_query.h"

#include <spdlog/spdlog.h>

#include "pipeline/stage_resources.h"
#include "skills/text.h"

namespace hark::pipeline {
namespace {
constexpr std::string_view kQuestionWords = "QuestionWord";
constexpr std::string_view kMediaWords = "Play";
constexpr std::size_t kMinWords = 3;

std::size_t word_count(std::string_view text) {
  std::size_t words = 0;
  bool in_word = false;
  for (char c : text) {
    const bool space = skills::text::is_space(c);
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}
}  // namespace

QuestionDetector::QuestionDetector(const std::filesystem::path& dir) {
  for_each_language(
      dir, "common query", [&](const std::string& lang, const skills::SkillResources& resources) {
        for (auto type : {kQuestionWords, kMediaWords}) {
          auto words = resources.vocabularies.find(std::string(type));
          if (words == resources.vocabularies.end()) {
            spdlog::warn("common query: no {}.voc for {} in {}", type, lang, dir.string());
            continue;
          }
          for (const auto& word : words->second.members) engine_.register_vocab(lang, type, word);
        }
        engine_.register_intent(lang, {.name = "common_query:question",
                                       .required = {{std::string(kQuestionWords), "question"}},
                                       .excludes = {std::string(kMediaWords)}});
      });
}

bool QuestionDetector::is_question(std::string_view utterance, std::string_view lang) const {
  return word_count(utterance) >= kMinWords && !engine_.match(utterance, lang).empty();
}

std::optional<Json> best_answer(const std::map<std::string, Json>& answers_by_skill,
                                double min_confidence) {
  const Json* best = nullptr;
  double best_confidence = 0;
  for (const auto& [skill, answer] : answers_by_skill) {
    if (!answer.is_object()) continue;
    auto text = answer.find("answer");
    auto confidence = answer.find("conf");
    if (text == answer.end() || !text->is_string() || text->get<std::string>().empty() ||
        confidence == answer.end() || !confidence->is_number())
      continue;
    const double value = confidence->get<double>();
    if (value < min_confidence || (best && value <= best_confidence)) continue;
    best = &answer;
    best_confidence = value;
  }
  if (!best) return std::nullopt;
  return *best;
}

}  // namespace hark::pipeline
