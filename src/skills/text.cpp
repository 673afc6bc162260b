#include "skills/text.h"

#include <array>
#include <cstdint>

namespace hark::skills::text {
namespace {

// An uppercase range and the offset to its lowercase letters. A step of 2 is the Latin
// Extended-A and Cyrillic layout where upper and lower alternate (even upper, odd lower).
struct CaseRange {
  char32_t first;
  char32_t last;
  int delta;
  int step;
};

constexpr std::array<CaseRange, 24> kCaseRanges{{
    {0x41, 0x5A, 32, 1},      // A-Z
    {0xC0, 0xD6, 32, 1},      // À-Ö
    {0xD8, 0xDE, 32, 1},      // Ø-Þ
    {0x100, 0x12E, 1, 2},     // Ā-Į (İ U+0130 lowercases to two code points: left alone)
    {0x132, 0x136, 1, 2},     // Ĳ-Ķ
    {0x139, 0x147, 1, 2},     // Ĺ-Ň
    {0x14A, 0x176, 1, 2},     // Ŋ-Ŷ
    {0x178, 0x178, -121, 1},  // Ÿ
    {0x179, 0x17D, 1, 2},     // Ź-Ž
    {0x386, 0x386, 38, 1},    // Ά
    {0x388, 0x38A, 37, 1},    // Έ-Ί
    {0x38C, 0x38C, 64, 1},    // Ό
    {0x38E, 0x38F, 63, 1},    // Ύ-Ώ
    {0x391, 0x3A1, 32, 1},    // Α-Ρ
    {0x3A3, 0x3AB, 32, 1},    // Σ-Ϋ
    {0x400, 0x40F, 80, 1},    // Ѐ-Џ
    {0x410, 0x42F, 32, 1},    // А-Я
    {0x460, 0x480, 1, 2},     // Ѡ-Ҁ
    {0x48A, 0x4BE, 1, 2},     // Ҋ-Ҿ
    {0x4C0, 0x4C0, 15, 1},    // Ӏ
    {0x4C1, 0x4CD, 1, 2},     // Ӂ-Ӎ
    {0x4D0, 0x52E, 1, 2},     // Ӑ-Ԯ
    {0x1E00, 0x1E94, 1, 2},   // Latin Extended Additional: Ḁ-Ẕ
    {0x1EA0, 0x1EFE, 1, 2},   // Ạ-Ỿ (Vietnamese)
}};

bool in_range(const CaseRange& r, char32_t c) {
  return c >= r.first && c <= r.last && (c - r.first) % static_cast<char32_t>(r.step) == 0;
}

char32_t shifted(char32_t c, int delta) {
  return static_cast<char32_t>(static_cast<std::int64_t>(c) + delta);
}

}  // namespace

char32_t to_lower(char32_t c) {
  for (const auto& r : kCaseRanges) {
    if (in_range(r, c)) return shifted(c, r.delta);
  }
  return c;
}

char32_t to_upper(char32_t c) {
  for (const auto& r : kCaseRanges) {
    const char32_t upper = shifted(c, -r.delta);
    if (in_range(r, upper)) return upper;
  }
  return c;
}

bool is_cased(char32_t c) {
  // ß and ĸ are lowercase letters with no single-code-point uppercase.
  return to_lower(c) != c || to_upper(c) != c || c == 0xDF || c == 0x138;
}

bool is_alnum(char32_t c) {
  return (c >= '0' && c <= '9') || is_cased(c);
}

char32_t decode(std::string_view s, std::size_t& pos) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = byte(pos);
  int extra = 0;
  char32_t c = 0;
  if (lead < 0x80) {
    ++pos;
    return lead;
  } else if ((lead & 0xE0) == 0xC0 && lead >= 0xC2) {
    extra = 1;
    c = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    extra = 2;
    c = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0 && lead <= 0xF4) {
    extra = 3;
    c = lead & 0x07;
  } else {
    ++pos;
    return 0xFFFD;
  }
  if (pos + static_cast<std::size_t>(extra) >= s.size()) {
    ++pos;
    return 0xFFFD;
  }
  for (int i = 1; i <= extra; ++i) {
    const unsigned char next = byte(pos + static_cast<std::size_t>(i));
    if ((next & 0xC0) != 0x80) {
      ++pos;
      return 0xFFFD;
    }
    c = (c << 6) | (next & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
  static constexpr char32_t kMin[] = {0, 0x80, 0x800, 0x10000};
  if (c < kMin[extra] || (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF) {
    ++pos;
    return 0xFFFD;
  }
  pos += static_cast<std::size_t>(extra) + 1;
  return c;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

std::size_t invalid_utf8_at(std::string_view s) {
  std::size_t pos = 0;
  while (pos < s.size()) {
    const std::size_t start = pos;
    // A literal U+FFFD in the input decodes to the same value, so compare the bytes used.
    if (decode(s, pos) == 0xFFFD && pos - start != 3) return start;
  }
  return std::string_view::npos;
}

int column_of(std::string_view s, std::size_t pos) {
  int column = 1;
  std::size_t i = 0;
  while (i < pos && i < s.size()) {
    decode(s, i);
    ++column;
  }
  return column;
}

std::string lower(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t pos = 0;
  while (pos < s.size()) append_utf8(out, to_lower(decode(s, pos)));
  return out;
}

std::string lang_key(std::string_view lang) {
  return lower(strip(lang));
}

std::string python_title(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool previous_cased = false;
  std::size_t pos = 0;
  while (pos < s.size()) {
    const char32_t c = decode(s, pos);
    append_utf8(out, previous_cased ? to_lower(c) : to_upper(c));
    previous_cased = is_cased(c);
  }
  return out;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

std::string_view strip(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string collapse_spaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  for (const char c : s) {
    if (is_space(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

}  // namespace hark::skills::text
