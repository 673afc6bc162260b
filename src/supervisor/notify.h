// systemd's readiness protocol (sd_notify(3)) for `hark up` as a Type=notify unit: one datagram
// to the unix socket named in $NOTIFY_SOCKET. A dozen lines of socket code instead of linking
// libsystemd, which would load four more libraries into every `hark` process.
#pragma once

#include <string_view>

namespace hark::supervisor {

// Sends `state` ("READY=1", "STOPPING=1", "STATUS=...") when $NOTIFY_SOCKET is set. Returns
// false when it is not set or the datagram could not be sent (logged: the service still runs).
bool notify_systemd(std::string_view state);

}  // namespace hark::supervisor
