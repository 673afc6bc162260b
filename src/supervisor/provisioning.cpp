#include "supervisor/provisioning.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <set>
#include <vector>

#include "config/config.h"
#include "supervisor/child.h"

namespace hark::supervisor {
namespace fs = std::filesystem;
namespace {

std::set<std::string> read_record(const fs::path& record) {
  std::set<std::string> names;
  std::ifstream file(record);
  for (std::string line; std::getline(file, line);) {
    if (!line.empty()) names.insert(line);
  }
  return names;
}

bool executable_file(const fs::directory_entry& entry) {
  std::error_code ec;
  return entry.is_regular_file(ec) && ::access(entry.path().c_str(), X_OK) == 0;
}

// Runs one script to its end, passing its output on line by line; returns its wait status.
int run_script(const fs::path& script, const std::function<void(const std::string&)>& on_line) {
  Child child = spawn_child({script.string()});
  ::close(child.pidfd);
  std::string pending;
  char buffer[4096];
  for (;;) {
    ssize_t n = ::read(child.output, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    pending.append(buffer, static_cast<std::size_t>(n));
    std::size_t start = 0;
    for (auto end = pending.find('\n'); end != std::string::npos; end = pending.find('\n', start)) {
      on_line(pending.substr(start, end - start));
      start = end + 1;
    }
    pending.erase(0, start);
  }
  if (!pending.empty()) on_line(pending);
  ::close(child.output);
  int status = 0;
  while (::waitpid(child.pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

}  // namespace

fs::path provisioning_folder() {
  return config::user_config_dir() / "provisioning";
}

fs::path provisioning_record() {
  if (const char* state = std::getenv("XDG_STATE_HOME"); state && *state) {
    return fs::path(state) / "hark" / "provisioned";
  }
  const char* home = std::getenv("HOME");
  return fs::path(home ? home : "/") / ".local" / "state" / "hark" / "provisioned";
}

ProvisioningResult provision(
    const fs::path& folder, const fs::path& record,
    const std::function<void(const std::string& script, const std::string& line)>& output) {
  ProvisioningResult result;
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) return result;
  std::vector<fs::path> scripts;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    if (executable_file(entry)) scripts.push_back(entry.path());
  }
  std::sort(scripts.begin(), scripts.end());
  auto done = read_record(record);
  for (const auto& script : scripts) {
    std::string name = script.filename().string();
    if (done.contains(name)) {
      ++result.done_before;
      continue;
    }
    int status = run_script(script, [&](const std::string& line) { output(name, line); });
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      result.failed = name + ": " + describe_exit(status);
      break;
    }
    fs::create_directories(record.parent_path(), ec);
    std::ofstream(record, std::ios::app) << name << '\n';
    ++result.ran;
  }
  return result;
}

}  // namespace hark::supervisor
