// Speech to text for one recorded command. pocketsphinx decodes with a model of what the loaded
// intents' sentences say: a trigram language model of them (with everyday words, so that
// paraphrases and requests no intent expects come out as what was said), or the exact JSGF
// grammar of their sentences. When that scores poorly, the speech was something no intent
// expects, and the general en-us language model's guess is used instead, so that fallback skills
// still get words.
//
//   PocketsphinxStt stt({.decoder = {}});
//   stt.set_intents(samples);                        // again whenever skills change
//   Transcript t = stt.transcribe(recording);        // t.text, t.search
//
// Or decoding while the command is said, so that little is left when the speaker stops:
//   stt.begin_following();
//   while (recording) { recording.append(block); stt.follow(recording); }
//   Transcript t = stt.transcribe(recording);        // the same words as decoding it whole
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <unordered_set>

#include "listener/decoder.h"
#include "listener/grammar.h"
#include "listener/language_model.h"
#include "listener/speaker_adaptation.h"

namespace hark::listener {

struct Transcript {
  std::string text{};  // empty: nothing recognized
  // "intents" (the intents' model), "lm" (the general language model) or "none" (no intents
  // from the core yet, and no general model installed).
  std::string search{};
  double score_per_frame = 0;
  // The intents' model's score minus a free phone loop's, per frame (lower: the words fit the
  // sound worse than other sounds would; the phone loop pays its phone bigrams, so a good result
  // may be above 0); 0 for the general model's results, without the check (min_fit), and for
  // the trigram model's results that are one of the intents' sentences (never checked). Kept
  // when the result is dropped for it, as are the words in `dropped`.
  double fit = 0;
  // The words of a result dropped for its fit (text is then empty), for the log: what a user
  // tuning listener.min_fit needs to see.
  std::string dropped{};

  // What the intents' model heard and the fit check kept: a command the listener learns from.
  bool heard_by_intents() const { return search == "intents" && !text.empty(); }
};

// An engine that could not transcribe at all (a server that did not answer), saying why.
class SttError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class SpeechToText {
 public:
  virtual ~SpeechToText() = default;
  // Thread-safe. Throws SttError when the engine cannot transcribe at all.
  virtual Transcript transcribe(std::span<const std::int16_t> samples) = 0;
};

// OVOS's stt.fallback_module: the first engine's transcription, or the second's when the first
// throws SttError (which is logged).
class FallbackStt final : public SpeechToText {
 public:
  FallbackStt(std::shared_ptr<SpeechToText> first, std::shared_ptr<SpeechToText> second)
      : first_(std::move(first)), second_(std::move(second)) {}
  Transcript transcribe(std::span<const std::int16_t> samples) override;

 private:
  std::shared_ptr<SpeechToText> first_;
  std::shared_ptr<SpeechToText> second_;
};

struct AdaptationOptions {
  // Where what was learnt is kept across restarts; empty: not kept.
  std::filesystem::path file{};
  // How many frames (10 ms) of speech the model as it is weighs against the speaker's: with
  // little speech heard, the model changes little.
  double prior_frames = 1000;
  // How many frames each Gaussian's transformed mean weighs against the frames it scored
  // (SpeakerAdaptation::adapted); 0: the transform alone.
  double map_prior_frames = 5;
};

struct PocketsphinxSttOptions {
  DecoderOptions decoder{};
  // The intents' model: the trigram language model, or (false) the exact grammar.
  bool intent_language_model = true;
  LanguageModelOptions language_model{};
  // A result of the intents' model scoring below this per 10 ms frame is replaced by the
  // general language model's.
  double min_grammar_score = -40;
  // A result of the intents' model whose fit is below this was something else said with the
  // intents' words: it is dropped (or replaced by the general model's, with lm_fallback), unless
  // the trigram model heard one of the intents' sentences word for word: on voice_bench one
  // out-of-domain request in 120 came out as one, and a third of the commands the cut dropped. -7
  // was chosen on voice_bench's tuning voices (in-domain right intent and out-of-domain rejection
  // weighed alike); people's recorded commands fit at +8 and above, their other speech at -13
  // and below (bench/README.md). None: no check, and no phone loop to decode with (a second
  // decoding pass, after the command's end).
  std::optional<double> min_fit = -7;
  // With it, results below min_grammar_score go to the general model (slow, and poor on the
  // bench); without, a poor result is kept and never leaves the intents' model.
  bool lm_fallback = false;
  // Adapt the acoustic model to the voices it hears (adapt()); none: the model as it is.
  std::optional<AdaptationOptions> adaptation{};
};

class PocketsphinxStt final : public SpeechToText {
 public:
  // Throws DecoderError.
  explicit PocketsphinxStt(PocketsphinxSttOptions options);
  // With the wake word spotter's decoder (options.decoder unused), which it takes turns with:
  // the command is decoded while the spotter waits.
  PocketsphinxStt(PocketsphinxSttOptions options, std::shared_ptr<SharedDecoder> decoder);
  // Keeps what was learnt since it was last saved (AdaptationOptions::file).
  ~PocketsphinxStt() override;
  PocketsphinxStt(const PocketsphinxStt&) = delete;
  PocketsphinxStt& operator=(const PocketsphinxStt&) = delete;

  // Replaces the intents' model; the previous one stays when pocketsphinx refuses the new one
  // (DecoderError). Thread-safe.
  Grammar set_intents(const IntentSamples& samples);
  Transcript transcribe(std::span<const std::int16_t> samples) override;

  // A recording starts: follow() will feed it to the intents' model as it grows.
  void begin_following();
  // The recording ends without being transcribed (no speech in it, the microphone muted): what
  // following it took is freed.
  void stop_following();
  // The whole recording so far, each time it has grown. It is decoded in the pieces decode()
  // feeds, so transcribe() of the finished recording finds the words decoding it whole would;
  // a new intents' model meanwhile (set_intents) makes transcribe() decode it whole.
  void follow(std::span<const std::int16_t> recording);
  // Whether the words of the recording followed so far end as one of the intents' sentences
  // ends (their last two words): the speaker may well have finished.
  bool heard_a_sentence_end();
  // Whether the recording followed so far, decoded to its end now, ends as one of the intents'
  // sentences ends. pocketsphinx's final passes often hear last words its partial result lags
  // behind ("what are" while the speaker said "what are you"), so a pause the partial words
  // would not end is asked about this way. If it ends a sentence, transcribe() answers with
  // that result; if not, the recording is decoded again from its start and following goes on.
  // A recording longer than 6 s is not asked about (false): decoding it again would take long.
  bool finished_a_sentence(std::span<const std::int16_t> recording);
  // The speaker went on after a pause finished_a_sentence() said ended a sentence: the recording
  // is decoded again from its start and followed on.
  void go_on_following(std::span<const std::int16_t> recording);

  // With options.adaptation: the speaker of `recording` said `text` (a transcript of it by the
  // intents' model, or sentences read to enrol a voice; words cmudict-en-us.dict has). The
  // speech to text's model becomes the one adapted to all the speech so far
  // (SpeakerAdaptation), for the intents' model and the phone loop alike, and what was learnt is
  // saved. False when nothing was learnt (no adaptation, a word without phones, too short a
  // recording). Takes tens of milliseconds; thread-safe.
  bool adapt(std::span<const std::int16_t> recording, const std::string& text);
  // The command is over, transcribed (`transcript`) or not: the model adapts to it when the
  // intents' model heard it, and the wake word spotter, which shares the decoder, gets the
  // model as installed back (adapted to the commands, it spotted fewer wake words on
  // voice_bench: bench/README.md).
  void end_command(std::span<const std::int16_t> recording, const Transcript& transcript);
  // With options.adaptation: saves what was learnt since it was last saved (at most once a
  // minute otherwise, and when the engine is destroyed), so that an engine about to replace this
  // one loads all of it.
  void save_adaptation();

 private:
  // Whether the decoder is still in the utterance begin_following() started.
  bool still_following() const;
  bool ends_as_a_sentence_ends(const std::string& words) const;
  // Starts the intents' model's utterance again on the followed part of `recording`.
  void follow_again(std::span<const std::int16_t> recording);
  // A decoder with the phone loop, starting from the commands' normalization as it was before
  // the command: the fit compares two scores of the same features.
  std::unique_ptr<Decoder> make_phone_loop(const Decoder::Normalization& normalization) const;
  // Whether the phone loop followed the recording whose first `samples` are transcribed.
  bool phone_loop_followed(std::size_t samples) const;
  // The phone loop's score per frame for `samples`: what is left of them after the followed
  // part, or all of them (in a phone loop made from `normalization`) when it did not follow them.
  double phone_loop_score(std::span<const std::int16_t> samples,
                          const Decoder::Normalization& normalization);
  void free_phone_loop();
  // The shared decoder's model: adapted to the speakers (speech to text) or as installed (the
  // spotter). Holding shared_->mutex.
  void use_adapted_model(bool adapted);

  PocketsphinxSttOptions options_;
  std::shared_ptr<SharedDecoder> shared_;
  Decoder& decoder_;
  bool has_intents_ = false;
  bool has_language_model_ = false;
  // The intents' model is in an utterance of the recording being followed, fed up to here.
  bool following_ = false;
  std::size_t followed_ = 0;
  std::uint64_t utterance_ = 0;
  // Held while set_intents() builds a model (without the decoder's mutex).
  std::mutex build_mutex_;
  // The followed recording's result, decoded to its end by finished_a_sentence().
  std::optional<Hypothesis> finished_;
  // The phone loop the fit is measured against (with min_fit), in a decoder of its own: it
  // follows the recording beside the intents' model, so that at the command's end only the last
  // pieces are left to decode instead of the whole recording again (about 0.05 s per second of
  // it, which the speaker waited for). It is made for a command (10 ms) and freed after it: its
  // acoustic model (about 5 MB) is not kept while the listener waits for the wake word. It
  // follows while it is in an utterance, fed up to phones_followed_.
  std::unique_ptr<Decoder> phone_loop_;
  std::size_t phones_followed_ = 0;
  // What the model is adapted to the speakers with, and the Gaussians adapted (empty: none
  // yet), about 1.7 MB. Each adaptation has a number (0: the model as installed), so that the
  // shared decoder is given them only when they are not the ones it has.
  std::unique_ptr<SpeakerAdaptation> adaptation_;
  std::mutex adaptation_mutex_;
  // What was learnt is saved at most once a minute (the statistics are 1-3 MB: an SD card is not
  // written that much after every command), and when the engine is destroyed. Holding
  // adaptation_mutex_.
  void write_adaptation();
  std::chrono::steady_clock::time_point adaptation_saved_ =
      std::chrono::steady_clock::now() - std::chrono::minutes(1);
  bool adaptation_unsaved_ = false;
  Gaussians speaker_gaussians_;
  std::uint64_t speaker_adaptation_ = 0, applied_adaptation_ = 0;
  // The last two words of each of the intents' sentences (slots filled in).
  std::unordered_set<std::string> sentence_ends_;
  // The intents' sentences themselves (slots filled in), words joined by blanks.
  std::unordered_set<std::string> sentences_;
};

}  // namespace hark::listener
