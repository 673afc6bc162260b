// FrameParser's template bodies: the handler is a template parameter so that per-message
// dispatch is a direct call on the hot path.
#pragma once

#include <algorithm>
#include <cstring>

namespace hark::bus {

template <class Handler>
void FrameParser::feed(const char* data, std::size_t size, Handler& handler) {
  while (size > 0 && !failed_) {
    if (state_ == State::header) {
      const std::size_t take = std::min(header_size() - header_have_, size);
      std::memcpy(header_ + header_have_, data, take);
      header_have_ += take;
      data += take;
      size -= take;
      // Knowing the second byte may reveal that more header follows.
      if (header_have_ < header_size()) continue;
      if (!start_frame(handler)) return;
      if (frame_remaining_ == 0) finish_frame(handler);
      continue;
    }
    // Payload.
    const std::size_t take =
        static_cast<std::size_t>(std::min<std::uint64_t>(frame_remaining_, size));
    char* out;
    if (frame_opcode_ == Opcode::text || frame_opcode_ == Opcode::binary ||
        frame_opcode_ == Opcode::continuation) {
      out = message_.extend(take);
    } else {
      const std::size_t before = control_.size();
      control_.resize(before + take);
      out = control_.data() + before;
    }
    unmask_copy(out, data, take, mask_, mask_offset_);
    mask_offset_ = (mask_offset_ + take) & 3;
    data += take;
    size -= take;
    frame_remaining_ -= take;
    if (frame_remaining_ == 0) finish_frame(handler);
  }
}

inline std::size_t FrameParser::header_size() const noexcept {
  if (header_have_ < 2) return 2;
  const unsigned length7 = header_[1] & 0x7F;
  return 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + ((header_[1] & 0x80) ? 4 : 0);
}

template <class Handler>
bool FrameParser::start_frame(Handler& handler) {
  const unsigned char b0 = header_[0], b1 = header_[1];
  frame_final_ = (b0 & 0x80) != 0;
  frame_opcode_ = static_cast<Opcode>(b0 & 0x0F);
  if (b0 & 0x70) return fail(handler, CloseCode::protocol_error, "reserved bits set"), false;
  if (!(b1 & 0x80)) {
    return fail(handler, CloseCode::protocol_error, "client frames must be masked"), false;
  }
  std::uint64_t length = b1 & 0x7F;
  std::size_t pos = 2;
  if (length == 126) {
    length = (std::uint64_t{header_[2]} << 8) | header_[3];
    pos = 4;
  } else if (length == 127) {
    length = 0;
    for (int i = 0; i < 8; ++i) length = (length << 8) | header_[2 + i];
    pos = 10;
    if (length >> 63) return fail(handler, CloseCode::protocol_error, "bad length"), false;
  }
  std::memcpy(mask_, header_ + pos, 4);
  mask_offset_ = 0;
  frame_remaining_ = length;
  header_have_ = 0;
  state_ = State::payload;

  switch (frame_opcode_) {
    case Opcode::text:
    case Opcode::binary:
      if (in_message_) {
        return fail(handler, CloseCode::protocol_error, "new message inside a fragmented one"),
               false;
      }
      in_message_ = true;
      message_opcode_ = frame_opcode_;
      message_ = MessageBuffer{};
      if (length <= max_message_size_) message_.reserve(static_cast<std::size_t>(length));
      break;
    case Opcode::continuation:
      if (!in_message_) {
        return fail(handler, CloseCode::protocol_error, "continuation without a message"), false;
      }
      break;
    case Opcode::close:
    case Opcode::ping:
    case Opcode::pong:
      if (!frame_final_ || length > 125) {
        return fail(handler, CloseCode::protocol_error, "bad control frame"), false;
      }
      control_.clear();
      return true;
    default:
      return fail(handler, CloseCode::protocol_error, "unknown opcode"), false;
  }
  if (length > max_message_size_ || message_.size() + length > max_message_size_) {
    fail(handler, CloseCode::too_big, "message too big");
    return false;
  }
  return true;
}

template <class Handler>
void FrameParser::finish_frame(Handler& handler) {
  state_ = State::header;
  switch (frame_opcode_) {
    case Opcode::ping:
      handler.on_ping(std::string_view(control_));
      return;
    case Opcode::pong:
      handler.on_pong(std::string_view(control_));
      return;
    case Opcode::close: {
      if (control_.size() == 1) return fail(handler, CloseCode::protocol_error, "bad close frame");
      std::uint16_t code = 1005;  // "no status received"
      std::string_view reason;
      if (control_.size() >= 2) {
        code = static_cast<std::uint16_t>((static_cast<unsigned char>(control_[0]) << 8) |
                                          static_cast<unsigned char>(control_[1]));
        reason = std::string_view(control_).substr(2);
      }
      handler.on_close(code, reason);
      return;
    }
    default:
      if (frame_final_) {
        in_message_ = false;
        handler.on_message(message_opcode_, std::move(message_));
        message_ = MessageBuffer{};
      }
      return;
  }
}

template <class Handler>
void FrameParser::fail(Handler& handler, CloseCode code, std::string_view why) {
  failed_ = true;
  handler.on_error(code, why);
}

}  // namespace hark::bus
