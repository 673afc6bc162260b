// Speech to text for one recorded command. pocketsphinx first decodes with the grammar of the
// loaded intents (exact on the commands skills know); when that path scores poorly, the speech
// was something no intent expects, and the general en-us language model's guess is used instead,
// so that fallback skills still get words.
//
//   PocketsphinxStt stt({.decoder = {}, .min_grammar_score = -40});
//   stt.set_intents(samples);                        // again whenever skills change
//   Transcript t = stt.transcribe(recording);        // t.text, t.search
#pragma once

#include <cstdint>
#include <mutex>
#include <span>
#include <string>

#include "listener/decoder.h"
#include "listener/grammar.h"

namespace hark::listener {

struct Transcript {
  std::string text;    // empty: nothing recognized
  std::string search;  // "intents" (the grammar) or "lm" (the general language model)
  double score_per_frame = 0;
};

class SpeechToText {
 public:
  virtual ~SpeechToText() = default;
  // Thread-safe.
  virtual Transcript transcribe(std::span<const std::int16_t> samples) = 0;
};

struct PocketsphinxSttOptions {
  DecoderOptions decoder{};
  // A grammar result scoring below this per 10 ms frame is replaced by the language model's.
  double min_grammar_score = -40;
  // Without it, a poor grammar result is kept: fast, and never leaves the grammar.
  bool lm_fallback = true;
};

class PocketsphinxStt final : public SpeechToText {
 public:
  // Throws DecoderError.
  explicit PocketsphinxStt(PocketsphinxSttOptions options);

  // Replaces the grammar; the previous one stays when pocketsphinx refuses the new one
  // (DecoderError). Thread-safe.
  Grammar set_intents(const IntentSamples& samples);
  Transcript transcribe(std::span<const std::int16_t> samples) override;

 private:
  PocketsphinxSttOptions options_;
  std::mutex mutex_;
  Decoder decoder_;
  bool has_grammar_ = false;
  bool has_language_model_ = false;
};

}  // namespace hark::listener
