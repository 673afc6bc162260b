// Sequences of words (or of phones): split from text, and compared.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace hark::listener {

// The whitespace-separated items of `text`.
std::vector<std::string> split_words(std::string_view text);

enum class Alignment {
  whole,         // `a` against all of `b`: a word error count
  stretch_of_b,  // `a` against the stretch of `b` it is closest to (free start and end in `b`)
};

// Insertions, deletions and substitutions that turn `a` into `b`, or into a stretch of it.
std::size_t edit_distance(const std::vector<std::string>& a, const std::vector<std::string>& b,
                          Alignment alignment = Alignment::whole);

}  // namespace hark::listener
