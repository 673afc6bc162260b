// A connection to the OVOS message bus, as every Hark service and the CLI use it.
//
//   hark::client::BusClient bus(hark::client::Endpoint::from_config(conf), {.name = "audio"});
//   bus.on("speak", [&](const hark::Message& m) { say(m.data()["utterance"]); });
//   bus.on_connected([&] { bus.emit(hark::Message("mycroft.audio.is_ready.response")); });
//   bus.start();                                  // connects in the background, retries forever
//   auto answer = bus.wait_for_response(hark::Message("mycroft.volume.get"));
//
// The client owns one io thread. Handlers and on_connected callbacks run on it, one at a time,
// so a slow handler delays every other message of this client; hand long work to another thread.
// Everything else may be called from any thread.
//
// Delivery: emit() only queues. Messages wait while the bus is away and are sent, in order, once
// it is back; at most `max_queued_messages` wait, the oldest are dropped beyond that. A message
// being written when the connection breaks is sent again after the reconnect (at least once).
// The bus echoes every message to its sender too, so this client's own handlers see what it
// emits, as with the Python client.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/json.h"
#include "core/message.h"

namespace hark::client {

// Where the bus listens.
struct Endpoint {
  std::string host = "127.0.0.1";
  unsigned short port = 8181;
  std::string route = "/core";
  bool ssl = false;
  std::string token;  // sent as "Authorization: Bearer <token>" when not empty
  // With ssl: a PEM file of certificates to trust besides the system's, such as the bus's own
  // self-signed certificate.
  std::string ca_file;

  // "ws://127.0.0.1:8181/core" (the token is never part of it, so it is safe to print).
  std::string url() const;

  // Reads the `websocket` section of a merged mycroft.conf. A bus listening on every address
  // (0.0.0.0 or ::) is reached through loopback; ca_file is the bus's ssl_cert. Throws
  // std::invalid_argument naming the key when a value has the wrong type.
  static Endpoint from_config(const Json& config);
};

struct BusClientOptions {
  // Names this client in logs and in its User-Agent header.
  std::string name = "hark";
  // Delay before the first reconnection attempt; it doubles after each failure up to the max.
  std::chrono::milliseconds reconnect_initial{50};
  std::chrono::milliseconds reconnect_max{2000};
  // TCP connect plus TLS and WebSocket handshakes, per attempt.
  std::chrono::milliseconds connect_timeout{5000};
  std::size_t max_queued_messages = 1000;
  // Larger incoming messages close the connection; larger outgoing ones are dropped at emit(),
  // because the bus would close the connection on them. The bus's limit is websocket.max_msg_size.
  std::size_t max_message_bytes = std::size_t{25} * 1024 * 1024;

  // Defaults, with max_message_bytes from websocket.max_msg_size (MiB).
  static BusClientOptions from_config(const Json& config, std::string name);
};

class BusClient {
 public:
  using Options = BusClientOptions;
  using Handler = std::function<void(const Message&)>;
  using HandlerId = std::uint64_t;

  explicit BusClient(Endpoint endpoint, Options options = {});
  // Calls stop().
  ~BusClient();
  BusClient(const BusClient&) = delete;
  BusClient& operator=(const BusClient&) = delete;

  // Starts the io thread, which connects and reconnects until stop(). Calling it again does
  // nothing.
  void start();
  // Sends what is queued (if connected, for at most a second), closes the connection with a
  // close frame and joins the io thread. Must not be called from a handler (std::logic_error).
  void stop();

  // True once connected, false when `timeout` passes first.
  bool wait_connected(std::chrono::milliseconds timeout);
  bool connected() const;
  // Why the last connection attempt failed or the connection was lost ("connection refused",
  // "the bus refused the WebSocket upgrade: 401 Unauthorized (check websocket.token)"); empty
  // when none did.
  std::string last_error() const;
  // Messages dropped because the queue was full, they were too large, or stop() could not send
  // them.
  std::uint64_t dropped_messages() const;

  // Runs after every successful connection, including the first: the place to announce or
  // re-register whatever other processes must know about this one.
  void on_connected(std::function<void()> callback);

  // Subscribes to one message type; `off` ends it. A message already being dispatched when
  // off() is called may still reach the handler once.
  HandlerId on(std::string type, Handler handler);
  // Subscribes to every message (hark listen, bridges).
  HandlerId on_any(Handler handler);
  void off(HandlerId id);

  // Queues the message for the bus and returns at once.
  void emit(const Message& message);

  // Emits `request` and waits for the first `response_type` message (default: request type plus
  // ".response"). When the request carries context.session.session_id, only a response from the
  // same session counts (protocols.md 1.6). std::nullopt on timeout. Blocks, so calling it from a
  // handler throws std::logic_error instead of deadlocking the io thread.
  std::optional<Message> wait_for_response(const Message& request,
                                           std::chrono::milliseconds timeout = kDefaultWait);
  std::optional<Message> wait_for_response(const Message& request, std::string response_type,
                                           std::chrono::milliseconds timeout = kDefaultWait);
  // Waits for the next message of `type`; same rules as wait_for_response.
  std::optional<Message> wait_for_message(std::string type,
                                          std::chrono::milliseconds timeout = kDefaultWait);

  static constexpr std::chrono::milliseconds kDefaultWait{3000};

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hark::client
