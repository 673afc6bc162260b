#include "skills/index.h"

#include <algorithm>
#include <cstdlib>
#include <system_error>

namespace hark::skills {
namespace {

namespace fs = std::filesystem;

bool same_lang(std::string_view folder, std::string_view lang) {
  const auto normal = [](char c) {
    if (c == '_') return '-';
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  };
  return folder.size() == lang.size() &&
         std::equal(folder.begin(), folder.end(), lang.begin(),
                    [&](char a, char b) { return normal(a) == normal(b); });
}

// The folders under `parent` named for `lang` (there can be two: en-us and en-US).
std::vector<fs::path> lang_folders(const fs::path& parent, std::string_view lang) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(parent, ec)) {
    if (entry.is_directory(ec) && same_lang(entry.path().filename().string(), lang)) {
      out.push_back(entry.path());
    }
  }
  return out;
}

void collect_files(const fs::path& folder, std::vector<fs::path>& out,
                   std::vector<Diagnostic>& errors) {
  std::error_code ec;
  fs::recursive_directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec)) out.push_back(it->path());
  }
  if (ec) errors.push_back(Diagnostic{folder, 0, 0, "cannot list: " + ec.message()});
}

// Every resource of one tree (the skill's or the user's), duplicates reported.
std::map<ResourceKey, fs::path> scan(const fs::path& root, std::string_view lang,
                                     std::vector<Diagnostic>& errors) {
  std::vector<fs::path> folders = lang_folders(root / "locale", lang);
  for (const char* legacy : {"dialog", "vocab", "regex"}) {
    auto found = lang_folders(root / legacy, lang);
    folders.insert(folders.end(), found.begin(), found.end());
  }
  std::vector<fs::path> files;
  for (const auto& folder : folders) collect_files(folder, files, errors);
  std::sort(files.begin(), files.end());

  std::map<ResourceKey, fs::path> out;
  for (const auto& file : files) {
    const std::string name = file.filename().string();
    const auto dot = name.rfind('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == name.size()) continue;
    ResourceKey key{name.substr(dot + 1), name.substr(0, dot)};
    const auto [it, inserted] = out.emplace(std::move(key), file);
    if (!inserted) {
      errors.push_back(
          Diagnostic{file, 0, 0, "duplicate resource '" + name + "': also " + it->second.string()});
    }
  }
  return out;
}

}  // namespace

const fs::path* ResourceIndex::find(std::string_view extension, std::string_view base) const {
  const auto it = files.find(ResourceKey{std::string(extension), std::string(base)});
  return it == files.end() ? nullptr : &it->second;
}

std::vector<std::string> ResourceIndex::bases(std::string_view extension) const {
  std::vector<std::string> out;
  for (const auto& [key, path] : files) {
    if (key.extension == extension) out.push_back(key.base);
  }
  return out;
}

Loaded<ResourceIndex> index_resources(const ResourceSearch& search) {
  Loaded<ResourceIndex> result;
  std::error_code ec;
  if (!fs::is_directory(search.skill_dir, ec)) {
    result.errors.push_back(Diagnostic{search.skill_dir, 0, 0, "not a folder"});
    return result;
  }
  if (!search.user_dir.empty())
    result.value.files = scan(search.user_dir, search.lang, result.errors);
  for (auto& [key, path] : scan(search.skill_dir, search.lang, result.errors)) {
    result.value.files.emplace(key, std::move(path));  // a user file of the same name wins
  }
  return result;
}

fs::path user_resource_dir(std::string_view skill_id) {
  fs::path data;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && *xdg != '\0') {
    data = xdg;
  } else if (const char* home = std::getenv("HOME"); home != nullptr) {
    data = fs::path(home) / ".local" / "share";
  }
  return data / "mycroft" / "resources" / std::string(skill_id);
}

}  // namespace hark::skills
