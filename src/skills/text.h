// UTF-8 text helpers shared by the resource readers, the template expander and the munging of
// registration names. Case mapping covers ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic
// one code point to one code point; other scripts are left as they are (no ICU on purpose: the
// skill layer should not pull in a 30 MB dependency to lowercase intent files).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace hark::skills::text {

char32_t to_lower(char32_t c);
char32_t to_upper(char32_t c);
// A letter that has case (Python's notion of "cased", within the scripts above).
bool is_cased(char32_t c);
// Python's str.isalnum() within the scripts above: ASCII digits and cased letters.
bool is_alnum(char32_t c);

// Decodes one code point at `pos` and advances `pos`; invalid or truncated UTF-8 gives U+FFFD
// and advances one byte.
char32_t decode(std::string_view s, std::size_t& pos);
void append_utf8(std::string& out, char32_t c);

// Byte offset of the first invalid UTF-8 sequence, or npos when `s` is valid.
std::size_t invalid_utf8_at(std::string_view s);
// 1-based column (in code points) of byte offset `pos`.
int column_of(std::string_view s, std::size_t pos);

std::string lower(std::string_view s);
// A language tag as the key of a per-language table: " en-US" -> "en-us".
std::string lang_key(std::string_view lang);
// Python's str.title(): each cased letter after an uncased character is uppercased, the rest
// lowercased, so "n_days" gives "N_Days" and "2day" gives "2Day".
std::string python_title(std::string_view s);

bool is_space(char c);
std::string_view strip(std::string_view s);
// Runs of whitespace become one space and the ends are trimmed, as " ".join(s.split()).
std::string collapse_spaces(std::string_view s);

}  // namespace hark::skills::text
