// The skills that ship with Hark (each a folder here with its locale/ and its code), created
// for `hark core`. They talk to the core only over the bus, as any standalone skill does.
//
//   auto skills = make_builtin_skills(context, {"hark-timer"});   // all but the timers
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "skills/runtime/skill.h"

namespace hark::skills {

struct BuiltinOptions {
  // The date-time and timer skills' clock; tests fix it.
  std::function<std::chrono::system_clock::time_point()> now = [] {
    return std::chrono::system_clock::now();
  };
};

// Every built-in skill whose id `blacklisted` does not name (skills.blacklisted_skills).
std::vector<std::unique_ptr<Skill>> make_builtin_skills(
    SkillContext& context, const std::set<std::string, std::less<>>& blacklisted,
    const BuiltinOptions& options = {});

// Ids of the built-in skills, whether loaded or not.
std::vector<std::string> builtin_skill_ids();

}  // namespace hark::skills
