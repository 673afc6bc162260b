// The common query stage (OVOS's ovos-common-query-pipeline-plugin, protocols.md §2.8): a
// question no intent took is put to the question-answering skills, and the most confident
// answer's skill speaks it. The bus side is in intent_service.cpp; this file holds what needs no
// bus: which utterances are questions, and which answer wins.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/json.h"
#include "intent/keyword_engine.h"

namespace hark::pipeline {

// OVOS's test: three words or more, a question word (QuestionWord.voc: "what", "who", "tell me
// about", ...) and no media word (Play.voc: "play", "read", ...), from the stage's own folder
// (src/skills/builtin/common-query/locale/<lang>/). Words are matched as Adapt matches
// vocabulary, so where "search" (media) and "search for" (question) overlap, the longer wins.
class QuestionDetector {
 public:
  // Problems with the files are logged; a language without them has no questions.
  explicit QuestionDetector(const std::filesystem::path& dir);

  bool is_question(std::string_view utterance, std::string_view lang) const;

 private:
  intent::KeywordEngine engine_;
};

// The winning `question:query.response`: the highest `conf` among those with a non-empty
// `answer` and a `conf` of at least `min_confidence`; of equals, the first by skill id (OVOS
// takes the first when no reranker plugin is configured, and Hark has none).
std::optional<Json> best_answer(const std::map<std::string, Json>& answers_by_skill,
                                double min_confidence);

}  // namespace hark::pipeline
