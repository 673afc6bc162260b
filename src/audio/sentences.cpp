#include "audio/sentences.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace hark::audio {
namespace {

// Lower-case words that take a full stop without ending a sentence.
constexpr std::array<std::string_view, 20> kAbbreviations = {
    "mr",  "mrs", "ms", "dr",     "prof", "st",  "sr",  "jr",  "vs", "etc",
    "e.g", "i.e", "no", "approx", "dept", "fig", "inc", "ltd", "mt", "ft"};

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// The word that ends just before `end` (exclusive), lower-cased.
std::string word_before(std::string_view text, std::size_t end) {
  std::size_t start = end;
  while (start > 0 && !is_space(text[start - 1])) --start;
  std::string word(text.substr(start, end - start));
  std::transform(word.begin(), word.end(), word.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  while (!word.empty() && std::string_view("\"'([").find(word.front()) != std::string_view::npos) {
    word.erase(0, 1);
  }
  return word;
}

bool full_stop_ends_sentence(std::string_view text, std::size_t dot) {
  std::string word = word_before(text, dot);
  if (word.size() == 1 && std::isalpha(static_cast<unsigned char>(word[0]))) return false;
  return std::find(kAbbreviations.begin(), kAbbreviations.end(), word) == kAbbreviations.end();
}

}  // namespace

std::vector<std::string> split_sentences(std::string_view text) {
  std::vector<std::string> sentences;
  auto add = [&](std::string_view piece) {
    piece = trim(piece);
    if (!piece.empty()) sentences.emplace_back(piece);
  };
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n') {
      add(text.substr(start, i - start));
      start = i + 1;
      continue;
    }
    if (c != '.' && c != '!' && c != '?' && c != ';') continue;
    std::size_t end = i + 1;
    // "Really?!", "Wait..." and closing quotes or brackets belong to the sentence.
    while (end < text.size() &&
           std::string_view(".!?\"')]").find(text[end]) != std::string_view::npos) {
      ++end;
    }
    if (end < text.size() && !is_space(text[end])) continue;
    if (c == '.' && end == i + 1 && !full_stop_ends_sentence(text, i)) continue;
    add(text.substr(start, end - start));
    start = end;
    i = end - 1;
  }
  add(text.substr(start));
  return sentences;
}

}  // namespace hark::audio
