// hark-listener.so: `hark listener`, loaded by the CLI (src/cli/service_module.h).
#include "cli/service_module.h"
#include "listener/service.h"

HARK_SERVICE_ENTRY {
  hark::listener::RunOptions run_options;
  if (auto input = options.find("input"); input != options.end()) run_options.input = input->second;
  return hark::listener::run(sources, run_options);
}
