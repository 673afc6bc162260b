#include "listener/decoder.h"

#include <fmt/format.h>
#include <pocketsphinx.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <type_traits>

#include "listener/words.h"

namespace hark::listener {
namespace {

constexpr const char* kGeneralLanguageModel = "en-us.lm.bin";
constexpr const char* kDictionary = "cmudict-en-us.dict";

// Pruning::wide's beams (decoder.h): a path is kept until it scores this far below the best.
constexpr double kWideBeam = 1e-70;
// How much further than its end a keyword's path may fall mid-word below the best: a keyword
// search keeps its paths to this below its lowest threshold (the beam at 1e-80 spotted as many
// of awb's wake words at 1e-62 as at 1e-300, bench/README.md).
constexpr double kKeywordDip = 1e-40;
// The widest beam taken: a double holds it with room to spare (pocketsphinx takes its log).
constexpr double kWidestBeam = 1e-300;

// Calls `visit` with each line of `file` (a CMU dictionary), its word (the pronunciation's number
// "(2)" left out) and its phones, in the file's order.
void for_each_entry(const std::filesystem::path& file,
                    const std::function<void(const std::string& line, std::string_view word,
                                             std::string_view phones)>& visit) {
  std::ifstream in(file);
  if (!in) throw DecoderError(fmt::format("listener.model_dir: cannot read {}", file.string()));
  for (std::string line; std::getline(in, line);) {
    std::string_view entry(line);
    auto space = entry.find(' ');
    if (space == std::string_view::npos) continue;
    auto word = entry.substr(0, std::min(space, entry.find('(')));
    auto phones = entry.substr(entry.find_first_not_of(' ', space));
    if (!word.empty()) visit(line, word, phones);
  }
}

// The lines of `file` whose word `wanted` says yes to, in the file's order (a word before its
// other pronunciations, as pocketsphinx needs them).
std::string dictionary_lines(const std::filesystem::path& file,
                             const std::function<bool(std::string_view)>& wanted) {
  std::string lines;
  for_each_entry(file, [&](const std::string& line, std::string_view word, std::string_view) {
    if (wanted(word)) {
      lines += line;
      lines += '\n';
    }
  });
  return lines;
}

// pocketsphinx reads dictionaries and key phrase lists from files only: `text` becomes a file in
// memory, gone once `read` has read it. Returns what `read` returns.
bool read_as_file(std::string_view text, const char* name,
                  const std::function<bool(const char* path)>& read) {
  int fd = memfd_create(name, MFD_CLOEXEC);
  if (fd < 0) throw DecoderError(fmt::format("cannot create {}: {}", name, std::strerror(errno)));
  while (!text.empty()) {
    auto written = write(fd, text.data(), text.size());
    if (written <= 0) break;
    text.remove_prefix(static_cast<std::size_t>(written));
  }
  bool result = text.empty() && read(fmt::format("/proc/self/fd/{}", fd).c_str());
  close(fd);
  return result;
}

}  // namespace

Decoder::Decoder(const DecoderOptions& options) : model_dir_(options.model_dir) {
  const auto& dir = options.model_dir;
  for (auto part : {"en-us", kDictionary, "en-us-phone.lm.bin"}) {
    if (!std::filesystem::exists(dir / part)) {
      throw DecoderError(fmt::format(
          "listener.model_dir: {} has no {} (install pocketsphinx-en-us)", dir.string(), part));
    }
  }
  // argv[0] is the program name to cmd_ln_parse_r. No "-lm": a decoder loads the language
  // model only when it asks for it (set_language_model). No "-dict": the dictionary starts with
  // the fillers of the acoustic model (silence, noises) only.
  std::vector<std::string> args{"hark", "-hmm", (dir / "en-us").string(), "-logfn", "/dev/null",
                                // The model's feat.params asks for batch mean normalization,
                                // which needs the whole utterance; audio arrives in pieces.
                                "-cmn", "live",
                                // pocketsphinx's voice activity detection leaves the frames it
                                // takes for silence out of the search, and counts the frames of
                                // detections from where it last heard speech start plus the
                                // frames searched since start(): after a pause within an
                                // utterance they were far from where the audio is, and so were
                                // the command's start and the templates' window. Every decoder
                                // may be the spotter's (SharedDecoder).
                                "-remove_silence", "no"};
  args.insert(args.end(), options.arguments.begin(), options.arguments.end());
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  cmd_ln_t* config =
      cmd_ln_parse_r(nullptr, ps_args(), static_cast<int32>(argv.size()), argv.data(), TRUE);
  if (!config) throw DecoderError("pocketsphinx refused its options");
  ps_ = ps_init(config);
  cmd_ln_free_r(config);
  if (!ps_)
    throw DecoderError(fmt::format("pocketsphinx cannot load the model in {}", dir.string()));
  other_stream_ = normalization();
  for (const auto& [word, phones] : options.extra_words) {
    // No search yet, none to update.
    if (ps_add_word(ps_, word.c_str(), phones.c_str(), FALSE) < 0) {
      ps_free(ps_);
      throw DecoderError(fmt::format(
          "listener.extra_words.{}: '{}' is not a sequence of CMU phones (e.g. M AY K R AO F T)",
          word, phones));
    }
    extra_lines_ += fmt::format("{} {}\n", word, phones);
    extra_words_.insert(word);
  }
}

Decoder::~Decoder() {
  ps_free(ps_);
}

bool Decoder::knows(const std::string& word) const {
  return !phones(word).empty();
}

std::string Decoder::phones(const std::string& word) const {
  char* phones = ps_lookup_word(ps_, word.c_str());
  std::string found = phones ? phones : "";
  ckd_free(phones);
  return found;
}

std::vector<std::string> Decoder::phones_of(const std::string& text) const {
  auto words = split_words(text);
  std::map<std::string, std::string, std::less<>> found;
  std::set<std::string, std::less<>> missing;
  for (const auto& word : words) {
    if (auto said = phones(word); !said.empty()) {
      found[word] = std::move(said);
    } else {
      missing.insert(word);
    }
  }
  if (!missing.empty()) {
    for_each_entry(model_dir_ / kDictionary,
                   [&](const std::string&, std::string_view word, std::string_view phones) {
                     // A word's first line is its first pronunciation.
                     if (auto it = missing.find(word); it != missing.end()) {
                       found.emplace(*it, phones);
                       missing.erase(it);
                     }
                   });
  }
  if (!missing.empty()) return {};
  std::vector<std::string> sequence;
  for (const auto& word : words)
    for (auto& phone : split_words(found[word])) sequence.push_back(std::move(phone));
  return sequence;
}

std::set<std::string> Decoder::dictionary_words(
    const std::function<bool(std::string_view phones)>& like) const {
  std::set<std::string> found;
  for_each_entry(model_dir_ / kDictionary,
                 [&](const std::string&, std::string_view word, std::string_view phones) {
                   if (like(phones)) found.emplace(word);
                 });
  return found;
}

void Decoder::learn(const std::set<std::string>& words) {
  if (complete_) return;
  std::set<std::string, std::less<>> missing;
  for (const auto& word : words) {
    if (!knows(word)) missing.insert(word);
  }
  if (missing.empty()) return;
  auto found = dictionary_lines(model_dir_ / kDictionary,
                                [&](std::string_view word) { return missing.contains(word); });
  if (found.empty()) return;
  load_dictionary(extra_lines_ + learnt_lines_ + found);
  learnt_lines_ += found;
}

void Decoder::load_dictionary(const std::string& text) {
  end();
  bool loaded = read_as_file(text, "hark-dictionary", [&](const char* path) {
    return ps_load_dict(ps_, path, nullptr, nullptr) >= 0;
  });
  if (!loaded) throw DecoderError("pocketsphinx refused the dictionary it was given");
}

template <typename Add>
bool Decoder::add_search(double beam, Add add) {
  if (beam == 0) return add();
  // A search takes its beams from the decoder's options when it is made, and keeps them when
  // the dictionary changes (pocketsphinx's *_search_reinit): set them for this one only.
  cmd_ln_t* config = ps_get_config(ps_);
  constexpr std::array kBeams{"-beam", "-pbeam", "-wbeam"};
  std::array<double, kBeams.size()> standard{};
  for (std::size_t i = 0; i < kBeams.size(); ++i) {
    standard[i] = cmd_ln_float_r(config, kBeams[i]);
    cmd_ln_set_float_r(config, kBeams[i], beam);
  }
  bool added = add();
  for (std::size_t i = 0; i < kBeams.size(); ++i)
    cmd_ln_set_float_r(config, kBeams[i], standard[i]);
  return added;
}

void Decoder::set_jsgf(const std::string& name, const std::string& jsgf, Pruning pruning) {
  if (!add_search(pruning == Pruning::wide ? kWideBeam : 0,
                  [&] { return ps_set_jsgf_string(ps_, name.c_str(), jsgf.c_str()) >= 0; })) {
    throw DecoderError(fmt::format("pocketsphinx refused the JSGF grammar '{}'", name));
  }
}

void Decoder::set_keyphrases(const std::string& name, std::span<const Keyphrase> keyphrases,
                             Pruning pruning) {
  // pocketsphinx takes a threshold per phrase only from a file ("phrase /threshold/" lines).
  std::string list;
  double beam = kWideBeam;
  for (const auto& [phrase, threshold] : keyphrases) {
    list += fmt::format("{} /{:g}/\n", phrase, threshold);
    beam = std::min(beam, threshold * kKeywordDip);
  }
  beam = pruning == Pruning::standard ? 0 : std::max(beam, kWidestBeam);
  bool set = read_as_file(list, "hark-keyphrases", [&](const char* path) {
    return add_search(beam, [&] { return ps_set_kws(ps_, name.c_str(), path) >= 0; });
  });
  if (!set) throw DecoderError(fmt::format("pocketsphinx refused the key phrases of '{}'", name));
}

bool Decoder::has_general_language_model() const {
  return std::filesystem::exists(model_dir_ / kGeneralLanguageModel);
}

void Decoder::set_language_model(const std::string& name) {
  if (!complete_) {
    // listener.extra_words' pronunciations stay the ones used.
    load_dictionary(extra_lines_ +
                    dictionary_lines(model_dir_ / kDictionary, [&](std::string_view word) {
                      return !extra_words_.contains(word);
                    }));
    complete_ = true;
    learnt_lines_.clear();
  }
  set_language_model(name, model_dir_ / kGeneralLanguageModel);
}

void Decoder::set_phone_loop(const std::string& name) {
  auto file = model_dir_ / "en-us-phone.lm.bin";
  // Context-independent phones only: the loop of every triphone took 5-20 s for a 2 s command
  // on this machine, this one 0.1-0.3 s (bench/README.md). The search reads the option when it
  // is made, and no other search reads it.
  cmd_ln_t* config = ps_get_config(ps_);
  cmd_ln_set_int_r(config, "-allphone_ci", TRUE);
  bool set = ps_set_allphone_file(ps_, name.c_str(), file.c_str()) >= 0;
  cmd_ln_set_int_r(config, "-allphone_ci", FALSE);
  if (!set) {
    throw DecoderError(fmt::format("pocketsphinx cannot load {}", file.string()));
  }
}

void Decoder::set_language_model(const std::string& name, const std::filesystem::path& file) {
  if (ps_set_lm_file(ps_, name.c_str(), file.c_str()) < 0) {
    throw DecoderError(fmt::format("pocketsphinx cannot load {}", file.string()));
  }
}

void Decoder::use(const std::string& name) {
  if (in_utterance_) end();
  if (ps_set_search(ps_, name.c_str()) < 0) {
    throw DecoderError(fmt::format("pocketsphinx has no search '{}'", name));
  }
}

Hypothesis Decoder::decode(std::span<const std::int16_t> samples, AudioStream stream) {
  start(stream);
  process(samples);
  return finish();
}

Hypothesis Decoder::finish() {
  end();
  int32 score = 0;
  const char* hyp = ps_get_hyp(ps_, &score);
  int frames = ps_get_n_frames(ps_);
  return {.text = hyp ? hyp : "",
          .score_per_frame = frames > 0 ? static_cast<double>(score) / frames : 0.0};
}

void Decoder::start(AudioStream stream) {
  if (in_utterance_) end();
  if (stream != stream_) {
    auto previous = normalization();
    set_normalization(other_stream_);
    other_stream_ = std::move(previous);
    stream_ = stream;
  }
  // A new stream each time: pocketsphinx counts the frames of segments (detections) from the
  // stream's start, so that within one they went on from the previous utterances'.
  ps_start_stream(ps_);
  ps_start_utt(ps_);
  in_utterance_ = true;
  ++utterances_;
}

void Decoder::process(std::span<const std::int16_t> samples) {
  for (std::size_t at = 0; at < samples.size(); at += kPiece) {
    auto piece = samples.subspan(at, std::min(kPiece, samples.size() - at));
    // The spotter hears the room far more than speech: a quiet minute would make the live
    // mean the room's, and a wake word after it was not heard (en-us+m3 after 20 s of a quiet
    // room: 0 of 8). Quiet pieces are decoded with the mean as it stands and leave it so.
    const bool quiet = stream_ == AudioStream::wake_word && room_.quiet(piece);
    Normalization kept;
    if (quiet) kept = normalization();
    ps_process_raw(ps_, piece.data(), piece.size(), FALSE, FALSE);
    if (quiet) set_normalization(kept);
  }
}

bool Decoder::RoomLevel::quiet(std::span<const std::int16_t> piece) {
  double sum = 0;
  for (auto sample : piece) sum += static_cast<double>(sample) * sample;
  const double rms = piece.empty() ? 0 : std::sqrt(sum / static_cast<double>(piece.size()));
  // The quietest piece lately, rising slowly (doubling in about 30 s of 64 ms pieces) so that a
  // room that got louder is followed; 12 dB above it is speech. Digital silence (a muted source,
  // a synthesizer's padding) says nothing of the room.
  if (rms >= 1) floor = floor < 0 || rms < floor ? rms : floor * 1.0015;
  const bool sounds_like_the_room = rms < 1 || rms <= 4 * floor;
  quiet_samples = sounds_like_the_room ? quiet_samples + piece.size() : 0;
  // The model's means were taken over utterances with a little silence around the speech: the
  // first second of a pause counts, as it always did.
  return quiet_samples > 100 * kFrameSamples;
}

std::string Decoder::hypothesis() {
  const char* hyp = ps_get_hyp(ps_, nullptr);
  return hyp ? hyp : "";
}

std::vector<Detection> Decoder::detections() {
  std::vector<Detection> found;
  for (ps_seg_t* seg = ps_seg_iter(ps_); seg; seg = ps_seg_next(seg)) {
    // A phrase read from a list keeps the blank before its "/threshold/".
    std::string phrase = ps_seg_word(seg);
    phrase.erase(phrase.find_last_not_of(' ') + 1);
    Detection detection{.phrase = std::move(phrase)};
    ps_seg_frames(seg, &detection.start_frame, &detection.end_frame);
    found.push_back(std::move(detection));
  }
  return found;
}

std::vector<std::vector<float>> Decoder::cepstra(std::span<const std::int16_t> samples) {
  if (in_utterance_) end();
  fe_t* fe = ps_get_fe(ps_);
  auto size = static_cast<std::size_t>(fe_get_output_size(fe));
  std::vector<std::vector<float>> frames;
  fe_start_utt(fe);
  mfcc_t** block = nullptr;
  int32 count = 0;
  if (fe_process_utt(fe, samples.data(), samples.size(), &block, &count) >= 0 && count > 0) {
    fe_mfcc_to_float(fe, block, reinterpret_cast<float32**>(block), count);
    const auto* values = reinterpret_cast<const float32*>(block[0]);
    for (int32 f = 0; f < count; ++f) {
      frames.emplace_back(values + static_cast<std::size_t>(f) * size,
                          values + static_cast<std::size_t>(f + 1) * size);
    }
  }
  if (block) fe_free_2d(block);
  std::vector<mfcc_t> last(size);
  int32 last_count = 0;
  fe_end_utt(fe, last.data(), &last_count);
  return frames;
}

void Decoder::use_gaussians(const Gaussians& gaussians) {
  // pocketsphinx reads the Gaussians again only for a transform (ps_update_mllr reads the files
  // its options name, then transforms what it read): the transform that changes nothing, with
  // the speaker's Gaussians named for the time it takes.
  static const std::string identity = [] {
    std::string text = "1\n3\n";
    for (int stream = 0; stream < 3; ++stream) {
      text += "13\n";
      for (int row = 0; row < 13; ++row) {
        for (int column = 0; column < 13; ++column) text += row == column ? "1 " : "0 ";
        text += "\n";
      }
      text += "0 0 0 0 0 0 0 0 0 0 0 0 0\n1 1 1 1 1 1 1 1 1 1 1 1 1\n";
    }
    return text;
  }();
  auto update = [&] {
    ps_mllr_t* transform = nullptr;
    read_as_file(identity, "hark-no-transform", [&](const char* path) {
      transform = ps_mllr_read(path);
      return transform != nullptr;
    });
    // The decoder keeps the transform.
    if (!transform || !ps_update_mllr(ps_, transform))
      throw DecoderError("speaker adaptation: pocketsphinx refused the adapted model");
    return true;
  };
  if (gaussians.installed()) {
    update();
    return;
  }
  cmd_ln_t* config = ps_get_config(ps_);
  const char* means = cmd_ln_str_r(config, "_mean");
  const char* variances = cmd_ln_str_r(config, "_var");
  if (!means || !variances) throw DecoderError("the acoustic model names no means or variances");
  // Named for this update only: the spotter's turn reads the model's own files again.
  struct Named {
    cmd_ln_t* config;
    std::string means, variances;
    ~Named() {
      cmd_ln_set_str_extra_r(config, "_mean", means.c_str());
      cmd_ln_set_str_extra_r(config, "_var", variances.c_str());
    }
  } installed{config, means, variances};
  read_as_file(gaussians.means, "hark-speaker-means", [&](const char* means_path) {
    return read_as_file(gaussians.variances, "hark-speaker-variances", [&](const char* var_path) {
      cmd_ln_set_str_extra_r(config, "_mean", means_path);
      cmd_ln_set_str_extra_r(config, "_var", var_path);
      return update();
    });
  });
}

Decoder::Normalization Decoder::normalization() const {
  static_assert(std::is_same_v<mfcc_t, float>, "pocketsphinx built with fixed-point features");
  const cmn_t* cmn = ps_get_feat(ps_)->cmn_struct;
  auto length = static_cast<std::size_t>(cmn->veclen);
  return {.mean = {cmn->cmn_mean, cmn->cmn_mean + length},
          .sum = {cmn->sum, cmn->sum + length},
          .frames = cmn->nframe};
}

Decoder::Normalization Decoder::Normalization::of_mean(std::vector<float> mean) {
  Normalization state{.mean = std::move(mean), .sum = {}, .frames = CMN_WIN};
  for (float value : state.mean) state.sum.push_back(value * CMN_WIN);
  return state;
}

std::vector<float> Decoder::Normalization::estimate() const {
  if (frames <= 0) return mean;
  std::vector<float> estimated;
  for (float total : sum) estimated.push_back(total / static_cast<float>(frames));
  return estimated;
}

void Decoder::set_normalization(AudioStream stream, const Normalization& state) {
  const auto length = static_cast<std::size_t>(ps_get_feat(ps_)->cmn_struct->veclen);
  if (state.mean.size() != length || state.sum.size() != length) {
    throw DecoderError(
        fmt::format("a cepstral mean of {} values, not the model's {}", state.mean.size(), length));
  }
  if (stream == stream_) {
    set_normalization(state);
  } else {
    other_stream_ = state;
  }
}

void Decoder::set_normalization(const Normalization& state) {
  cmn_t* cmn = ps_get_feat(ps_)->cmn_struct;
  std::copy(state.mean.begin(), state.mean.end(), cmn->cmn_mean);
  std::copy(state.sum.begin(), state.sum.end(), cmn->sum);
  cmn->nframe = state.frames;
}

void Decoder::end() {
  if (!in_utterance_) return;
  ps_end_utt(ps_);
  in_utterance_ = false;
}

}  // namespace hark::listener
