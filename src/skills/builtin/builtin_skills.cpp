#include "skills/builtin/builtin_skills.h"

#include <spdlog/spdlog.h>

#include <array>

#include "skills/builtin/skill_factories.h"

namespace hark::skills {
namespace {

struct Builtin {
  const char* id;
  std::unique_ptr<Skill> (*make)(SkillContext&, const BuiltinOptions&);
};

// The stop skill is the core's stop stage (src/pipeline/stop_matcher.h), reading stop/locale.
constexpr std::array kBuiltins{
    Builtin{"hark-hello", make_hello_skill},   Builtin{"hark-date-time", make_date_time_skill},
    Builtin{"hark-volume", make_volume_skill}, Builtin{"hark-timer", make_timer_skill},
    Builtin{"hark-help", make_help_skill},     Builtin{"hark-unknown", make_unknown_skill},
};

}  // namespace

std::vector<std::unique_ptr<Skill>> make_builtin_skills(
    SkillContext& context, const std::set<std::string, std::less<>>& blacklisted,
    const BuiltinOptions& options) {
  std::vector<std::unique_ptr<Skill>> skills;
  for (const auto& builtin : kBuiltins) {
    if (blacklisted.contains(builtin.id)) {
      spdlog::info("{}: blacklisted (skills.blacklisted_skills), not loaded", builtin.id);
      continue;
    }
    skills.push_back(builtin.make(context, options));
  }
  return skills;
}

std::vector<std::string> builtin_skill_ids() {
  std::vector<std::string> ids;
  for (const auto& builtin : kBuiltins) ids.emplace_back(builtin.id);
  return ids;
}

}  // namespace hark::skills
