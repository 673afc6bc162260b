#include "skills/builtin_dir.h"

#include <cstdlib>

namespace hark::skills {

std::filesystem::path builtin_skills_dir() {
  if (const char* dir = std::getenv("HARK_BUILTIN_SKILLS_DIR"); dir && *dir) return dir;
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto installed = exe.parent_path().parent_path() / "share" / "hark" / "skills";
    if (std::filesystem::is_directory(installed, ec)) return installed;
  }
  return HARK_SOURCE_SKILLS_DIR;
}

std::filesystem::path builtin_skill_dir(std::string_view name) {
  return builtin_skills_dir() / name;
}

}  // namespace hark::skills
