// PHAL acts for the device itself: messages of another session (a HiveMind satellite, a remote
// client) are not about this device's speaker or files (protocols.md 2.12).
#pragma once

#include "config/config.h"
#include "core/message.h"

namespace hark::phal {

inline bool for_this_device(const Message& message) {
  const Json* id = config::find_path(message.context(), "session.session_id");
  return !id || !id->is_string() || *id == "default";
}

}  // namespace hark::phal
