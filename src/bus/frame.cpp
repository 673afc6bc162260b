#include "bus/frame.h"

#include <algorithm>
#include <cstring>

namespace hark::bus {
namespace {

// Writes a server frame header (never masked) ending right before `payload_start`; returns
// where it begins.
char* write_header(char* payload_start, Opcode opcode, std::size_t size) {
  unsigned char header[MessageBuffer::header_room];
  std::size_t n = 0;
  header[n++] = static_cast<unsigned char>(0x80 | static_cast<unsigned>(opcode));
  if (size < 126) {
    header[n++] = static_cast<unsigned char>(size);
  } else if (size <= 0xFFFF) {
    header[n++] = 126;
    header[n++] = static_cast<unsigned char>(size >> 8);
    header[n++] = static_cast<unsigned char>(size);
  } else {
    header[n++] = 127;
    for (int shift = 56; shift >= 0; shift -= 8) {
      header[n++] = static_cast<unsigned char>(static_cast<std::uint64_t>(size) >> shift);
    }
  }
  char* start = payload_start - n;
  std::memcpy(start, header, n);
  return start;
}

}  // namespace

void MessageBuffer::reserve(std::size_t payload) {
  if (storage_ && payload <= capacity_) return;
  auto bigger = std::make_unique_for_overwrite<char[]>(header_room + payload + padding);
  if (size_ > 0) std::memcpy(bigger.get() + header_room, storage_.get() + header_room, size_);
  storage_ = std::move(bigger);
  capacity_ = payload;
}

void MessageBuffer::zero_padding() noexcept {
  if (storage_) std::memset(storage_.get() + header_room + size_, 0, padding);
}

char* MessageBuffer::extend(std::size_t more) {
  if (!storage_ || size_ + more > capacity_) {
    reserve(std::max(size_ + more, capacity_ + capacity_ / 2));
  }
  char* out = storage_.get() + header_room + size_;
  size_ += more;
  return out;
}

SharedFrame MessageBuffer::seal(Opcode opcode) && {
  if (!storage_) reserve(0);
  char* payload = storage_.get() + header_room;
  char* start = write_header(payload, opcode, size_);
  const auto offset = static_cast<std::size_t>(start - storage_.get());
  const std::size_t header = header_room - offset;
  auto frame = SharedFrame(new Frame(std::move(storage_), offset, header + size_, header));
  size_ = capacity_ = 0;
  return frame;
}

SharedFrame make_frame(Opcode opcode, std::string_view payload) {
  MessageBuffer buffer;
  buffer.reserve(payload.size());
  std::memcpy(buffer.extend(payload.size()), payload.data(), payload.size());
  return std::move(buffer).seal(opcode);
}

SharedFrame make_close_frame(CloseCode code, std::string_view reason) {
  std::string payload;
  const auto value = static_cast<std::uint16_t>(code);
  payload.push_back(static_cast<char>(value >> 8));
  payload.push_back(static_cast<char>(value & 0xFF));
  payload.append(reason.substr(0, 123));
  return make_frame(Opcode::close, payload);
}

void unmask_copy(char* dst, const char* src, std::size_t size, const unsigned char mask[4],
                 std::size_t mask_offset) noexcept {
  // Eight bytes at a time with the mask rotated to the current offset, then the tail.
  unsigned char rotated[8];
  for (int i = 0; i < 8; ++i) rotated[i] = mask[(mask_offset + static_cast<std::size_t>(i)) & 3];
  std::uint64_t mask64;
  std::memcpy(&mask64, rotated, 8);
  std::size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    std::uint64_t word;
    std::memcpy(&word, src + i, 8);
    word ^= mask64;
    std::memcpy(dst + i, &word, 8);
  }
  for (; i < size; ++i) dst[i] = static_cast<char>(src[i] ^ rotated[i & 7]);
}

}  // namespace hark::bus
