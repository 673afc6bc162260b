// Reading the kernel's routing tables and host:port settings, from fixed texts; and connecting
// to a loopback port of the test's own (nothing beyond loopback is ever contacted).
#include "phal/connectivity.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace hark::phal {
namespace {

using namespace std::chrono_literals;

constexpr const char* kIpv4Header =
    "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n";

TEST(DefaultRoute, Ipv4ThroughAnInterface) {
  std::string table = std::string(kIpv4Header) +
                      "eth0\t0001A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0\n"
                      "eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n";
  EXPECT_TRUE(has_default_route(table, ""));
}

TEST(DefaultRoute, OnlyALocalNetworkIsNone) {
  std::string table =
      std::string(kIpv4Header) + "eth0\t0001A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0\n";
  EXPECT_FALSE(has_default_route(table, ""));
  EXPECT_FALSE(has_default_route(kIpv4Header, ""));
  EXPECT_FALSE(has_default_route("", ""));
}

TEST(DefaultRoute, ADownRouteOrLoopbackIsNone) {
  EXPECT_FALSE(has_default_route(
      std::string(kIpv4Header) + "eth0\t00000000\t0101A8C0\t0002\t0\t0\t100\t00000000\t0\t0\t0\n",
      ""));
  EXPECT_FALSE(has_default_route(
      std::string(kIpv4Header) + "lo\t00000000\t00000000\t0001\t0\t0\t0\t00000000\t0\t0\t0\n", ""));
}

TEST(DefaultRoute, Ipv6) {
  const std::string zeros(32, '0');
  std::string up = zeros + " 00 " + zeros + " 00 fe800000000000000000000000000001 00000400 " +
                   "00000001 00000000 00000003     eth0\n";
  // The kernel's "unreachable" default route, on lo and rejecting.
  std::string unreachable =
      zeros + " 00 " + zeros + " 00 " + zeros + " ffffffff 00000001 00000000 00200200       lo\n";
  std::string local = "fe800000000000000000000000000000 40 " + zeros + " 00 " + zeros +
                      " 00000100 00000001 00000000 00000001     eth0\n";
  EXPECT_TRUE(has_default_route("", local + up));
  EXPECT_FALSE(has_default_route("", local + unreachable));
}

TEST(HostPort, Parses) {
  auto v4 = parse_host_port("1.1.1.1:53");
  EXPECT_EQ(v4.host, "1.1.1.1");
  EXPECT_EQ(v4.port, "53");
  auto v6 = parse_host_port("[2606:4700::1111]:443");
  EXPECT_EQ(v6.host, "2606:4700::1111");
  EXPECT_EQ(v6.port, "443");
  EXPECT_EQ(parse_host_port("example.org:80").host, "example.org");
}

TEST(HostPort, SaysWhatIsWrong) {
  auto message = [](std::string_view text) {
    try {
      parse_host_port(text);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("1.1.1.1"),
            "'1.1.1.1' is not host:port (an IPv6 address goes in brackets: [::1]:53)");
  EXPECT_EQ(message("::1:53"),
            "'::1:53' is not host:port (an IPv6 address goes in brackets: [::1]:53)");
  EXPECT_EQ(message("[::1]53"),
            "'[::1]53' is not [address]:port (an IPv6 address in brackets, then the port)");
  EXPECT_EQ(message("host:0"), "'host:0' is not host:port with a port from 1 to 65535");
  EXPECT_EQ(message("host:http"), "'host:http' is not host:port with a port from 1 to 65535");
  EXPECT_EQ(message(":53"), "':53' is not host:port with a port from 1 to 65535");
}

TEST(Reachable, ALoopbackListenerIsAndAClosedPortIsNot) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor listener(
      io, boost::asio::ip::tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0));
  std::string open_port = std::to_string(listener.local_endpoint().port());
  boost::asio::ip::tcp::acceptor closed(
      io, boost::asio::ip::tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0));
  std::string closed_port = std::to_string(closed.local_endpoint().port());
  closed.close();
  // Connections complete in the kernel's backlog; nothing needs to accept them.
  EXPECT_TRUE(any_reachable({{"127.0.0.1", open_port}}, 2s));
  EXPECT_TRUE(any_reachable({{"127.0.0.1", closed_port}, {"localhost", open_port}}, 2s));
  listener.close();
  EXPECT_FALSE(any_reachable({{"127.0.0.1", open_port}}, 2s));
  EXPECT_FALSE(any_reachable({}, 2s));
}

}  // namespace
}  // namespace hark::phal
