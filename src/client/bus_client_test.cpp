// BusClient against real buses: `hark bus`, and the OVOS Python bus it must stay compatible with.
#include "client/bus_client.h"
#include "client/process_status.h"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket.hpp>

#include <future>
#include <mutex>
#include <vector>

#include "client/testing.h"

namespace hark::client {
namespace {

using namespace std::chrono_literals;
using testing::BusKind;
using testing::TestBus;

// Collects the messages of one type a client sees, so a test can wait for them.
class Inbox {
 public:
  Inbox(BusClient& client, const std::string& type) {
    client.on(type, [this](const Message& m) {
      std::lock_guard lock(mutex_);
      messages_.push_back(m);
    });
  }
  std::vector<Message> messages() const {
    std::lock_guard lock(mutex_);
    return messages_;
  }
  bool wait_for_count(std::size_t count, std::chrono::milliseconds timeout = 5s) const {
    return testing::eventually([&] { return messages().size() >= count; }, timeout);
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Message> messages_;
};

class BusClientTest : public ::testing::TestWithParam<BusKind> {
 protected:
  void SetUp() override {
    std::string why;
    if (!testing::available(GetParam(), &why)) GTEST_SKIP() << why;
    bus_ = std::make_unique<TestBus>(GetParam());
  }

  // A started, connected client.
  std::unique_ptr<BusClient> connect(BusClient::Options options = {}) {
    auto client = std::make_unique<BusClient>(bus_->endpoint(), std::move(options));
    client->start();
    EXPECT_TRUE(client->wait_connected(5s)) << client->last_error();
    return client;
  }

  std::unique_ptr<TestBus> bus_;
};

TEST_P(BusClientTest, MessageGoesToOtherClientsAndBackToItsSender) {
  auto sender = connect();
  auto receiver = connect();
  Inbox received(*receiver, "hark.test.ping");
  Inbox echoed(*sender, "hark.test.ping");

  Message ping("hark.test.ping", {{"n", 1}, {"text", "héllo"}}, {{"source", "sender"}});
  sender->emit(ping);

  ASSERT_TRUE(received.wait_for_count(1));
  ASSERT_TRUE(echoed.wait_for_count(1));
  EXPECT_EQ(received.messages().at(0), ping);
  EXPECT_EQ(echoed.messages().at(0), ping);
}

TEST_P(BusClientTest, ResponseCrossesTheWireWithSwappedSourceAndDestination) {
  auto asker = connect();
  auto answerer = connect();
  answerer->on("hark.test.question", [&](const Message& question) {
    answerer->emit(question.response({{"answer", 42}}));
  });

  Message question(
      "hark.test.question", {},
      {{"source", "asker"}, {"destination", "answerer"}, {"session", {{"session_id", "s1"}}}});
  auto answer = asker->wait_for_response(question, 5s);

  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->type(), "hark.test.question.response");
  EXPECT_EQ(answer->data()["answer"], 42);
  EXPECT_EQ(answer->context()["source"], "answerer");
  EXPECT_EQ(answer->context()["destination"], "asker");
  EXPECT_EQ(answer->context()["session"]["session_id"], "s1");
}

TEST_P(BusClientTest, ReplyMovesDestinationFromDataIntoContext) {
  auto asker = connect();
  auto answerer = connect();
  answerer->on("hark.test.question", [&](const Message& question) {
    answerer->emit(question.reply("hark.test.answer", {{"destination", "elsewhere"}}));
  });

  auto answer = asker->wait_for_response(Message("hark.test.question", {}, {{"source", "asker"}}),
                                         "hark.test.answer", 5s);

  ASSERT_TRUE(answer);
  // destination came from data, then source and destination were swapped.
  EXPECT_EQ(answer->context()["source"], "elsewhere");
  EXPECT_EQ(answer->context()["destination"], "asker");
}

TEST_P(BusClientTest, ResponseFromAnotherSessionDoesNotCount) {
  auto asker = connect();
  auto answerer = connect();
  answerer->on("hark.test.question", [&](const Message& question) {
    answerer->emit(question.response({{"for", "other"}}, {{"session", {{"session_id", "other"}}}}));
    answerer->emit(question.response({{"for", "mine"}}));
  });

  auto answer = asker->wait_for_response(
      Message("hark.test.question", {}, {{"session", {{"session_id", "mine"}}}}), 5s);

  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->data()["for"], "mine");
}

TEST_P(BusClientTest, WaitForResponseGivesUpAfterItsTimeout) {
  auto asker = connect();
  auto start = std::chrono::steady_clock::now();

  auto answer = asker->wait_for_response(Message("hark.test.unanswered"), 200ms);

  auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_FALSE(answer);
  EXPECT_GE(waited, 200ms);
  EXPECT_LT(waited, 2s);
}

TEST_P(BusClientTest, WaitingInsideAHandlerThrowsInsteadOfDeadlocking) {
  auto client = connect();
  std::promise<std::string> error;
  client->on("hark.test.trigger", [&](const Message&) {
    try {
      client->wait_for_message("hark.test.never", 10s);
      error.set_value("");
    } catch (const std::logic_error& e) {
      error.set_value(e.what());
    }
  });

  client->emit(Message("hark.test.trigger"));

  auto result = error.get_future();
  ASSERT_EQ(result.wait_for(5s), std::future_status::ready);
  EXPECT_NE(result.get().find("inside a bus handler"), std::string::npos);
}

TEST_P(BusClientTest, ReconnectsAfterTheBusRestartsAndSendsWhatWasEmittedMeanwhile) {
  auto client = connect();
  std::atomic<int> connections = 0;
  client->on_connected([&] { ++connections; });
  Inbox echoed(*client, "hark.test.during_outage");

  bus_->kill();
  ASSERT_TRUE(testing::eventually([&] { return !client->connected(); }));
  client->emit(Message("hark.test.during_outage", {{"n", 7}}));
  bus_->restart();

  ASSERT_TRUE(client->wait_connected(5s)) << client->last_error();
  // Delivered through the new bus: the echo comes back to the sender.
  ASSERT_TRUE(echoed.wait_for_count(1));
  EXPECT_EQ(echoed.messages().at(0).data()["n"], 7);
  EXPECT_EQ(connections, 1);
  EXPECT_EQ(client->dropped_messages(), 0u);
}

TEST_P(BusClientTest, QueueWhileDisconnectedKeepsTheNewestUpToItsBound) {
  BusClient client(bus_->endpoint(), {.max_queued_messages = 3});
  Inbox echoed(client, "hark.test.queued");
  for (int n = 1; n <= 5; ++n) client.emit(Message("hark.test.queued", {{"n", n}}));
  EXPECT_EQ(client.dropped_messages(), 2u);

  client.start();

  ASSERT_TRUE(echoed.wait_for_count(3));
  std::vector<int> delivered;
  for (const auto& m : echoed.messages()) delivered.push_back(m.data()["n"].get<int>());
  EXPECT_EQ(delivered, (std::vector<int>{3, 4, 5}));
}

TEST_P(BusClientTest, FramesThatAreNotMessagesAreSkipped) {
  auto client = connect();
  Inbox received(*client, "hark.test.after_garbage");

  // A raw WebSocket client, as a misbehaving third party would be.
  boost::asio::io_context io;
  boost::beast::websocket::stream<boost::beast::tcp_stream> raw(io);
  boost::asio::ip::tcp::resolver resolver(io);
  raw.next_layer().connect(resolver.resolve("127.0.0.1", std::to_string(bus_->port())));
  raw.handshake("127.0.0.1", "/core");
  for (std::string frame : {"not json", "[1,2]", R"({"type": 5})"})
    raw.write(boost::asio::buffer(frame));
  client->emit(Message("hark.test.after_garbage"));

  ASSERT_TRUE(received.wait_for_count(1));
  EXPECT_TRUE(client->connected());
}

TEST_P(BusClientTest, StopSendsWhatIsQueued) {
  auto receiver = connect();
  Inbox received(*receiver, "hark.test.last_words");
  auto sender = connect();

  for (int n = 0; n < 50; ++n) sender->emit(Message("hark.test.last_words", {{"n", n}}));
  sender->stop();

  ASSERT_TRUE(received.wait_for_count(50));
  EXPECT_EQ(sender->dropped_messages(), 0u);
}

TEST_P(BusClientTest, MessageLargerThanTheLimitIsDroppedAtEmit) {
  auto client = connect({.max_message_bytes = 1000});

  client->emit(Message("hark.test.big", {{"blob", std::string(2000, 'x')}}));

  EXPECT_EQ(client->dropped_messages(), 1u);
  EXPECT_TRUE(client->connected());
}

TEST_P(BusClientTest, ProcessStatusAnswersReadinessAsOvosDoes) {
  auto service = connect();
  client::ProcessStatus status(*service, "audio");
  auto asker = connect();

  auto before = asker->wait_for_response(Message("mycroft.audio.is_ready"), 5s);
  ASSERT_TRUE(before);
  EXPECT_EQ(before->data()["status"], false);
  auto alive = asker->wait_for_response(Message("mycroft.audio.is_alive"), 5s);
  ASSERT_TRUE(alive);
  EXPECT_EQ(alive->data()["status"], true);

  std::promise<void> announced;
  asker->on("mycroft.audio.ready", [&](const Message&) { announced.set_value(); });
  status.set_ready();
  EXPECT_EQ(announced.get_future().wait_for(5s), std::future_status::ready);
  auto after = asker->wait_for_response(Message("mycroft.audio.is_ready"), 5s);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->data()["status"], true);
}

INSTANTIATE_TEST_SUITE_P(Buses, BusClientTest,
                         ::testing::Values(BusKind::Hark, BusKind::OvosPython),
                         [](const auto& test) {
                           return std::string(testing::name_of(test.param));
                         });

// What only `hark bus` offers: authentication and TLS.
class HarkBusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    if (!testing::available(BusKind::Hark, &why)) GTEST_SKIP() << why;
  }
};

TEST_F(HarkBusTest, RightTokenConnectsWrongOneFailsWithAClearReason) {
  TestBus bus(BusKind::Hark, {{"websocket", {{"token", "s3cret"}}}});

  BusClient right(bus.endpoint());
  right.start();
  EXPECT_TRUE(right.wait_connected(5s)) << right.last_error();

  auto endpoint = bus.endpoint();
  endpoint.token = "guess";
  BusClient wrong(endpoint);
  wrong.start();
  EXPECT_FALSE(wrong.wait_connected(1s));
  EXPECT_EQ(wrong.last_error(),
            "the bus refused the WebSocket upgrade: 401 Unauthorized (check websocket.token)");
}

TEST_F(HarkBusTest, TlsConnectionTrustsTheBusCertificateAndNothingElse) {
  testing::TempHome certificates;
  auto cert = (certificates.path() / "cert.pem").string();
  auto key = (certificates.path() / "key.pem").string();
  auto made = testing::run(
      {"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
       "-nodes", "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1",
       "-keyout", key, "-out", cert},
      {}, 20s);
  ASSERT_EQ(made.exit_code, 0) << made.err;
  TestBus bus(BusKind::Hark,
              {{"websocket", {{"ssl", true}, {"ssl_cert", cert}, {"ssl_key", key}}}});

  BusClient trusting(bus.endpoint());
  Inbox echoed(trusting, "hark.test.secure");
  trusting.start();
  ASSERT_TRUE(trusting.wait_connected(5s)) << trusting.last_error();
  trusting.emit(Message("hark.test.secure"));
  EXPECT_TRUE(echoed.wait_for_count(1));

  auto endpoint = bus.endpoint();
  endpoint.ca_file.clear();
  BusClient untrusting(endpoint);
  untrusting.start();
  EXPECT_FALSE(untrusting.wait_connected(1s));
  EXPECT_NE(untrusting.last_error().find("TLS handshake failed: certificate verify failed"),
            std::string::npos)
      << untrusting.last_error();
}

TEST(Endpoint, FromConfigReachesAWildcardHostThroughLoopback) {
  Json config = {
      {"websocket", {{"host", "0.0.0.0"}, {"port", 8200}, {"route", "/core"}, {"ssl", true}}}};

  auto endpoint = Endpoint::from_config(config);

  EXPECT_EQ(endpoint.host, "127.0.0.1");
  EXPECT_EQ(endpoint.url(), "wss://127.0.0.1:8200/core");
}

TEST(Endpoint, UrlBracketsIpv6Hosts) {
  Endpoint endpoint;
  endpoint.host = "::1";
  EXPECT_EQ(endpoint.url(), "ws://[::1]:8181/core");
}

TEST(Endpoint, FromConfigNamesTheKeyWithAWrongType) {
  Json config = {{"websocket", {{"port", "eighty"}}}};
  try {
    Endpoint::from_config(config);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), R"(websocket.port has the wrong type: "eighty")");
  }
}

TEST(BusClientOptions, MaxMessageSizeComesFromTheBusSetting) {
  auto options = BusClientOptions::from_config({{"websocket", {{"max_msg_size", 2}}}}, "test");
  EXPECT_EQ(options.max_message_bytes, 2u * 1024 * 1024);
  EXPECT_EQ(options.name, "test");
}

TEST(BusClient, UnreachableBusIsReportedAsSuch) {
  Endpoint endpoint;
  endpoint.port = 1;  // nothing listens on a privileged port in a test
  BusClient client(endpoint);
  client.start();
  EXPECT_FALSE(client.wait_connected(300ms));
  EXPECT_EQ(client.last_error(), "connection refused");
}

}  // namespace
}  // namespace hark::client
