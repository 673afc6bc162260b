#include "listener/wake_check.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <limits>
#include <set>

#include "listener/language_model.h"
#include "listener/words.h"

namespace hark::listener {
namespace {

constexpr const char* kFree = "wake_check_free";
constexpr const char* kPhrase = "wake_check_phrase";

// JSGF takes words of letters and apostrophes; cmudict also has "prof." and "a.m.".
bool plain(const std::string& word) {
  return std::all_of(word.begin(), word.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) || c == '\'';
  });
}

}  // namespace

bool sounds_like_part_of(std::string_view phones, std::string_view phrase) {
  auto a = split_words(phones);
  if (a.size() < 2) return false;
  return edit_distance(a, split_words(phrase), Alignment::stretch_of_b) <= a.size() / 4;
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
  // Pruned as the spotter's keyword search is, so that the phrase's path survives on the voices
  // it was spotted in.
  decoder.set_jsgf(kFree, grammar("<word>*"), Pruning::wide);
  decoder.set_jsgf(kPhrase, grammar(fmt::format("{} <word>*", fmt::join(phrase, " "))),
                   Pruning::wide);
}

double WakeCheck::gap(std::span<const std::int16_t> window) {
  decoder_.use(kFree);
  auto best = decoder_.decode(window, AudioStream::wake_word);
  decoder_.use(kPhrase);
  auto phrase = decoder_.decode(window, AudioStream::wake_word);
  heard_ = best.text;
  if (phrase.text.empty()) return std::numeric_limits<double>::infinity();
  return best.score_per_frame - phrase.score_per_frame;
}

}  // namespace hark::listener
