#include "pipeline/stop_matcher.h"

#include <spdlog/spdlog.h>

#include <array>
#include <string>

#include "intent/template_skill.h"
#include "pipeline/stage_resources.h"

namespace hark::pipeline {
namespace {
constexpr std::string_view kSkillId = "stop";
const std::array<std::string, 2> kIntents{"global_stop", "stop"};
}  // namespace

StopMatcher::StopMatcher(const std::filesystem::path& skill_dir) {
  for_each_language(
      skill_dir, "stop", [&](const std::string& lang, const skills::SkillResources& resources) {
        auto registered =
            intent::register_template_skill(engine_, lang, kSkillId, resources, kIntents);
        for (const auto& e : registered.errors) spdlog::warn("stop: {}", e.str());
      });
  engine_.train();
}

std::optional<StopKind> StopMatcher::match(std::string_view utterance, std::string_view lang,
                                           double threshold) const {
  auto best = engine_.match(utterance, lang);
  if (!best || best->confidence < threshold) return std::nullopt;
  return best->intent.ends_with(":global_stop.intent") ? StopKind::Global : StopKind::Skill;
}

}  // namespace hark::pipeline
