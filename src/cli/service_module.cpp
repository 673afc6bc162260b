#include "cli/service_module.h"

#include <fmt/format.h>

#include "cli/command.h"
#include "core/module.h"

namespace hark::cli {

int run_service_module(std::string_view name, const config::Sources& sources,
                       const ServiceOptions& options) {
  using Entry = int(const config::Sources&, const ServiceOptions&);
  Entry* entry = nullptr;
  try {
    entry = module_function<Entry>(name, "hark_run_service");
  } catch (const ModuleError& e) {
    throw Failure(fmt::format("hark {}: {}", name, e.what()));
  }
  return entry(sources, options);
}

}  // namespace hark::cli
