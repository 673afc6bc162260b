// The stop stage's own sentences (OVOS's stop pipeline): global_stop.intent ("stop everything")
// and stop.intent ("stop", "cancel that") of every language in the built-in stop skill's folder.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

#include "intent/template_engine.h"

namespace hark::pipeline {

enum class StopKind {
  Global,  // everything stops: mycroft.stop
  Skill,   // the most recent active skill that can stop does, else everything
};

class StopMatcher {
 public:
  // Problems with the files are logged; a missing folder leaves the stage matching nothing.
  explicit StopMatcher(const std::filesystem::path& skill_dir);

  std::optional<StopKind> match(std::string_view utterance, std::string_view lang,
                                double threshold) const;

 private:
  intent::TemplateEngine engine_;
};

}  // namespace hark::pipeline
