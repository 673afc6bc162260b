// The stop stage's own sentences (OVOS's stop pipeline): global_stop.intent ("stop everything")
// and stop.intent ("stop", "cancel that") of every language in the built-in stop skill's folder,
// for utterances that say one of its Stop.voc words ("stop", "cancel", "never mind"): matched
// among two intents alone, "stop" weighs less than the words only one of them has, so without
// the words "are you doing okay" came near "stop what you're doing". Below the high band, as OVOS's
// stop_medium answers a stop word among other words, an English stop word said as a command of
// its own answers too ("nope cancel that", "stop counting i get it"; english_command_said).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "intent/keyword_engine.h"
#include "intent/template_engine.h"
#include "pipeline/stages.h"

namespace hark::pipeline {

enum class StopKind {
  Global,  // everything stops: mycroft.stop
  Skill,   // the most recent active skill that can stop does, else everything
};

class StopMatcher {
 public:
  // Problems with the files are logged; a missing folder leaves the stage matching nothing.
  explicit StopMatcher(const std::filesystem::path& skill_dir);

  // `threshold`: the template confidence the stage's band needs.
  std::optional<StopKind> match(std::string_view utterance, std::string_view lang, Band band,
                                double threshold) const;

  // The stage's template lines of a language, by intent ("stop:stop.intent"), as written: for the
  // listener's grammar, beside the skills' (hark.intent.samples).
  std::map<std::string, std::vector<std::string>> sentences(std::string_view lang) const;

 private:
  std::map<std::string, std::map<std::string, std::vector<std::string>>> sentences_;  // by lang
  intent::TemplateEngine engine_;
  intent::KeywordEngine stop_words_;
  std::map<std::string, std::vector<std::string>> stop_phrases_;  // Stop.voc's, by lang
};

}  // namespace hark::pipeline
