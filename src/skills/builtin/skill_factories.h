// One factory per built-in skill; builtin_skills.cpp lists them.
#pragma once

#include <memory>

#include "skills/builtin/builtin_skills.h"

namespace hark::skills {

std::unique_ptr<Skill> make_hello_skill(SkillContext& context, const BuiltinOptions& options);
std::unique_ptr<Skill> make_date_time_skill(SkillContext& context, const BuiltinOptions& options);
std::unique_ptr<Skill> make_volume_skill(SkillContext& context, const BuiltinOptions& options);
std::unique_ptr<Skill> make_timer_skill(SkillContext& context, const BuiltinOptions& options);
std::unique_ptr<Skill> make_help_skill(SkillContext& context, const BuiltinOptions& options);
std::unique_ptr<Skill> make_unknown_skill(SkillContext& context, const BuiltinOptions& options);

}  // namespace hark::skills
