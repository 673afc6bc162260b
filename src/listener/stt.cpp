#include "listener/stt.h"

#include <fmt/format.h>
#include <malloc.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <utility>

#include "listener/audio_source.h"

namespace hark::listener {
namespace {

constexpr const char* kIntents = "intents";
constexpr const char* kLanguageModel = "lm";
constexpr const char* kPhones = "phones";
constexpr const char* kNoModel = "none";

// pocketsphinx reads language models from files only: a private temporary one, gone once read.
class TemporaryFile {
 public:
  explicit TemporaryFile(const std::string& text) {
    static std::atomic<int> serial = 0;
    path_ = std::filesystem::temp_directory_path() /
            fmt::format("hark-intents-{}-{}.arpa", getpid(), serial++);
    std::ofstream out(path_);
    out << text;
    if (!out.flush()) throw DecoderError(fmt::format("cannot write {}", path_.string()));
  }
  ~TemporaryFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A sentence's last two words (its only one), which say whether it could be over: "what can
// you do" ends like "what can do", which the trigram model may hear, and "set a timer for" ends
// like no sentence.
std::string last_two(const std::vector<std::string>& words) {
  if (words.size() < 2) return words.empty() ? "" : words.back();
  return words[words.size() - 2] + " " + words.back();
}

}  // namespace

Transcript FallbackStt::transcribe(std::span<const std::int16_t> samples) {
  try {
    return first_->transcribe(samples);
  } catch (const SttError& e) {
    spdlog::warn("{}; transcribing with the fallback engine", e.what());
    return second_->transcribe(samples);
  }
}

PocketsphinxStt::PocketsphinxStt(PocketsphinxSttOptions options)
    : PocketsphinxStt(options, std::make_shared<SharedDecoder>(options.decoder)) {}

PocketsphinxStt::PocketsphinxStt(PocketsphinxSttOptions options,
                                 std::shared_ptr<SharedDecoder> decoder)
    : options_(std::move(options)), shared_(std::move(decoder)), decoder_(shared_->decoder) {
  std::lock_guard hold(shared_->mutex);
  if (options_.lm_fallback && !decoder_.has_general_language_model()) {
    throw DecoderError(fmt::format(
        "listener.lm_fallback: {} has no en-us.lm.bin (install pocketsphinx-en-us's full model, "
        "or turn lm_fallback off)",
        options_.decoder.model_dir.string()));
  }
  if (!options_.adaptation) return;
  try {
    adaptation_ = std::make_unique<SpeakerAdaptation>(options_.decoder.model_dir / "en-us");
  } catch (const DecoderError& e) {
    // Another model than pocketsphinx-en-us's: it is used as it is.
    spdlog::warn("listener.speaker_adaptation: off for this model ({})", e.what());
    return;
  }
  const auto& file = options_.adaptation->file;
  if (file.empty() || !std::filesystem::exists(file)) return;
  try {
    adaptation_->load(file);
    speaker_gaussians_ = adaptation_->adapted(options_.adaptation->prior_frames,
                                              options_.adaptation->map_prior_frames);
    speaker_adaptation_ = 1;
    spdlog::info("acoustic model adapted to {:.0f} s of speech heard before ({})",
                 static_cast<double>(adaptation_->frames()) / 100, file.string());
  } catch (const DecoderError& e) {
    // What was learnt is lost, not the listener: load() changed nothing, it learns again.
    spdlog::warn("{}; the model is adapted afresh", e.what());
  }
}

bool PocketsphinxStt::adapt(std::span<const std::int16_t> recording, const std::string& text) {
  if (!adaptation_ || text.empty()) return false;
  std::vector<std::string> phones;
  {
    std::lock_guard hold(shared_->mutex);
    phones = decoder_.phones_of(text);
  }
  if (phones.empty()) return false;
  std::lock_guard learning(adaptation_mutex_);
  bool learnt = adaptation_->add(recording, phones);
  // The model's Gaussians it read go back to the system.
  malloc_trim(0);
  if (!learnt) return false;
  auto gaussians = adaptation_->adapted(options_.adaptation->prior_frames,
                                        options_.adaptation->map_prior_frames);
  {
    // Given to the decoder by the next transcription (use_adapted_model).
    std::lock_guard hold(shared_->mutex);
    speaker_gaussians_ = std::move(gaussians);
    ++speaker_adaptation_;
  }
  adaptation_unsaved_ = true;
  if (std::chrono::steady_clock::now() - adaptation_saved_ >= std::chrono::minutes(1))
    write_adaptation();
  return true;
}

PocketsphinxStt::~PocketsphinxStt() {
  save_adaptation();
}

void PocketsphinxStt::save_adaptation() {
  std::lock_guard learning(adaptation_mutex_);
  if (adaptation_unsaved_) write_adaptation();
}

void PocketsphinxStt::write_adaptation() {
  adaptation_saved_ = std::chrono::steady_clock::now();
  adaptation_unsaved_ = false;
  if (options_.adaptation->file.empty()) return;
  try {
    std::filesystem::create_directories(options_.adaptation->file.parent_path());
    adaptation_->save(options_.adaptation->file);
  } catch (const std::exception& e) {
    spdlog::warn("speaker adaptation not kept: {}", e.what());
  }
}

std::unique_ptr<Decoder> PocketsphinxStt::make_phone_loop(
    const Decoder::Normalization& normalization) const {
  // The phone loop needs no words: the decoder's dictionary stays empty.
  auto phones = std::make_unique<Decoder>(DecoderOptions{.model_dir = options_.decoder.model_dir,
                                                         .arguments = options_.decoder.arguments});
  if (!speaker_gaussians_.installed()) phones->use_gaussians(speaker_gaussians_);
  phones->set_phone_loop(kPhones);
  phones->use(kPhones);
  phones->set_normalization(normalization);
  return phones;
}

void PocketsphinxStt::free_phone_loop() {
  if (!phone_loop_) return;
  phone_loop_.reset();
  // Its model's arrays, freed to the allocator, go back to the system (the top of malloc's heap
  // would otherwise keep them).
  malloc_trim(0);
}

Grammar PocketsphinxStt::set_intents(const IntentSamples& samples) {
  // Building the model takes most of a second here (seconds on a Raspberry Pi): only learning
  // the words and installing the model hold the decoder, which the wake word spotter and a
  // command being followed use meanwhile. One build at a time, so that the last call's model is
  // the one that stays.
  std::lock_guard building(build_mutex_);
  // The words the grammar could use are those it asks about when every word is taken for known;
  // the language model adds only words beyond its corpus. The decoder learns them, and whether
  // it knows each is asked once: the builders ask about no other word.
  std::set<std::string> candidates = words_beyond_the_corpus();
  make_grammar(samples, [&](const std::string& w) {
    candidates.insert(w);
    return true;
  });
  {
    std::lock_guard hold(shared_->mutex);
    decoder_.learn(candidates);
    std::erase_if(candidates, [&](const std::string& w) { return !decoder_.knows(w); });
  }
  auto known = [&](const std::string& w) { return candidates.contains(w); };
  Grammar grammar = make_grammar(samples, known);
  std::optional<TemporaryFile> language_model;
  if (!grammar.jsgf.empty() && options_.intent_language_model) {
    language_model.emplace(
        make_language_model(grammar.corpus, options_.language_model, known, grammar.corpus_intent));
  }
  std::unordered_set<std::string> sentence_ends;
  std::unordered_set<std::string> sentences;
  for (const auto& words : grammar.corpus) {
    sentence_ends.insert(last_two(words));
    sentences.insert(fmt::format("{}", fmt::join(words, " ")));
  }

  std::lock_guard hold(shared_->mutex);
  // pocketsphinx must not replace the search an utterance is using.
  decoder_.end();
  following_ = false;
  finished_.reset();
  if (language_model) {
    decoder_.set_language_model(kIntents, language_model->path());
  } else if (!grammar.jsgf.empty()) {
    decoder_.set_jsgf(kIntents, grammar.jsgf);
  }
  has_intents_ = !grammar.jsgf.empty();
  sentence_ends_ = std::move(sentence_ends);
  sentences_ = std::move(sentences);
  return grammar;
}

void PocketsphinxStt::end_command(std::span<const std::int16_t> recording,
                                  const Transcript& transcript) {
  if (transcript.heard_by_intents()) adapt(recording, transcript.text);
  std::lock_guard hold(shared_->mutex);
  use_adapted_model(false);
}

void PocketsphinxStt::use_adapted_model(bool adapted) {
  const auto wanted = adapted ? speaker_adaptation_ : 0;
  if (wanted == applied_adaptation_) return;
  // Both sides lvalues: the adapted Gaussians (1.7 MB) are not copied at each command.
  static const Gaussians kInstalled;
  decoder_.use_gaussians(adapted ? speaker_gaussians_ : kInstalled);
  applied_adaptation_ = wanted;
}

void PocketsphinxStt::begin_following() {
  std::lock_guard hold(shared_->mutex);
  use_adapted_model(true);
  following_ = has_intents_;
  followed_ = 0;
  phones_followed_ = 0;
  finished_.reset();
  if (!following_) return;
  decoder_.use(kIntents);
  decoder_.start();
  utterance_ = decoder_.utterance();
  if (options_.min_fit) {
    phone_loop_ = make_phone_loop(decoder_.normalization(AudioStream::commands));
    phone_loop_->start();
  }
}

void PocketsphinxStt::stop_following() {
  std::lock_guard hold(shared_->mutex);
  use_adapted_model(false);
  following_ = false;
  free_phone_loop();
}

bool PocketsphinxStt::still_following() const {
  return following_ && decoder_.in_utterance() && decoder_.utterance() == utterance_;
}

namespace {

// Feeds `decoder` the whole pieces of `recording` after `fed`, which it moves on.
void feed_whole_pieces(Decoder& decoder, std::span<const std::int16_t> recording,
                       std::size_t& fed) {
  auto whole_pieces = (recording.size() - fed) / Decoder::kPiece * Decoder::kPiece;
  decoder.process(recording.subspan(fed, whole_pieces));
  fed += whole_pieces;
}

}  // namespace

void PocketsphinxStt::follow(std::span<const std::int16_t> recording) {
  std::lock_guard hold(shared_->mutex);
  if (phone_loop_followed(recording.size()))
    feed_whole_pieces(*phone_loop_, recording, phones_followed_);
  if (still_following() && recording.size() >= followed_)
    feed_whole_pieces(decoder_, recording, followed_);
}

bool PocketsphinxStt::ends_as_a_sentence_ends(const std::string& said) const {
  std::istringstream text(said);
  std::vector<std::string> words{std::istream_iterator<std::string>(text), {}};
  return !words.empty() && sentence_ends_.contains(last_two(words));
}

bool PocketsphinxStt::heard_a_sentence_end() {
  std::lock_guard hold(shared_->mutex);
  return still_following() && ends_as_a_sentence_ends(decoder_.hypothesis());
}

bool PocketsphinxStt::finished_a_sentence(std::span<const std::int16_t> recording) {
  std::lock_guard hold(shared_->mutex);
  // Going on after a pause that ends no sentence decodes the recording again, on the audio
  // thread: a cost growing with the recording, paid only while it is as short as commands are.
  constexpr std::size_t kLongestDecodedAgain = 6 * kSampleRate;
  if (!still_following() || recording.size() < followed_ || followed_ > kLongestDecodedAgain)
    return false;
  auto hyp = decoder_.finish();
  if (ends_as_a_sentence_ends(hyp.text)) {
    finished_ = std::move(hyp);
    return true;
  }
  follow_again(recording);
  return false;
}

void PocketsphinxStt::go_on_following(std::span<const std::int16_t> recording) {
  std::lock_guard hold(shared_->mutex);
  if (!following_ || !finished_ || recording.size() < followed_) return;
  finished_.reset();
  follow_again(recording);
}

void PocketsphinxStt::follow_again(std::span<const std::int16_t> recording) {
  decoder_.start();
  utterance_ = decoder_.utterance();
  decoder_.process(recording.subspan(0, followed_));
}

bool PocketsphinxStt::phone_loop_followed(std::size_t samples) const {
  return phone_loop_ && phone_loop_->in_utterance() && phones_followed_ <= samples;
}

double PocketsphinxStt::phone_loop_score(std::span<const std::int16_t> samples,
                                         const Decoder::Normalization& normalization) {
  if (!phone_loop_followed(samples.size())) {
    phone_loop_ = make_phone_loop(normalization);
    return phone_loop_->decode(samples).score_per_frame;
  }
  phone_loop_->process(samples.subspan(phones_followed_));
  return phone_loop_->finish().score_per_frame;
}

Transcript PocketsphinxStt::transcribe(std::span<const std::int16_t> samples) {
  std::lock_guard hold(shared_->mutex);
  use_adapted_model(true);
  bool followed = still_following() && followed_ <= samples.size();
  auto finished = std::exchange(finished_, std::nullopt);
  following_ = false;
  // Where the commands' normalization is before the intents' model decodes, which moves it on:
  // a phone loop that did not follow the recording starts from there.
  const auto normalization = decoder_.normalization(AudioStream::commands);
  if (has_intents_) {
    Hypothesis hyp;
    if (finished) {
      hyp = std::move(*finished);
    } else if (followed) {
      decoder_.process(samples.subspan(followed_));
      hyp = decoder_.finish();
    } else {
      decoder_.use(kIntents);
      hyp = decoder_.decode(samples);
    }
    // One of the intents' sentences word for word, which the trigram model (unlike the exact
    // grammar, which hears nothing else) heard among all it could: kept without the phone loop's
    // second decoding, which the speaker would wait for.
    bool sentence = options_.intent_language_model && sentences_.contains(hyp.text);
    double fit = 0;
    if (options_.min_fit && !sentence)
      fit = hyp.score_per_frame - phone_loop_score(samples, normalization);
    free_phone_loop();
    bool fits = !options_.min_fit || sentence || fit >= *options_.min_fit;
    bool good = !hyp.text.empty() && hyp.score_per_frame >= options_.min_grammar_score && fits;
    if (good || !options_.lm_fallback) {
      Transcript t{.search = kIntents, .score_per_frame = hyp.score_per_frame, .fit = fit};
      (fits ? t.text : t.dropped) = hyp.text;
      return t;
    }
  }
  free_phone_loop();
  if (!has_language_model_) {
    if (!decoder_.has_general_language_model()) return {.search = kNoModel};
    // Loaded when first needed: 65 MB and about a second, which most commands, matched by the
    // grammar, never need.
    decoder_.set_language_model(kLanguageModel);
    has_language_model_ = true;
  }
  decoder_.use(kLanguageModel);
  auto hyp = decoder_.decode(samples);
  return {.text = hyp.text, .search = kLanguageModel, .score_per_frame = hyp.score_per_frame};
}

}  // namespace hark::listener
