// MD5 in lowercase hex, for the names OVOS makes with hashlib.md5(...).hexdigest(): the munged
// names of entities and the TTS cache's files. nettle's: nothing to set up, where OpenSSL 3's
// EVP_md5 loads its providers on first use (1.9 MB more RSS in `hark audio`).
#pragma once

#include <string>
#include <string_view>

namespace hark {

std::string md5_hex(std::string_view data);

}  // namespace hark
