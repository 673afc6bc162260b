// hark-phal.so: `hark phal`, loaded by the CLI (src/cli/service_module.h).
#include "cli/service_module.h"
#include "phal/service.h"

HARK_SERVICE_MODULE(hark::phal::run)
