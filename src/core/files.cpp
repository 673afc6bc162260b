#include "core/files.h"

#include <fstream>

namespace hark {

void replace_file(const std::filesystem::path& file, std::string_view text, std::error_code& ec) {
  ec.clear();
  std::filesystem::create_directories(file.parent_path(), ec);
  if (ec) return;
  auto temporary = file;
  temporary += ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
      ec = std::make_error_code(std::errc::io_error);
      std::filesystem::remove(temporary);
      return;
    }
  }
  std::filesystem::rename(temporary, file, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
  }
}

}  // namespace hark
