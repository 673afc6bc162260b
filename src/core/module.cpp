#include "core/module.h"

#include <dlfcn.h>
#include <fmt/format.h>

#include <cstdlib>

namespace hark {

std::filesystem::path module_dir() {
  if (const char* dir = std::getenv("HARK_MODULE_DIR"); dir && *dir) return dir;
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto installed = exe.parent_path().parent_path() / "lib" / "hark";
    if (std::filesystem::is_directory(installed, ec)) return installed;
  }
  return HARK_BUILD_MODULE_DIR;
}

void* module_symbol(std::string_view name, const char* symbol) {
  auto path = module_dir() / fmt::format("hark-{}.so", name);
  void* module = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!module) {
    throw ModuleError(
        fmt::format("cannot load the {} module: {} (HARK_MODULE_DIR overrides where "
                    "modules are looked for)",
                    name, dlerror()));
  }
  void* found = dlsym(module, symbol);
  if (!found) {
    throw ModuleError(
        fmt::format("{} is not a hark {} module: {}", path.string(), name, dlerror()));
  }
  return found;
}

}  // namespace hark
