#include "bus/hub.h"

#include <spdlog/spdlog.h>

namespace hark::bus {
namespace {

// simdjson keeps the memory of the largest document it parsed; after a big one, give it back so
// a single 25 MiB message does not pin 25 MiB for the life of the process.
constexpr std::size_t kParserKeepBytes = 1 << 20;

}  // namespace

Hub::Hub(BusSettings settings)
    : settings_(std::move(settings)),
      connected_(make_frame(Opcode::text, Message("connected", Json::object(),
                                                  Json{{"session", {{"session_id", "default"}}}})
                                              .serialize())) {}

void Hub::apply(BusSettings settings) {
  settings_ = std::move(settings);
}

void Hub::attach(Client& client) {
  client.slot_ = clients_.size();
  clients_.push_back(&client);
}

void Hub::detach(Client& client) {
  if (client.slot_ >= clients_.size() || clients_[client.slot_] != &client) return;
  clients_[client.slot_] = clients_.back();
  clients_[client.slot_]->slot_ = client.slot_;
  clients_.pop_back();
  client.slot_ = static_cast<std::size_t>(-1);
}

bool Hub::valid_envelope(MessageBuffer& message) {
  message.zero_padding();
  simdjson::dom::element doc;
  if (parser_.parse(message.data(), message.size(), false).get(doc) != simdjson::SUCCESS) {
    return false;
  }
  simdjson::dom::object object;
  if (doc.get_object().get(object) != simdjson::SUCCESS) return false;
  simdjson::dom::element type;
  return object["type"].get(type) == simdjson::SUCCESS && type.is_string();
}

void Hub::on_message(Client& sender, Opcode opcode, MessageBuffer&& message) {
  const bool valid = opcode == Opcode::text && valid_envelope(message);
  if (parser_.capacity() > kParserKeepBytes) parser_ = simdjson::dom::parser{};
  if (!valid) {
    ++stats_.invalid_frames;
    warn_client(sender, opcode == Opcode::text
                            ? "sent a frame that is not a JSON object with a string \"type\""
                            : "sent a binary frame (the bus carries JSON text only)");
    return;
  }
  ++stats_.messages_relayed;
  SharedFrame frame = std::move(message).seal(Opcode::text);
  stats_.deliveries += clients_.size();
  for (Client* client : clients_) client->deliver(frame);
}

void Hub::broadcast(const Message& message) {
  SharedFrame frame = make_frame(Opcode::text, message.serialize());
  stats_.deliveries += clients_.size();
  for (Client* client : clients_) client->deliver(frame);
}

void Hub::warn_client(const Client& client, std::string_view what) {
  std::uint64_t suppressed = 0;
  if (!warnings_.allow(suppressed)) return;
  if (suppressed > 0) {
    spdlog::warn("client {} {} ({} similar warnings suppressed)", client.peer(), what, suppressed);
  } else {
    spdlog::warn("client {} {}", client.peer(), what);
  }
}

void Hub::close_all(CloseCode code, std::string_view reason) {
  // close() may detach synchronously; iterate over a copy.
  auto clients = clients_;
  for (Client* client : clients) client->close(code, reason);
}

Json Hub::stats_json() const {
  return Json{{"clients", clients_.size()},
              {"connections_accepted", stats_.connections_accepted},
              {"connections_refused", stats_.connections_refused},
              {"auth_failures", stats_.auth_failures},
              {"messages_relayed", stats_.messages_relayed},
              {"deliveries", stats_.deliveries},
              {"invalid_frames", stats_.invalid_frames},
              {"oversized_frames", stats_.oversized_frames},
              {"protocol_errors", stats_.protocol_errors},
              {"slow_clients_dropped", stats_.slow_clients_dropped},
              {"bytes_received", stats_.bytes_received},
              {"bytes_sent", stats_.bytes_sent}};
}

}  // namespace hark::bus
