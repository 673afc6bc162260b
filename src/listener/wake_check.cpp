#include "listener/wake_check.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <limits>
#include <set>
#include <sstream>

#include "listener/language_model.h"

namespace hark::listener {
namespace {

constexpr const char* kFree = "wake_check_free";
constexpr const char* kPhrase = "wake_check_phrase";

std::vector<std::string> split(std::string_view text) {
  std::istringstream in{std::string(text)};
  std::vector<std::string> out;
  for (std::string item; in >> item;) out.push_back(item);
  return out;
}

// JSGF takes words of letters and apostrophes; cmudict also has "prof." and "a.m.".
bool plain(const std::string& word) {
  return std::all_of(word.begin(), word.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) || c == '\'';
  });
}

}  // namespace

bool sounds_like_part_of(std::string_view phones, std::string_view phrase) {
  auto a = split(phones);
  auto b = split(phrase);
  if (a.size() < 2) return false;
  // Edit distance of `a` to the best stretch of `b`: free to start and end anywhere in `b`.
  std::vector<std::size_t> row(b.size() + 1, 0);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return *std::min_element(row.begin(), row.end()) <= a.size() / 4;
}

WakeCheck::WakeCheck(Decoder& decoder, std::vector<std::string> phrase) : decoder_(decoder) {
  std::string phrase_phones;
  for (const auto& word : phrase) phrase_phones += decoder.phones(word) + " ";
  auto words = decoder.dictionary_words(
      [&](std::string_view phones) { return sounds_like_part_of(phones, phrase_phones); });
  words.insert(everyday_words().begin(), everyday_words().end());
  words.insert(phrase.begin(), phrase.end());
  decoder.learn(words);
  std::erase_if(words, [&](const std::string& w) { return !plain(w) || !decoder.knows(w); });
  // Every word equally likely, in any order: what the window says decides, not what people
  // usually say.
  auto grammar = [&](std::string_view rule) {
    return fmt::format("#JSGF V1.0;\ngrammar wake;\n<word> = {};\npublic <window> = {};\n",
                       fmt::join(words, " | "), rule);
  };
  decoder.set_jsgf(kFree, grammar("<word>*"));
  decoder.set_jsgf(kPhrase, grammar(fmt::format("{} <word>*", fmt::join(phrase, " "))));
}

double WakeCheck::gap(std::span<const std::int16_t> window) {
  decoder_.use(kFree);
  auto best = decoder_.decode(window);
  decoder_.use(kPhrase);
  auto phrase = decoder_.decode(window);
  heard_ = best.text;
  if (phrase.text.empty()) return std::numeric_limits<double>::infinity();
  return best.score_per_frame - phrase.score_per_frame;
}

}  // namespace hark::listener
