#include "pipeline/stop_matcher.h"

#include <spdlog/spdlog.h>

#include <array>
#include <string>

#include "intent/template_skill.h"
#include "skills/index.h"
#include "skills/resources.h"

namespace hark::pipeline {
namespace {
constexpr std::string_view kSkillId = "stop";
const std::array<std::string, 2> kIntents{"global_stop", "stop"};
}  // namespace

StopMatcher::StopMatcher(const std::filesystem::path& skill_dir) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(skill_dir / "locale", ec)) {
    if (!entry.is_directory()) continue;
    const auto lang = entry.path().filename().string();
    auto index = skills::index_resources({skill_dir, lang, {}});
    auto resources = skills::load_skill_resources(index.value);
    auto registered =
        intent::register_template_skill(engine_, lang, kSkillId, resources.value, kIntents);
    for (auto* errors : {&index.errors, &resources.errors, &registered.errors})
      for (const auto& e : *errors) spdlog::warn("stop: {}", e.str());
  }
  if (ec) spdlog::warn("stop: no sentences in {}: {}", skill_dir.string(), ec.message());
  engine_.train();
}

std::optional<StopKind> StopMatcher::match(std::string_view utterance, std::string_view lang,
                                           double threshold) const {
  auto best = engine_.match(utterance, lang);
  if (!best || best->confidence < threshold) return std::nullopt;
  return best->intent.ends_with(":global_stop.intent") ? StopKind::Global : StopKind::Skill;
}

}  // namespace hark::pipeline
