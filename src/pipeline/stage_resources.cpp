#include "pipeline/stage_resources.h"

#include <spdlog/spdlog.h>

#include "skills/index.h"

namespace hark::pipeline {

void for_each_language(
    const std::filesystem::path& dir, std::string_view stage,
    const std::function<void(const std::string& lang, const skills::SkillResources&)>& take) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir / "locale", ec)) {
    if (!entry.is_directory()) continue;
    const auto lang = entry.path().filename().string();
    auto index = skills::index_resources({dir, lang, {}});
    auto resources = skills::load_skill_resources(index.value);
    for (auto* errors : {&index.errors, &resources.errors})
      for (const auto& e : *errors) spdlog::warn("{}: {}", stage, e.str());
    take(lang, resources.value);
  }
  if (ec) spdlog::warn("{}: no files in {}: {}", stage, dir.string(), ec.message());
}

}  // namespace hark::pipeline
