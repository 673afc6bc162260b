// Wake word spotting on a stream of 16 kHz audio, in up to three stages.
//
// 1. pocketsphinx's keyword search spots `spot` (by default the phrase's last word, "mycroft":
//    it never spots the two words "hey mycroft" together, machine-notes 3), and the phrase's
//    words before it ("hey") on their own: each must end just before the next one starts. That
//    keeps out "my craft" and most other speech that merely sounds like "mycroft"
//    (bench/README.md), so that the spotted word's threshold may be permissive.
// 2. The check (wake_check.h): the audio that led up to a hit is decoded with words that sound
//    like the wake phrase's and everyday words; the hit stands when decoding it as the wake
//    phrase scores within `max_check_gap` of the best decoding. It needs no recordings of the
//    user, and keeps out 3 in 5 of the first stage's false wakes ("hey my car is outside", most
//    prose; not "hey microsoft"; bench/README.md).
// 3. With recordings of the wake word ("templates", e.g. the ones `record_wake_words` saves),
//    each hit must also sound like one of them: the audio that led up to it is compared with each
//    template by dynamic time warping of MFCC frames, as Rhasspy's Raven does
//    (wake_templates.h).
//
// bench/voice_bench measures the stages on generated speech (docs/listener.md has the figures).
//
//   WakeWordSpotter wake({.phrase = "hey mycroft", .templates = recordings}, decoder_options);
//   if (auto hit = wake.feed(block)) start_recording(/* the last hit->after samples */);
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "listener/decoder.h"
#include "listener/wake_check.h"
#include "listener/wake_templates.h"

namespace hark::listener {

struct WakeWordOptions {
  std::string phrase = "hey mycroft";
  // The words the first stage listens for; empty: the last word of `phrase`.
  std::string spot{};
  // pocketsphinx's kws_threshold for `spotted()`: lower spots more (and wakes falsely more).
  double threshold = 1e-62;
  // The kws_threshold of each of `leading()`'s words; 0: they are not listened for.
  double lead_threshold = 1e-25;
  // Whether hits are checked (wake_check.h), and how much worse per frame than the best words
  // heard the wake phrase may score.
  bool check = true;
  double max_check_gap = 0;
  // Recordings of the wake word (16 kHz mono); with some, a first-stage hit must also be within
  // `max_template_distance` of one of them.
  std::vector<std::vector<std::int16_t>> templates{};
  double max_template_distance = 0.28;

  std::string spotted() const;
  // The phrase's words before the spotted ones ("hey"), when the phrase ends with those.
  std::vector<std::string> leading() const;
};

struct WakeWordHit {
  // How many of the samples fed so far came after the wake word (the start of the command).
  std::size_t after = 0;
  // The nearest template's distance (wake_templates.h); 2 without templates.
  double template_distance = 2;
  // How much worse than the best words heard the wake phrase scored (wake_check.h); 0 without
  // the check.
  double check_gap = 0;
  // The best words the check heard in the window.
  std::string check_heard{};
};

// The options of the spotter's decoder: `decoder` with wide beams, and every frame searched
// (Decoder::detections() counts them from start(), silence included).
DecoderOptions spotting_decoder(DecoderOptions decoder);

class WakeWordSpotter {
 public:
  // Throws DecoderError when the model is missing, a word is not in the dictionary or a
  // template is too short.
  WakeWordSpotter(const WakeWordOptions& options, const DecoderOptions& decoder);

  // Feeds audio. When the wake word was heard, says where it ended, and starts listening afresh.
  std::optional<WakeWordHit> feed(std::span<const std::int16_t> samples);
  // Forgets what was heard (after a recording, or while muted).
  void reset();
  const WakeWordOptions& options() const { return options_; }

 private:
  // Where the wake word ended among the keyword search's detections: the spotted words, after
  // each leading word in turn.
  std::optional<int> wake_word_end(const std::vector<Detection>& found) const;

  WakeWordOptions options_;
  std::vector<std::string> leading_;  // empty when lead_threshold is 0
  Decoder decoder_;
  WakeTemplates templates_;
  std::optional<WakeCheck> check_;
  std::size_t fed_ = 0;
  // The last samples fed, for the second stage.
  std::vector<std::int16_t> recent_;
};

}  // namespace hark::listener
