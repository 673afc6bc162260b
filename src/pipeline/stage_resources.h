// The resource files a pipeline stage brings itself (stop's sentences, common query's question
// words), one folder per language under `dir/locale/`, loaded as a skill's are.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "skills/resources.h"

namespace hark::pipeline {

// Calls `take` once per language folder with its files loaded. Problems with the files are
// logged with `stage` in front; a missing folder is one warning and no call.
void for_each_language(
    const std::filesystem::path& dir, std::string_view stage,
    const std::function<void(const std::string& lang, const skills::SkillResources&)>& take);

}  // namespace hark::pipeline
