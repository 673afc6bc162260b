// hark-core.so: `hark core`, loaded by the CLI (src/cli/service_module.h).
#include "cli/service_module.h"
#include "pipeline/core_service.h"

HARK_SERVICE_MODULE(hark::pipeline::run_core)
