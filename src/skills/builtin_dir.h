// Where the built-in skills' folders (locale/<lang>/...) are: $HARK_BUILTIN_SKILLS_DIR, else
// share/hark/skills beside the installed binary (../share/hark/skills from bin/), else the
// source tree the binary was built from, so that a build runs without installing.
#pragma once

#include <filesystem>
#include <string_view>

namespace hark::skills {

std::filesystem::path builtin_skills_dir();
// builtin_skills_dir() / name
std::filesystem::path builtin_skill_dir(std::string_view name);

}  // namespace hark::skills
