#include "supervisor/provisioning.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
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
    int status = run_child({script.string()}, [&](const std::string& line) {
                   output(name, line);
                 }).wait_status;
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
