#include "cli/service_module.h"

#include <dlfcn.h>
#include <fmt/format.h>

#include <cstdlib>

#include "cli/command.h"

namespace hark::cli {

std::filesystem::path service_module_dir() {
  if (const char* dir = std::getenv("HARK_MODULE_DIR"); dir && *dir) return dir;
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) throw Failure(fmt::format("cannot find the hark executable: {}", ec.message()));
  return exe.parent_path().parent_path() / "lib" / "hark";
}

int run_service_module(std::string_view name, const config::Sources& sources) {
  auto path = service_module_dir() / fmt::format("hark-{}.so", name);
  // Never unloaded: the service's threads and atexit handlers may outlive its entry.
  void* module = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!module) {
    throw Failure(
        fmt::format("hark {}: cannot load its module: {} (HARK_MODULE_DIR overrides "
                    "where modules are looked for)",
                    name, dlerror()));
  }
  using Entry = int(const config::Sources&);
  auto* entry = reinterpret_cast<Entry*>(dlsym(module, "hark_run_service"));
  if (!entry) {
    throw Failure(fmt::format("hark {}: {} is not a hark service module: {}", name, path.string(),
                              dlerror()));
  }
  return entry(sources);
}

}  // namespace hark::cli
