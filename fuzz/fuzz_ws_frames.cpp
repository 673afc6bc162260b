// Client bytes as the bus reads them: any split into reads, any frame sequence. The parser must
// never read out of bounds, never hand over a message above its limit, and a sealed frame must
// carry the payload unchanged.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "bus/frame.h"

namespace {

constexpr std::size_t kMaxMessage = 64 * 1024;

struct Checker {
  void on_message(hark::bus::Opcode opcode, hark::bus::MessageBuffer&& message) {
    if (message.size() > kMaxMessage) std::abort();
    std::string payload(message.data(), message.size());
    auto frame = std::move(message).seal(opcode);
    if (frame->payload() != payload) std::abort();
  }
  void on_ping(std::string_view payload) {
    if (payload.size() > 125) std::abort();
  }
  void on_pong(std::string_view payload) {
    if (payload.size() > 125) std::abort();
  }
  void on_close(std::uint16_t, std::string_view reason) {
    if (reason.size() > 123) std::abort();
  }
  void on_error(hark::bus::CloseCode, std::string_view) { ++errors; }
  int errors = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  // The first byte picks the read size, so that frame boundaries fall everywhere.
  const std::size_t chunk = (data[0] % 64) + 1;
  hark::bus::FrameParser parser(kMaxMessage);
  Checker checker;
  const char* bytes = reinterpret_cast<const char*>(data + 1);
  for (std::size_t at = 0; at < size - 1 && !parser.failed(); at += chunk) {
    parser.feed(bytes + at, std::min(chunk, size - 1 - at), checker);
  }
  if (checker.errors > 1) std::abort();  // parsing stops at the first violation
  return 0;
}
