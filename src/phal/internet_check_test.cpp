// `hark phal`'s internet check on a real bus. The only "internet" it may reach is a loopback
// port the test listens on (this machine must contact nothing else), opened and closed to make
// the connectivity change.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <mutex>

#include "client/bus_client.h"
#include "client/testing.h"
#include "phal/connectivity.h"

namespace hark::phal {
namespace {

using namespace std::chrono_literals;
namespace ip = boost::asio::ip;

class InternetCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    if (!testing::available(testing::BusKind::Hark, &why)) GTEST_SKIP() << why;
    port_ = testing::free_port();
  }

  void start(double interval) {
    bus_ = std::make_unique<testing::TestBus>(
        testing::BusKind::Hark, Json{{"hark",
                                      {{"phal",
                                        {{"internet_check",
                                          {{"hosts", {"127.0.0.1:" + std::to_string(port_)}},
                                           {"timeout", 2},
                                           {"interval", interval}}}}}}}});
    client_ = std::make_unique<client::BusClient>(bus_->endpoint());
    client_->start();
    ASSERT_TRUE(client_->wait_connected(5s));
    auto environment = bus_->home().environment();
    // No sound server: volume is not what these tests are about.
    environment.push_back("PULSE_SERVER=unix:/nonexistent/pulse/native");
    phal_ = std::make_unique<testing::Process>(
        std::vector<std::string>{testing::hark_binary(), "phal"}, environment, true);
    ASSERT_TRUE(testing::eventually([&] {
      auto answer = client_->wait_for_response(Message("mycroft.PHAL.is_ready"), 200ms);
      return answer && answer->data().value("status", false);
    })) << "hark phal never became ready";
  }

  // The "internet": a listener on the test's loopback port.
  void open_internet() {
    internet_ = std::make_unique<ip::tcp::acceptor>(io_);
    internet_->open(ip::tcp::v4());
    internet_->set_option(ip::tcp::acceptor::reuse_address(true));
    internet_->bind(ip::tcp::endpoint(ip::address_v4::loopback(), port_));
    internet_->listen();
  }
  void close_internet() { internet_.reset(); }

  Json check() {
    auto answer = client_->wait_for_response(Message("ovos.PHAL.internet_check"), 5s);
    EXPECT_TRUE(answer) << "no answer to ovos.PHAL.internet_check";
    return answer ? answer->data() : Json();
  }

  boost::asio::io_context io_;
  unsigned short port_ = 0;
  std::unique_ptr<ip::tcp::acceptor> internet_;
  std::unique_ptr<testing::TestBus> bus_;
  std::unique_ptr<client::BusClient> client_;
  std::unique_ptr<testing::Process> phal_;
};

TEST_F(InternetCheckTest, AnswersAndAnnouncesEachChange) {
  start(0);  // checks only when asked
  open_internet();
  std::vector<std::string> seen;
  std::mutex mutex;
  for (const char* type :
       {"mycroft.internet.connected", "mycroft.internet.disconnected", "mycroft.network.connected",
        "mycroft.network.disconnected", "mycroft.internet.state", "enclosure.notify.no_internet"}) {
    client_->on(type, [&, type](const Message& m) {
      std::lock_guard lock(mutex);
      seen.push_back(m.type() + (m.data().contains("state") ? " " + m.data()["state"].dump() : ""));
    });
  }
  auto take_seen = [&] {
    std::lock_guard lock(mutex);
    return std::exchange(seen, {});
  };

  EXPECT_EQ(check(), Json({{"internet_connected", true}, {"network_connected", true}}));
  // Announced before the answer, by the same client, so they are all here.
  EXPECT_EQ(take_seen(),
            (std::vector<std::string>{"mycroft.network.connected", "mycroft.internet.connected",
                                      "mycroft.internet.state \"connected\""}));
  EXPECT_EQ(check()["internet_connected"], true);
  EXPECT_TRUE(take_seen().empty()) << "announced without a change";

  close_internet();
  bool network = has_default_route();  // what the kernel says of this machine
  EXPECT_EQ(check(), Json({{"internet_connected", false}, {"network_connected", network}}));
  std::vector<std::string> lost = {"mycroft.internet.disconnected"};
  if (network) {
    lost.push_back("enclosure.notify.no_internet");
  } else {
    lost.push_back("mycroft.network.disconnected");
    lost.push_back("enclosure.notify.no_internet");
  }
  lost.push_back("mycroft.internet.state \"disconnected\"");
  EXPECT_EQ(take_seen(), lost);
}

TEST_F(InternetCheckTest, ChecksByItselfEveryInterval) {
  start(0.2);
  std::atomic<int> connected{0};
  std::atomic<int> disconnected{0};
  client_->on("mycroft.internet.connected", [&](const Message&) { ++connected; });
  client_->on("mycroft.internet.disconnected", [&](const Message&) { ++disconnected; });
  open_internet();
  EXPECT_TRUE(testing::eventually([&] { return connected == 1; }));
  close_internet();
  EXPECT_TRUE(testing::eventually([&] { return disconnected == 1; }));
  EXPECT_EQ(connected, 1);
}

TEST_F(InternetCheckTest, ABadHostIsReportedWithWhereItIs) {
  start(0);
  // A broken edit keeps the last good configuration and says what is wrong.
  bus_->home().write_user_config(
      Json{{"websocket", {{"port", bus_->port()}}},
           {"hark", {{"phal", {{"internet_check", {{"hosts", {"localhost"}}}}}}}}}
          .dump());
  EXPECT_TRUE(phal_->wait_for_stderr(
      "hark.phal.internet_check.hosts: 'localhost' is not host:port (an IPv6 address goes in "
      "brackets: [::1]:53)",
      5s));
  EXPECT_TRUE(phal_->running());
  EXPECT_TRUE(check().is_object());
}

}  // namespace
}  // namespace hark::phal
