// RFC 6455 framing as the bus needs it: frames from clients are parsed incrementally and
// unmasked straight into the buffer that becomes the outgoing frame, so a valid message is
// relayed byte for byte and encoded once for all its recipients.
//
// Why not Beast's websocket::stream for the server side: it frames each write per recipient and
// one message per write. Fan-out wants one immutable frame shared by every recipient and many
// frames per send, so the bus frames itself; Beast still parses the HTTP upgrade, and the client
// library uses Beast's websocket stream.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace hark::bus {

enum class Opcode : std::uint8_t {
  continuation = 0x0,
  text = 0x1,
  binary = 0x2,
  close = 0x8,
  ping = 0x9,
  pong = 0xA,
};

// Close codes the bus sends (RFC 6455 §7.4.1).
enum class CloseCode : std::uint16_t {
  normal = 1000,
  going_away = 1001,
  protocol_error = 1002,
  too_big = 1009,
  try_again_later = 1013,
};

// A complete server-to-client frame (header and payload in one block), immutable once made and
// shared by every recipient.
class Frame {
 public:
  std::string_view bytes() const noexcept { return {storage_.get() + offset_, size_}; }
  // The payload alone (what the sender wrote).
  std::string_view payload() const noexcept { return bytes().substr(header_size_); }
  std::size_t size() const noexcept { return size_; }

 private:
  friend class MessageBuffer;
  Frame(std::unique_ptr<char[]> storage, std::size_t offset, std::size_t size, std::size_t header)
      : storage_(std::move(storage)), offset_(offset), size_(size), header_size_(header) {}

  std::unique_ptr<char[]> storage_;
  std::size_t offset_;
  std::size_t size_;
  std::size_t header_size_;
};

using SharedFrame = std::shared_ptr<const Frame>;

// A message being received: room for the largest frame header in front of the payload, and
// zeroed padding behind it (simdjson reads up to 64 bytes past the end of what it parses).
class MessageBuffer {
 public:
  static constexpr std::size_t header_room = 10;
  static constexpr std::size_t padding = 64;

  std::size_t size() const noexcept { return size_; }
  const char* data() const noexcept { return storage_.get() + header_room; }
  // Allocates room for exactly `payload` bytes (the usual single-frame message).
  void reserve(std::size_t payload);
  // Makes room for `more` payload bytes and returns where they go.
  char* extend(std::size_t more);

  // Zeroes the padding right behind the payload, before a parser that reads ahead looks at it.
  void zero_padding() noexcept;

  // Writes the header in front of the payload and hands the block over as a frame.
  SharedFrame seal(Opcode opcode) &&;

 private:
  std::unique_ptr<char[]> storage_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;  // payload bytes that fit before the padding
};

// A frame made from a payload in one go (control frames and the bus's own messages).
SharedFrame make_frame(Opcode opcode, std::string_view payload);
// A close frame with a code and a short reason.
SharedFrame make_close_frame(CloseCode code, std::string_view reason);

// Incremental parser for client-to-server frames. Call feed() with whatever the socket gave;
// it calls the handler's
//   on_message(Opcode text_or_binary, MessageBuffer&&)   a whole (possibly fragmented) message
//   on_ping(std::string_view), on_pong(std::string_view)
//   on_close(std::uint16_t code, std::string_view reason)
//   on_error(CloseCode, std::string_view why)               then stops parsing for good
// A message larger than `max_message_size` is refused from its header, before its payload
// arrives.
class FrameParser {
 public:
  explicit FrameParser(std::size_t max_message_size) : max_message_size_(max_message_size) {}
  void set_max_message_size(std::size_t bytes) noexcept { max_message_size_ = bytes; }
  bool failed() const noexcept { return failed_; }

  template <class Handler>
  void feed(const char* data, std::size_t size, Handler& handler);

 private:
  enum class State { header, payload };

  // Bytes the current header takes: 2 until its second byte is known.
  std::size_t header_size() const noexcept;

  // Returns false (having called on_error) when the header breaks the protocol.
  template <class Handler>
  bool start_frame(Handler& handler);
  template <class Handler>
  void finish_frame(Handler& handler);
  template <class Handler>
  void fail(Handler& handler, CloseCode code, std::string_view why);

  std::size_t max_message_size_;
  bool failed_ = false;
  State state_ = State::header;

  unsigned char header_[14] = {};
  std::size_t header_have_ = 0;

  // The frame being read.
  Opcode frame_opcode_ = Opcode::continuation;
  bool frame_final_ = false;
  std::uint64_t frame_remaining_ = 0;
  unsigned char mask_[4] = {};
  std::size_t mask_offset_ = 0;

  // The data message being assembled across frames.
  bool in_message_ = false;
  Opcode message_opcode_ = Opcode::text;
  MessageBuffer message_;

  std::string control_;  // payload of the control frame being read (at most 125 bytes)
};

// XORs `size` bytes from `src` into `dst` with the 4-byte `mask`, starting at `mask_offset`.
void unmask_copy(char* dst, const char* src, std::size_t size, const unsigned char mask[4],
                 std::size_t mask_offset) noexcept;

}  // namespace hark::bus

#include "bus/impl/frame_parser.hpp"
