// A per-service lock file holding the pid, taken with flock(2): the kernel releases it when the
// process dies however it dies, so a file left by a crash never blocks the next start (unlike
// OVOS's old pid files, ovos-messagebus #4). Nothing is ever killed by a stored pid.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace hark {

class LockFile {
 public:
  // Takes the lock or throws std::runtime_error saying who holds it.
  explicit LockFile(std::filesystem::path path);
  ~LockFile();
  LockFile(const LockFile&) = delete;
  LockFile& operator=(const LockFile&) = delete;

  const std::filesystem::path& path() const noexcept { return path_; }

  // $XDG_RUNTIME_DIR/hark, else /tmp/hark-<uid>; created with mode 0700.
  static std::filesystem::path runtime_dir();

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

}  // namespace hark
