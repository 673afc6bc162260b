#include "supervisor/lines.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

namespace hark::supervisor {
namespace {

// poll(2)'s timeout: what is left until the deadline, or -1 (forever) without one.
int poll_timeout(const Deadline& deadline) {
  if (!deadline) return -1;
  auto left =
      std::chrono::ceil<std::chrono::milliseconds>(*deadline - std::chrono::steady_clock::now());
  return static_cast<int>(std::max<std::chrono::milliseconds::rep>(left.count(), 0));
}

}  // namespace

bool wait_readable(int fd, const Deadline& deadline) {
  pollfd entry{fd, POLLIN, 0};
  for (;;) {
    int ready = ::poll(&entry, 1, poll_timeout(deadline));
    if (ready > 0) return true;
    if (ready == 0) return false;
    if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "poll");
  }
}

bool read_lines(int fd, const std::function<void(const std::string& line)>& on_line,
                const Deadline& deadline) {
  std::string pending;
  char buffer[4096];
  bool in_time = true;
  for (;;) {
    if (deadline && !wait_readable(fd, deadline)) {
      in_time = false;
      break;
    }
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    pending.append(buffer, static_cast<std::size_t>(n));
    std::size_t start = 0;
    for (auto end = pending.find('\n'); end != std::string::npos; end = pending.find('\n', start)) {
      on_line(pending.substr(start, end - start));
      start = end + 1;
    }
    pending.erase(0, start);
  }
  if (!pending.empty()) on_line(pending);
  return in_time;
}

}  // namespace hark::supervisor
