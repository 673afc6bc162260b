#include "core/md5.h"

#include <nettle/md5.h>

#include <array>
#include <cstdint>

namespace hark {

std::string md5_hex(std::string_view data) {
  md5_ctx context;
  md5_init(&context);
  md5_update(&context, data.size(), reinterpret_cast<const std::uint8_t*>(data.data()));
  std::array<std::uint8_t, MD5_DIGEST_SIZE> digest{};
  md5_digest(&context, digest.size(), digest.data());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * digest.size());
  for (auto byte : digest) {
    hex += kHex[byte >> 4];
    hex += kHex[byte & 0x0F];
  }
  return hex;
}

}  // namespace hark
