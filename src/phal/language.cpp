#include "phal/language.h"

#include <cctype>

namespace hark::phal {

std::optional<std::string> normalized_language(std::string_view code) {
  std::string normalized;
  std::size_t subtags = 0;
  std::size_t subtag_length = 0;
  auto subtag_ends = [&] {
    const bool language = subtags == 0;
    const bool fits = language ? subtag_length >= 2 && subtag_length <= 3
                               : subtag_length >= 2 && subtag_length <= 8;
    ++subtags;
    subtag_length = 0;
    return fits && subtags <= 4;
  };
  for (char c : code) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '-' || c == '_') {
      if (!subtag_ends()) return std::nullopt;
      normalized += '-';
    } else if (std::isalpha(byte) || (subtags > 0 && std::isdigit(byte))) {
      normalized += static_cast<char>(std::tolower(byte));
      ++subtag_length;
    } else {
      return std::nullopt;
    }
  }
  if (!subtag_ends()) return std::nullopt;
  return normalized;
}

}  // namespace hark::phal
