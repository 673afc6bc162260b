// Wake word spotting with pocketsphinx's keyword search, on a stream of 16 kHz audio.
//
// pocketsphinx never spotted the two-word "hey mycroft" (machine-notes 3), so by default only
// the phrase's last word is spotted; `spot` overrides that. bench/voice_bench measures how well
// this does on generated speech (docs/listener.md has the figures).
//
//   WakeWordSpotter wake({.phrase = "hey mycroft", .threshold = 1e-50}, decoder_options);
//   if (auto after = wake.feed(block)) start_recording(/* the last *after samples */);
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "listener/decoder.h"

namespace hark::listener {

struct WakeWordOptions {
  std::string phrase = "hey mycroft";
  // The words listened for; empty: the last word of `phrase`.
  std::string spot{};
  // pocketsphinx's kws_threshold: lower spots more (and wakes falsely more).
  double threshold = 1e-50;

  std::string spotted() const;
};

class WakeWordSpotter {
 public:
  // Throws DecoderError when the model is missing or a word is not in the dictionary.
  WakeWordSpotter(const WakeWordOptions& options, const DecoderOptions& decoder);

  // Feeds audio. When the wake word was heard, returns how many of the samples fed so far came
  // after it (the start of the command), and starts listening afresh.
  std::optional<std::size_t> feed(std::span<const std::int16_t> samples);
  // Forgets what was heard (after a recording, or while muted).
  void reset();
  const WakeWordOptions& options() const { return options_; }

 private:
  WakeWordOptions options_;
  Decoder decoder_;
  std::size_t fed_ = 0;
};

}  // namespace hark::listener
