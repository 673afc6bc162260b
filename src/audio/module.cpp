// hark-audio.so: `hark audio`, loaded by the CLI (src/cli/service_module.h).
#include "audio/service.h"
#include "cli/service_module.h"

HARK_SERVICE_MODULE(hark::audio::run)
