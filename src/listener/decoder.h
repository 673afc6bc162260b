// A pocketsphinx (5prealpha) decoder with the en-us model. The wake word spotter and the
// speech-to-text engine take turns with one (SharedDecoder), so the acoustic model is in memory
// once: each search is set once, and each user makes its own the current one and starts its own
// utterance when it finds the decoder in another's.
//
// Its dictionary holds only the words its searches need: all of cmudict-en-us.dict (135,000
// words) would cost 23 MB per decoder, against 5 MB for the acoustic model. Words are looked up
// in the file when a search needs them (learn), and the whole of it is loaded only for the
// general language model, whose vocabulary it is.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

struct ps_decoder_s;

namespace hark::listener {

// "what: why", naming the mycroft.conf key to fix when one is to blame.
class DecoderError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct DecoderOptions {
  // Holds en-us/ (acoustic model), cmudict-en-us.dict, en-us-phone.lm.bin and, optionally (an
  // image may leave its 27 MB out), en-us.lm.bin (pocketsphinx-en-us).
  std::filesystem::path model_dir = "/usr/share/pocketsphinx/model/en-us";
  // Words the dictionary lacks, with their CMU phones: {"mycroft": "M AY K R AO F T"}.
  std::map<std::string, std::string> extra_words{};
  // More pocketsphinx options, e.g. {"-kws_threshold", "1e-50"}.
  std::vector<std::string> arguments{};
};

// An acoustic model's Gaussians as sphinx3 parameter files, the bytes of what pocketsphinx's
// -mean and -var name: a speaker's (SpeakerAdaptation::adapted), or, empty, the model's own.
struct Gaussians {
  std::string means{}, variances{};
  bool installed() const { return means.empty(); }
};

// A phrase for the keyword search, spotted when it scores at least `threshold` (pocketsphinx's
// kws_threshold) against a free loop of phones.
struct Keyphrase {
  std::string phrase;
  double threshold = 1e-50;
};

// How hard a search prunes its paths. Wide keeps the keyword's path to the end of the word on
// voices the model fits poorly (35 of 60 wake words spotted at 1e-50 with the standard beams
// instead of 52, bench/README.md), at more work per frame than speech to text should pay. A
// keyword search's wide beam also lies well below its lowest threshold: mid-word, a keyword's
// path falls further below the best one than its end does (awb's wake words: 18 of 36 spotted
// at 1e-62 with the beam at 1e-70, 29 with it at 1e-80 or lower).
enum class Pruning { standard, wide };

// Whose audio an utterance is. pocketsphinx's live cepstral mean normalization adapts to the
// audio it is given, and the two users of a shared decoder give it different audio: the
// spotter's stream is mostly silence, the speech to text's recordings are commands. Each keeps
// its own estimate, as with a decoder each ("what time is it" came out as "what are is it" with
// one estimate for both).
enum class AudioStream { commands, wake_word };

// Where the keyword search heard a phrase, in 10 ms frames since start(), with pocketsphinx's
// voice activity detection off (as every Decoder has it): with it on, the frames it takes for
// silence are not searched, and the count was off after a pause.
struct Detection {
  std::string phrase;
  int start_frame = 0;
  int end_frame = 0;
};

struct Hypothesis {
  std::string text;  // empty: nothing recognized
  // Path score per 10 ms frame (log scale, higher is better); only comparable between searches
  // of the same kind.
  double score_per_frame = 0;
};

class Decoder {
 public:
  explicit Decoder(const DecoderOptions& options);  // throws DecoderError
  ~Decoder();
  Decoder(const Decoder&) = delete;
  Decoder& operator=(const Decoder&) = delete;

  // Whether the decoder's dictionary has `word`: listener.extra_words and the words learnt (all
  // of cmudict-en-us.dict's once the general language model is loaded).
  bool knows(const std::string& word) const;
  // The phones of `word` in the dictionary ("M AY K R AO F T"); empty when it lacks the word.
  std::string phones(const std::string& word) const;
  // The phones of `text`'s words in turn (each word's first pronunciation), from the dictionary,
  // else from cmudict-en-us.dict (read once for all those it lacks); empty when a word is in
  // neither.
  std::vector<std::string> phones_of(const std::string& text) const;
  // The words of cmudict-en-us.dict one of whose pronunciations `like` says yes to, whether
  // learnt or not.
  std::set<std::string> dictionary_words(
      const std::function<bool(std::string_view phones)>& like) const;
  // Adds those of `words` that cmudict-en-us.dict has (with their other pronunciations) to the
  // dictionary, for the searches set after; the others stay unknown. Ends an utterance in
  // progress, and re-initializes every search with the larger dictionary.
  void learn(const std::set<std::string>& words);
  // Adds (replaces) searches; throw DecoderError when pocketsphinx refuses them.
  void set_jsgf(const std::string& name, const std::string& jsgf,
                Pruning pruning = Pruning::standard);
  void set_keyphrases(const std::string& name, std::span<const Keyphrase> keyphrases,
                      Pruning pruning = Pruning::standard);
  // The model's general language model, en-us.lm.bin, if the model folder has it.
  bool has_general_language_model() const;
  // Loads the whole dictionary first: the general model may say any of its words.
  void set_language_model(const std::string& name);
  // A free loop of the model's phones with its phone bigrams (en-us-phone.lm.bin): the best any
  // words could score, to judge other searches' results by.
  void set_phone_loop(const std::string& name);
  // A language model of one's own (ARPA text or binary).
  void set_language_model(const std::string& name, const std::filesystem::path& file);
  void use(const std::string& name);

  // Whole-utterance decoding, fed in kPiece pieces (machine-notes 3: one big piece decodes
  // worse).
  Hypothesis decode(std::span<const std::int16_t> samples,
                    AudioStream stream = AudioStream::commands);
  static constexpr std::size_t kPiece = 1024;
  // Samples in one 10 ms feature frame at 16 kHz: the unit of detections() and cepstra().
  static constexpr std::size_t kFrameSamples = 160;

  // Streaming: start(), then process() as audio arrives; hypothesis() is the best so far, and
  // finish() ends the utterance with its result.
  void start(AudioStream stream = AudioStream::commands);
  void process(std::span<const std::int16_t> samples);
  std::string hypothesis();
  Hypothesis finish();
  // What the keyword search spotted so far in this utterance, in no particular order.
  std::vector<Detection> detections();
  void end();
  bool in_utterance() const { return in_utterance_; }
  // Counts the utterances started: a user of a shared decoder knows its own utterance by it.
  std::uint64_t utterance() const { return utterances_; }

  // The model's MFCC features of `samples`, one vector per 10 ms frame (ends an utterance in
  // progress).
  std::vector<std::vector<float>> cepstra(std::span<const std::int16_t> samples);

  // The live normalization's state (its mean, and the sums it updates the mean from): another
  // decoder given a stream's (set_normalization sets the current stream's) starts where this one
  // is in it.
  struct Normalization {
    std::vector<float> mean, sum;
    int frames = 0;
    // A stream of which only the mean is known (a saved one), weighed as pocketsphinx weighs
    // its -cmninit: as the mean of its last 500 frames.
    static Normalization of_mean(std::vector<float> mean);
    // The mean of the frames summed: what pocketsphinx makes the mean at its next update (every
    // 300 frames), and what is worth keeping of the stream.
    std::vector<float> estimate() const;
  };
  Normalization normalization(AudioStream stream) const {
    return stream == stream_ ? normalization() : other_stream_;
  }
  void set_normalization(const Normalization& state);
  // Sets `stream`'s state (the model's feature length: 13 values), now or for its next turn;
  // throws DecoderError for another length.
  void set_normalization(AudioStream stream, const Normalization& state);

  // Scores with `gaussians` from now on, the model's own when they are empty; throws
  // DecoderError when pocketsphinx refuses them.
  void use_gaussians(const Gaussians& gaussians);

 private:
  Normalization normalization() const;
  // Makes `text` (lines "word PHONES", a word's other pronunciations "word(2) PHONES") the
  // dictionary.
  void load_dictionary(const std::string& text);
  // Adds a search with `add`, with `beam` as its -beam, -pbeam and -wbeam (0: the decoder's).
  template <typename Add>
  bool add_search(double beam, Add add);

  std::filesystem::path model_dir_;
  ps_decoder_s* ps_ = nullptr;
  bool in_utterance_ = false;
  std::uint64_t utterances_ = 0;
  // The stream the normalization is adapted to now, and the other's state, kept for its turn.
  AudioStream stream_ = AudioStream::commands;
  Normalization other_stream_;
  // How loud the room is when nobody speaks, from the audio process() is given.
  struct RoomLevel {
    double floor = -1;              // RMS; below 0: nothing heard yet
    std::size_t quiet_samples = 0;  // since the last sound above the room's
    // Whether `piece` comes more than a second into a stretch as quiet as the room (and
    // follows the room's level).
    bool quiet(std::span<const std::int16_t> piece);
  };
  RoomLevel room_;
  // The dictionary's lines ("word PHONES"): listener.extra_words', then the words learnt.
  std::string extra_lines_;
  std::string learnt_lines_;
  std::set<std::string, std::less<>> extra_words_;
  // All of cmudict-en-us.dict is in the dictionary.
  bool complete_ = false;
};

// One decoder for the wake word spotter and the speech to text, which take turns with it (the
// spotter listens until the wake word; the command is decoded after it): the acoustic model's
// 5 MB, and its 3 MB mdef mapped, once instead of twice. Each user holds `mutex` for all it does
// with `decoder` (the intents change on the bus thread while the audio thread listens).
struct SharedDecoder {
  explicit SharedDecoder(const DecoderOptions& options) : decoder(options) {}
  std::mutex mutex;
  Decoder decoder;
};

}  // namespace hark::listener
