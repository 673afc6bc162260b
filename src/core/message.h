// An OVOS bus message: {"type": "...", "data": {...}, "context": {...}}.
//
//   hark::Message m("speak", {{"utterance", "hello"}});
//   std::string wire = m.serialize();
//   hark::Message back = hark::Message::parse(wire);        // throws hark::MessageError
//   hark::Message answer = back.response({{"ok", true}});   // "speak.response", source/dest swapped
//
// The derivations (forward, reply, response, publish) follow ovos-bus-client exactly, because
// HiveMind peers and remote sessions find their way back only through them.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/json.h"

namespace hark {

class MessageError : public std::runtime_error {
 public:
  MessageError(const std::string& what, std::size_t offset)
      : std::runtime_error(what), offset_(offset) {}
  // Byte offset into the text where the problem was found.
  std::size_t offset() const noexcept { return offset_; }

 private:
  std::size_t offset_;
};

class Message {
 public:
  Message() : data_(Json::object()), context_(Json::object()) {}
  explicit Message(std::string type, Json data = Json::object(), Json context = Json::object());

  // Accepts any JSON object with a string "type". Missing data/context become {} (as the
  // Python client does); extra top-level keys are dropped (OVOS-MSG-1 forbids emitting them, and
  // rejecting them broke real clients: ovos-dinkum-listener #240).
  static Message parse(std::string_view text);
  static std::optional<Message> try_parse(std::string_view text, std::string* error = nullptr);

  std::string serialize() const;

  const std::string& type() const noexcept { return type_; }
  const Json& data() const noexcept { return data_; }
  Json& data() noexcept { return data_; }
  const Json& context() const noexcept { return context_; }
  Json& context() noexcept { return context_; }

  // New type and data, same context.
  Message forward(std::string type, Json data = Json::object()) const;
  // Context deep-copied with `context_overlay` applied; a "destination" in data moves into the
  // context; then source and destination are swapped if both are present.
  Message reply(std::string type, Json data = Json::object(),
                const Json& context_overlay = Json::object()) const;
  // reply(type + ".response", data)
  Message response(Json data = Json::object(), const Json& context_overlay = Json::object()) const;
  // Same context without "target".
  Message publish(std::string type, Json data = Json::object()) const;

  friend bool operator==(const Message&, const Message&) = default;

 private:
  std::string type_;
  Json data_;
  Json context_;
};

}  // namespace hark
