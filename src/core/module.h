// Modules: the parts of Hark that need large libraries (speech, sound, time zones, OpenSSL) are
// built as lib/hark/hark-<name>.so and loaded only by the processes that use them, so that
// `hark bus` or `hark send` start in a few milliseconds with a few megabytes.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string_view>

namespace hark {

class ModuleError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// $HARK_MODULE_DIR, else lib/hark beside the executable's bin/ (the build tree has the same
// shape: build/src/hark and build/lib/hark), else the build tree's (for the tests' programs).
std::filesystem::path module_dir();

// Loads hark-<name>.so (once: never unloaded, since its threads and handlers may outlive the
// caller) and returns its `symbol`; throws ModuleError naming the file and the loader's reason.
void* module_symbol(std::string_view name, const char* symbol);

// The exported entry of a module, as `Function*`.
template <class Function>
Function* module_function(std::string_view name, const char* symbol) {
  return reinterpret_cast<Function*>(module_symbol(name, symbol));
}

}  // namespace hark
