#include "phal/connectivity.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <charconv>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace hark::phal {
namespace {

constexpr unsigned long kRouteUp = 0x0001;      // RTF_UP
constexpr unsigned long kRouteReject = 0x0200;  // RTF_REJECT

unsigned long hex(std::string_view text) {
  unsigned long value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, 16);
  return error == std::errc() && end == text.data() + text.size() ? value : 0;
}

bool usable(unsigned long flags, std::string_view interface) {
  return (flags & kRouteUp) && !(flags & kRouteReject) && interface != "lo";
}

// Iface Destination Gateway Flags RefCnt Use Metric Mask ..., one route a line after a header.
bool ipv4_default(std::string_view table) {
  std::istringstream lines{std::string(table)};
  std::string line;
  std::getline(lines, line);
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string interface, destination, gateway, flags, refcnt, use, metric, mask;
    if (!(fields >> interface >> destination >> gateway >> flags >> refcnt >> use >> metric >>
          mask)) {
      continue;
    }
    if (hex(destination) == 0 && hex(mask) == 0 && usable(hex(flags), interface)) return true;
  }
  return false;
}

// Destination, its prefix length, source, its prefix length, next hop, metric, refcnt, use,
// flags, interface; no header.
bool ipv6_default(std::string_view table) {
  std::istringstream lines{std::string(table)};
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string destination, prefix, source, source_prefix, next_hop, metric, refcnt, use, flags,
        interface;
    if (!(fields >> destination >> prefix >> source >> source_prefix >> next_hop >> metric >>
          refcnt >> use >> flags >> interface)) {
      continue;
    }
    if (destination == std::string(32, '0') && hex(prefix) == 0 && usable(hex(flags), interface)) {
      return true;
    }
  }
  return false;
}

std::string read_file(const char* path) {
  std::ifstream file(path);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

// A TCP connection to one address, within the deadline.
bool connects(const addrinfo& address, std::chrono::steady_clock::time_point deadline) {
  int fd = ::socket(address.ai_family, address.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                    address.ai_protocol);
  if (fd < 0) return false;
  bool open = ::connect(fd, address.ai_addr, address.ai_addrlen) == 0;
  if (!open && errno == EINPROGRESS) {
    pollfd entry{fd, POLLOUT, 0};
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    int error = 0;
    socklen_t length = sizeof error;
    open = left.count() > 0 && ::poll(&entry, 1, static_cast<int>(left.count())) == 1 &&
           ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 && error == 0;
  }
  ::close(fd);
  return open;
}

bool reachable(const HostPort& target, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(target.host.c_str(), target.port.c_str(), &hints, &found) != 0) return false;
  bool open = false;
  for (addrinfo* a = found; a && !open && std::chrono::steady_clock::now() < deadline;
       a = a->ai_next) {
    open = connects(*a, deadline);
  }
  ::freeaddrinfo(found);
  return open;
}

}  // namespace

bool has_default_route(std::string_view ipv4_routes, std::string_view ipv6_routes) {
  return ipv4_default(ipv4_routes) || ipv6_default(ipv6_routes);
}

bool has_default_route() {
  return has_default_route(read_file("/proc/net/route"), read_file("/proc/net/ipv6_route"));
}

HostPort parse_host_port(std::string_view text) {
  HostPort target;
  std::size_t colon;
  if (text.starts_with('[')) {
    auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      throw std::invalid_argument(fmt::format(
          "'{}' is not [address]:port (an IPv6 address in brackets, then the port)", text));
    }
    target.host = text.substr(1, close - 1);
    colon = close + 1;
  } else {
    colon = text.rfind(':');
    if (colon == std::string_view::npos || text.find(':') != colon) {
      throw std::invalid_argument(
          fmt::format("'{}' is not host:port (an IPv6 address goes in brackets: [::1]:53)", text));
    }
    target.host = text.substr(0, colon);
  }
  target.port = text.substr(colon + 1);
  unsigned port = 0;
  auto [end, error] =
      std::from_chars(target.port.data(), target.port.data() + target.port.size(), port);
  if (target.host.empty() || error != std::errc() ||
      end != target.port.data() + target.port.size() || port < 1 || port > 65535) {
    throw std::invalid_argument(
        fmt::format("'{}' is not host:port with a port from 1 to 65535", text));
  }
  return target;
}

bool any_reachable(const std::vector<HostPort>& hosts, std::chrono::milliseconds timeout) {
  for (const auto& target : hosts) {
    if (reachable(target, timeout)) return true;
  }
  return false;
}

}  // namespace hark::phal
