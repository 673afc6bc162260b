// Is the device on a network, and does it reach the internet? Offline-first: the network answer
// comes from the kernel's routing tables alone; the internet one from TCP connections to hosts
// the configuration names, and to nothing else. Knows no bus.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace hark::phal {

// Whether a default route leads out through an interface other than loopback, from the text of
// /proc/net/route (IPv4) and /proc/net/ipv6_route. Rejecting routes (unreachable) do not count.
bool has_default_route(std::string_view ipv4_routes, std::string_view ipv6_routes);
// The same from this machine's /proc; false when neither file can be read.
bool has_default_route();

struct HostPort {
  std::string host;  // a name or an address ("::1", without the brackets)
  std::string port;
};

// "1.1.1.1:53", "[2606:4700::1111]:53", "example.org:443". Throws std::invalid_argument saying
// what is wrong with `text`.
HostPort parse_host_port(std::string_view text);

// Whether a TCP connection to one of `hosts` opens, trying them in order, each for at most
// `timeout`. The connection is closed at once; nothing is sent. A name is looked up first, with
// the resolver's own timeouts: addresses keep the check within `timeout` per host.
bool any_reachable(const std::vector<HostPort>& hosts, std::chrono::milliseconds timeout);

}  // namespace hark::phal
