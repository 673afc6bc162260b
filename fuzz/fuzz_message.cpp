// Bus frames come from any local process, so parsing one must never crash or throw, and a
// message that parses must survive serialize() and parse() unchanged: every consumer relays
// what it received by writing it out again.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/message.h"

namespace {

[[noreturn]] void fail(const char* what, const std::string& wire) {
  std::fprintf(stderr, "fuzz_message: %s\n%s\n", what, wire.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto message = hark::Message::try_parse(text);
  if (!message) return 0;

  const std::string wire = message->serialize();
  std::string error;
  const auto again = hark::Message::try_parse(wire, &error);
  if (!again) fail(("serialized message does not parse: " + error).c_str(), wire);
  if (!(*again == *message)) fail("round trip changed the message", wire);
  if (again->serialize() != wire) fail("serializing twice gave different text", wire);

  // The derivations take any parsed message, "destination" in data included.
  (void)message->forward("f", message->data()).serialize();
  (void)message->reply("r", message->data(), message->context()).serialize();
  (void)message->response(message->data()).serialize();
  (void)message->publish("p", message->data()).serialize();
  return 0;
}
