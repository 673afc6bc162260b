// The wake word's speaker-independent check, for what the keyword search spotted: the audio up to
// a hit is decoded by a grammar in which the wake phrase's words compete with words that sound
// like parts of it ("my", "mike", "microsoft", "craft", "hay", from the dictionary by phone edit
// distance) and with everyday words, once freely and once required to start with the phrase. The
// gap between the two scores says how much better other words explain the sound. No recordings of
// the user are needed, unlike the templates (wake_templates.h).
//
// The phrase's decoding starts with the phrase because pocketsphinx 5prealpha's grammar search
// finds no path at all through a loop of words followed by the phrase ("<word>* hey mycroft":
// "Final result does not match the grammar"); speech before the phrase in the window therefore
// counts against it.
//
// The check uses the spotter's own decoder (no second acoustic model), between two of the
// spotter's utterances: pocketsphinx re-initializes searches when the dictionary changes, and a
// keyword search re-initialized mid-utterance stays deaf (docs/listener.md, Memory).
//
//   WakeCheck check(decoder, {"hey", "mycroft"});       // before the spotter's first utterance
//   if (check.gap(window) <= 0) wake();                  // ends the utterance, if one is open
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "listener/decoder.h"

namespace hark::listener {

// Whether a pronunciation of two phones or more ("M AY K") sounds like some stretch of a phrase's
// ("HH EY M AY K R AO F T"): at most one edit (a phone put in, left out or changed) per four of
// its phones.
bool sounds_like_part_of(std::string_view phones, std::string_view phrase);

class WakeCheck {
 public:
  // Teaches `decoder` the check's words and adds its two searches; `phrase`'s words must be known
  // to it. The decoder's current search is unchanged.
  WakeCheck(Decoder& decoder, std::vector<std::string> phrase);

  // How much better, per 10 ms frame, the best decoding of `window` scores than the best one that
  // starts with the phrase; infinite when none does. Below 0 as a rule: the phrase's words cost
  // nothing in its grammar, a choice among all words in the free one. Ends the decoder's
  // utterance; the caller chooses the search to go on with.
  double gap(std::span<const std::int16_t> window);
  // The words of the last window's best decoding, for logs and benches.
  const std::string& heard() const { return heard_; }

 private:
  Decoder& decoder_;
  std::string heard_;
};

}  // namespace hark::listener
