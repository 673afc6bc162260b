// Splits an answer into sentences, so the first can play while the rest are synthesized.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hark::audio {

// Sentences end at '.', '!', '?' or ';' followed by white space (closing quotes and brackets
// stay with their sentence), and at line breaks. Abbreviations such as "Dr." and "e.g.",
// initials ("J. R. R.") and numbers ("3.5") do not end one. Pieces are trimmed; empty ones are
// dropped.
std::vector<std::string> split_sentences(std::string_view text);

}  // namespace hark::audio
