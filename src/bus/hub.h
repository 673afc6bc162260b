// The bus's shared state: who is connected, what every valid message is relayed to, and the
// counters. Single-threaded by design (one io_context thread), so there are no locks and every
// client sees every sender's messages in the order they were sent.
#pragma once

#include <simdjson.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "bus/frame.h"
#include "bus/settings.h"
#include "core/log.h"
#include "core/message.h"

namespace hark::bus {

struct Stats {
  std::uint64_t connections_accepted = 0;  // completed the WebSocket handshake
  std::uint64_t connections_refused = 0;   // bad request, wrong route, too many clients
  std::uint64_t auth_failures = 0;         // wrong or missing token
  std::uint64_t messages_relayed = 0;      // valid messages received
  std::uint64_t deliveries = 0;            // messages queued to a recipient
  std::uint64_t invalid_frames = 0;        // not a JSON object with a string "type", or binary
  std::uint64_t oversized_frames = 0;      // sender closed with 1009
  std::uint64_t protocol_errors = 0;       // sender closed with 1002
  std::uint64_t slow_clients_dropped = 0;  // queue went past websocket.max_client_queue
  std::uint64_t bytes_received = 0;
  std::uint64_t bytes_sent = 0;
};

// What the hub needs from a connection; the stream type stays inside the session.
class Client {
 public:
  virtual ~Client() = default;
  // Queues a frame; never blocks. A client whose queue overflows is dropped (asynchronously, so
  // the caller's iteration over clients stays valid).
  virtual void deliver(const SharedFrame& frame) = 0;
  // Sends a close frame after what is queued, then closes.
  virtual void close(CloseCode code, std::string_view reason) = 0;
  virtual const std::string& peer() const = 0;

 private:
  friend class Hub;
  std::size_t slot_ = 0;  // index in Hub::clients_
};

class Hub {
 public:
  explicit Hub(BusSettings settings);

  const BusSettings& settings() const noexcept { return settings_; }
  // Live settings (sizes, token, log level) take effect for the next frame or connection.
  void apply(BusSettings settings);

  Stats& stats() noexcept { return stats_; }
  const Stats& stats() const noexcept { return stats_; }
  Json stats_json() const;
  std::size_t client_count() const noexcept { return clients_.size(); }
  bool has_room() const noexcept { return clients_.size() < settings_.max_clients; }

  void attach(Client& client);
  void detach(Client& client);

  // Connections alive in any state (handshaking, relaying, closing): shutdown waits for these.
  void session_opened() noexcept { ++sessions_; }
  void session_closed() noexcept { --sessions_; }
  std::size_t session_count() const noexcept { return sessions_; }

  // A complete message from `sender`: relayed to everyone when valid, counted and logged when
  // not (the sender stays connected).
  void on_message(Client& sender, Opcode opcode, MessageBuffer&& message);
  // A message from the bus itself (configuration.updated): to every client.
  void broadcast(const Message& message);
  // The greeting the Python bus sends on connect.
  const SharedFrame& connected_frame() const noexcept { return connected_; }

  // Rate-limited warning about something a client did.
  void warn_client(const Client& client, std::string_view what);

  void close_all(CloseCode code, std::string_view reason);

 private:
  bool valid_envelope(MessageBuffer& message);

  BusSettings settings_;
  Stats stats_;
  std::vector<Client*> clients_;
  std::size_t sessions_ = 0;
  simdjson::dom::parser parser_;
  SharedFrame connected_;
  log::RateLimit warnings_{20, std::chrono::seconds(10)};
};

}  // namespace hark::bus
