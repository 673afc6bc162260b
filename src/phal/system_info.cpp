#include "phal/system_info.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

namespace hark::phal {
namespace {

// The value of `key` in a "KEY=value" file such as /etc/os-release, unquoted.
Json os_release_value(const std::string& key) {
  std::ifstream file("/etc/os-release");
  for (std::string line; std::getline(file, line);) {
    if (!line.starts_with(key + "=")) continue;
    std::string value = line.substr(key.size() + 1);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    return value;
  }
  return nullptr;
}

// A "Name:   1234 kB" line of /proc/meminfo, in MiB.
Json meminfo_mb(const std::string& name) {
  std::ifstream file("/proc/meminfo");
  for (std::string line; std::getline(file, line);) {
    if (!line.starts_with(name + ":")) continue;
    std::istringstream fields(line.substr(name.size() + 1));
    long long kib = 0;
    if (fields >> kib) return kib / 1024;
  }
  return nullptr;
}

Json uptime_seconds() {
  std::ifstream file("/proc/uptime");
  double seconds = 0;
  if (file >> seconds) return seconds;
  return nullptr;
}

}  // namespace

Json system_info() {
  Json info = Json::object();
  char host[256] = {};
  info["hostname"] = ::gethostname(host, sizeof host - 1) == 0 ? Json(host) : Json(nullptr);
  info["os"] = os_release_value("PRETTY_NAME");
  utsname names{};
  bool named = ::uname(&names) == 0;
  info["kernel"] = named ? Json(std::string(names.sysname) + " " + names.release) : Json(nullptr);
  info["machine"] = named ? Json(names.machine) : Json(nullptr);
  info["cpus"] = std::thread::hardware_concurrency();
  info["uptime_seconds"] = uptime_seconds();
  double load[3] = {};
  info["load"] =
      ::getloadavg(load, 3) == 3 ? Json::array({load[0], load[1], load[2]}) : Json(nullptr);
  info["memory_mb"] = {{"total", meminfo_mb("MemTotal")},
                       {"available", meminfo_mb("MemAvailable")}};
  info["hark_version"] = HARK_VERSION;
  return info;
}

}  // namespace hark::phal
