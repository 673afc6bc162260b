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
//    (wake_templates.h). The spotter also learns templates from the user's own wake words
//    (learn(): the listener gives it each one whose command the intents' model understood); once
//    it holds kMinLearned of them they count as recordings do. A hit only the templates refuse
//    stands when it comes within kRepeatSeconds of another such and sounds like it throughout
//    (is_said_again()): whoever the templates do not know yet (a new
//    voice in the house) gets through by saying the wake word again, and is learnt then.
//
// bench/voice_bench measures the stages on generated speech (docs/listener.md has the figures).
//
//   WakeWordSpotter wake({.phrase = "hey mycroft", .templates = recordings}, decoder_options);
//   if (auto hit = wake.feed(block)) start_recording(/* the last hit->after samples */);
#pragma once

#include <cstdint>
#include <memory>
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
  double max_template_distance = 0.22;
  // learn() keeps this many of the user's wake words, forgetting the oldest; 0: learns none.
  std::size_t max_learned = 20;
  // How far from the nearest learnt wake word a hit may be: the user's own voice on the same
  // microphone comes nearer than other recordings do (bench/README.md).
  double max_learned_distance = 0.15;
  // Whether a hit only the templates refuse stands when said again within kRepeatSeconds (a
  // voice not learnt yet); false: only the voices learnt or enrolled wake it.
  bool let_in_said_again = true;

  std::string spotted() const;
  // The phrase's words before the spotted ones ("hey"), when the phrase ends with those.
  std::vector<std::string> leading() const;
};

struct WakeWordHit {
  // How many of the samples fed so far came after the wake word (the start of the command).
  std::size_t after = 0;
  // The nearest template's distance (wake_templates.h); 2 without templates.
  double template_distance = 2;
  // The nearest learnt wake word's; 2 while fewer than kMinLearned were learnt.
  double learned_distance = 2;
  // How much worse than the best words heard the wake phrase scored (wake_check.h); 0 without
  // the check.
  double check_gap = 0;
  // The best words the check heard in the window.
  std::string check_heard{};
  // The wake phrase as heard, from the first leading word's start to the spotted word's end: what
  // learn() takes.
  std::vector<std::int16_t> wake_word{};
  // The audio the templates were compared with: the wake word and what came just before and
  // after it; empty without templates.
  std::vector<std::int16_t> window{};
  // The templates refused it, and it stands because it came soon after another they refused
  // and sounds like it.
  bool repeated = false;
};

// How unlike `earlier` (a wake word as heard) the wake word of `later` sounds, to tell the same
// voice saying it again: the nearer of `later`'s wake word and its window to `earlier` as a
// template. The keyword search cuts some voices' wake words short or long at times (espeak-ng's:
// a tenth of the pairs 0.35-0.44 apart, within 0.16-0.2 in the window, before session 28's
// normalization of the stretch matched), and the window holds the whole word then.
WakeTemplates::Match said_again_match(Decoder& decoder, std::span<const std::int16_t> earlier,
                                      const WakeWordHit& later);

// How unlike the one refused before a wake word said again may be at its least alike 0.12 s
// (WakeTemplates::Match::peak). On voice_bench a voice's consecutive sayings came within 0.31;
// "hey microwave the soup" after the same voice's "hey mike how are you", as alike on the whole
// (0.15-0.21), 0.38-0.46 (bench/README.md; measured before the stretch matched was normalized on
// its own, which left every second try of the bench's voices within both cuts).
inline constexpr double kMaxSaidAgainPeak = 0.34;

// Whether `match` (said_again_match()) is the same voice saying the wake word again: within
// `max_distance` on the whole and kMaxSaidAgainPeak at its least alike.
bool is_said_again(const WakeTemplates::Match& match, double max_distance);

class WakeWordSpotter {
 public:
  // Throws DecoderError when the model is missing, a word is not in the dictionary or a
  // template is too short.
  WakeWordSpotter(const WakeWordOptions& options, const DecoderOptions& decoder);
  // Takes turns with the decoder's other user (the speech to text), listening afresh whenever
  // it finds the decoder in another's utterance.
  WakeWordSpotter(const WakeWordOptions& options, std::shared_ptr<SharedDecoder> decoder);

  // Whether the speaker was asked to say the wake word now (enrollment: `hark enroll`), so that
  // a hit only the templates refuse stands: a voice they do not know yet is who enrolls.
  enum class Saying { unprompted, prompted };
  // Feeds audio. When the wake word was heard, says where it ended, and starts listening afresh.
  std::optional<WakeWordHit> feed(std::span<const std::int16_t> samples,
                                  Saying saying = Saying::unprompted);
  // Forgets what was heard (after a recording, or while muted).
  void reset();
  const WakeWordOptions& options() const { return options_; }

  // The templates count once this many wake words were learnt: one alone may be an odd one.
  static constexpr std::size_t kMinLearned = 3;
  // A hit refused by the templates alone this soon after another, and like it, gets through.
  static constexpr double kRepeatSeconds = 6;
  // A wake word of the user's (a hit's wake_word), a template from now on; false when it holds
  // less than 0.1 s of sound. Thread-safe, as feed() is.
  bool learn(std::span<const std::int16_t> wake_word);
  std::size_t learned() const;

  // Where the live cepstral mean of what the spotter hears has come to. A spotter that
  // replaces this one, or the next listener's, starts from it (start_from) instead of the
  // model's -cmninit, which a voice the model fits poorly takes about 10 s of speech to move
  // away from: until then its wake words were missed (awb: the first 3). Thread-safe.
  Decoder::Normalization normalization() const;
  // Throws DecoderError when `state` does not fit the model.
  void start_from(const Decoder::Normalization& state);

 private:
  // Where the wake word started and ended (frames) among the keyword search's detections: the
  // spotted words, after each leading word in turn.
  std::optional<std::pair<int, int>> wake_word_frames(const std::vector<Detection>& found) const;
  bool has_templates() const;
  // Whether the hit is near enough a recording or a learnt wake word.
  bool sounds_like_templates(const WakeWordHit& hit) const;
  // Starts an utterance of the keyword search; the caller holds the decoder's mutex.
  void listen();

  WakeWordOptions options_;
  std::vector<std::string> leading_;  // empty when lead_threshold is 0
  std::shared_ptr<SharedDecoder> shared_;
  Decoder& decoder_;
  // The decoder's utterance this spotter started last.
  std::uint64_t utterance_ = 0;
  WakeTemplates templates_;
  WakeTemplates learned_;
  std::optional<WakeCheck> check_;
  std::size_t fed_ = 0;
  // Samples fed since the spotter was made; the last hit the templates alone refused, and when
  // (in those samples) it ended.
  std::uint64_t fed_in_all_ = 0;
  struct Refused {
    std::uint64_t at = 0;
    std::vector<std::int16_t> wake_word;
  };
  std::optional<Refused> refused_;
  // The last samples fed, for the second stage.
  std::vector<std::int16_t> recent_;
};

}  // namespace hark::listener
