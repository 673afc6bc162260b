#include "supervisor/notify.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

namespace hark::supervisor {

bool notify_systemd(std::string_view state) {
  const char* path = std::getenv("NOTIFY_SOCKET");
  if (!path || !*path) return false;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::size_t length = std::strlen(path);
  if ((path[0] != '/' && path[0] != '@') || length >= sizeof(address.sun_path)) {
    spdlog::warn("NOTIFY_SOCKET={} is not a unix socket path; not telling systemd \"{}\"", path,
                 state);
    return false;
  }
  std::memcpy(address.sun_path, path, length);
  if (path[0] == '@') address.sun_path[0] = '\0';  // the abstract namespace
  auto size = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + length);

  int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  bool sent = fd >= 0 && ::sendto(fd, state.data(), state.size(), MSG_NOSIGNAL,
                                  reinterpret_cast<const sockaddr*>(&address), size) >= 0;
  int error = errno;
  if (fd >= 0) ::close(fd);
  if (!sent) {
    spdlog::warn("cannot tell systemd \"{}\" at {}: {}", state, path, std::strerror(error));
  }
  return sent;
}

}  // namespace hark::supervisor
