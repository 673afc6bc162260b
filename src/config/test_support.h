// Helpers shared by the configuration tests: a temporary folder removed afterwards, and files
// written into it the way a person or an editor would.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>

namespace hark::config::fixtures {

class TempDir {
 public:
  TempDir() {
    std::string pattern = ::testing::TempDir() + "hark-config-XXXXXX";
    if (!mkdtemp(pattern.data())) {
      throw std::filesystem::filesystem_error("mkdtemp", pattern,
                                              std::error_code(errno, std::generic_category()));
    }
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const noexcept { return path_; }
  std::filesystem::path operator/(std::string_view relative) const { return path_ / relative; }

 private:
  std::filesystem::path path_;
};

// Writes `text` in place (truncate, write, close), creating missing folders.
inline void write_file(const std::filesystem::path& file, std::string_view text) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  ASSERT_TRUE(out) << "cannot write " << file;
}

// Writes a temporary file beside `file`, then renames it over `file`, as most editors save.
inline void replace_file(const std::filesystem::path& file, std::string_view text) {
  auto temporary = file;
  temporary += ".tmp";
  write_file(temporary, text);
  std::filesystem::rename(temporary, file);
}

}  // namespace hark::config::fixtures
