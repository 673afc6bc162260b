// Where a skill's resource files are, for one language: every file under locale/<lang>/ (any
// sub-folders) and the legacy dialog/<lang>/, vocab/<lang>/, regex/<lang>/, looked up by
// (extension, base name). A per-user folder laid out the same way is searched first, and a file
// there replaces the skill's file of the same name whole.
//
//   auto index = index_resources({skill_dir, "en-US", user_resource_dir(skill_id)});
//   for (const auto& e : index.errors) log(e.str());
//   if (auto* p = index.value.find("intent", "what.time.is.it")) ...
#pragma once

#include <compare>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "skills/diagnostic.h"

namespace hark::skills {

struct ResourceKey {
  std::string extension;  // without the dot: "intent", "voc", "dialog"
  std::string base;       // the file name before the last dot: "what.time.is.it"
  auto operator<=>(const ResourceKey&) const = default;
};

struct ResourceIndex {
  std::map<ResourceKey, std::filesystem::path> files;

  // Null when the skill has no such file.
  const std::filesystem::path* find(std::string_view extension, std::string_view base) const;
  // Base names of every file with this extension, sorted.
  std::vector<std::string> bases(std::string_view extension) const;
};

struct ResourceSearch {
  std::filesystem::path skill_dir;
  // BCP-47; matched against folder names ignoring case, with '_' read as '-'.
  std::string lang;
  // Searched first; need not exist.
  std::filesystem::path user_dir;
};

// Two files with the same extension and base name in one tree (skill or user) are an error
// naming both; the first in path order is kept.
Loaded<ResourceIndex> index_resources(const ResourceSearch& search);

// $XDG_DATA_HOME/mycroft/resources/<skill_id> (~/.local/share/... when unset), where OVOS keeps
// a user's overrides of a skill's resources.
std::filesystem::path user_resource_dir(std::string_view skill_id);

}  // namespace hark::skills
