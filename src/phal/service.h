// `hark phal`: the device's hardware on the bus, as OVOS PHAL plugins answer it (protocols.md
// 2.12): the volume of PulseAudio's default sink (mycroft.volume.*, answered with
// mycroft.volume.get.response {percent, muted}, percent a 0-1 fraction), basic system
// information (hark.system.info) and connectivity (ovos.PHAL.internet_check and the
// mycroft.network/internet.* announcements, phal/internet_check.h). Readiness as OVOS's "PHAL"
// (mycroft.PHAL.is_ready).
// Microphone mute belongs to the listener, which owns the microphone.
#pragma once

#include "config/config.h"

namespace hark::phal {

// Runs until SIGTERM or SIGINT; returns the exit code.
int run(const config::Sources& sources);

}  // namespace hark::phal
