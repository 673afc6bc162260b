// Replacing a file's contents so that no reader ever sees half of them.
#pragma once

#include <filesystem>
#include <string_view>
#include <system_error>

namespace hark {

// Writes `text` to a temporary file beside `file` and renames it over `file` (creating missing
// folders): a reader sees the old contents or the new, never a mix. On failure `ec` says why and
// `file` is untouched.
void replace_file(const std::filesystem::path& file, std::string_view text, std::error_code& ec);

}  // namespace hark
