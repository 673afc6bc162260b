// voice_bench: the listener's engines on generated and recorded speech.
//
//   build/bench/voice_bench [--threshold 1e-50 --threshold 1e-60] [--wake-only]
//
// Speech is synthesized at run time by espeak-ng (6 voices) and flite (4 voices), resampled to
// 16 kHz as the listener hears it (add noise with --snr). For each voice:
// - wake: "hey mycroft" + a pause + a command, fed to the spotter: detected or not, the first
//   time and when said again; each time the wake word is said faster or slower and higher or
//   lower (sox; --same-prosody: as synthesized, the same audio every time);
// - false wakes: near misses ("hey microsoft", "my craft", ...), commands, and read prose (the
//   GPL-3 and Apache-2.0 texts Debian ships, spread over the voices; --other-words) as one
//   stream per voice, plus the read speech of pocketsphinx-testdata when it is installed;
//   reported per hour of that audio, and apart: how many near misses woke it, and the false
//   wakes per hour of the rest (ordinary speech);
// - the wake word's second stage uses recordings of "hey mycroft" by voices the test never uses
//   (espeak-ng variants and flite's kal), or the WAV files of --templates DIR;
// - speech to text: each command alone (what the listener records after the wake word): the
//   intents' own sentences, paraphrases found in no .intent file, and out-of-domain requests that
//   must reach no intent (--held-out: a second set of both, which no setting was tuned on). Exact
//   sentences and word error rate (of the first two sets), right intent (the template engine, as
//   the core matches, confidence >= 0.5, conf_low), real-time factor (decode time / audio time),
//   and right intent at other cuts of listener.min_fit (the fit check);
// - recorded read speech of people (pocketsphinx-testdata's transcribed sentences): the fits of
//   speech the intents' model expects and of speech it does not.
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <numeric>
#include <random>
#include <set>
#include <span>
#include <sstream>
#include <stdexcept>

#include "audio/tts_engine.h"
#include "config/config.h"
#include "intent/template_engine.h"
#include "listener/audio_source.h"
#include "listener/enrollment.h"
#include "listener/settings.h"
#include "listener/speaker_adaptation.h"
#include "listener/stt.h"
#include "listener/test_speech.h"
#include "listener/wake_word.h"
#include "listener/words.h"
#include "pipeline/stop_matcher.h"
#include "shipped_answer.h"
#include "skills/template.h"

namespace {

namespace fs = std::filesystem;
using hark::listener::enrollment_sentences;
using hark::listener::kSampleRate;
using hark::listener::testing::said_another_time;
using Samples = std::vector<std::int16_t>;

struct Voice {
  std::string engine;
  std::string name;
};
const Voice kVoices[] = {{"espeak-ng", "en-us"},
                         {"espeak-ng", "en-us+f3"},
                         {"espeak-ng", "en-us+m3"},
                         {"espeak-ng", "en+f2"},
                         {"espeak-ng", "en-gb-x-rp"},
                         {"espeak-ng", "en-029"},
                         {"flite", "slt"},
                         {"flite", "rms"},
                         {"flite", "awb"},
                         {"flite", "kal16"}};
// Who says the wake word's templates: no voice above. flite has no other full voice than kal.
const Voice kTemplateVoices[] = {
    {"espeak-ng", "en-us+m1"},          {"espeak-ng", "en-us+f1"},       {"espeak-ng", "en+m4"},
    {"espeak-ng", "en-gb-scotland+f4"}, {"espeak-ng", "en-gb-x-gbclan"}, {"flite", "kal"}};

const char* kNotWake[] = {"hey microsoft",
                          "my craft",
                          "hey my car is outside",
                          "microphone check one two",
                          "my crops are growing",
                          "hey mike how are you",
                          "the witchcraft museum is open",
                          "I bought my kraft dinner",
                          "hey microwave the soup",
                          "mike croft is my neighbour",
                          "what time is it",
                          "set a timer for five minutes",
                          "the weather is nice today",
                          "please turn the lights off",
                          "my computer crashed again",
                          "I like microwave popcorn"};

struct Command {
  std::string text;
  std::string intent;  // empty: must reach no intent
};

// What people say that no .intent file holds (checked at start), with the intent it means.
const Command kParaphrases[] = {
    {"what is the time right now", "date-time.hark:time.intent"},
    {"tell me the time please", "date-time.hark:time.intent"},
    {"do you know what time it is", "date-time.hark:time.intent"},
    {"tell me the date please", "date-time.hark:date.intent"},
    {"what day is it today", "date-time.hark:weekday.intent"},
    {"hello there my friend", "hello.hark:hello.intent"},
    {"how are you doing this evening", "hello.hark:how_are_you.intent"},
    {"tell me who you are", "hello.hark:who_are_you.intent"},
    {"what are you able to do", "help.hark:help.intent"},
    {"stop that please", "stop.hark:stop.intent"},
    {"please cancel my timer", "timer.hark:cancel_timer.intent"},
    {"how much time is left on the pasta timer", "timer.hark:list_timers.intent"},
    {"please set a timer for ten minutes", "timer.hark:start_timer.intent"},
    {"start a timer for twenty minutes please", "timer.hark:start_timer.intent"},
    {"mute the sound please", "volume.hark:mute.intent"},
    {"please turn the sound back on", "volume.hark:unmute.intent"},
    {"turn the volume down a bit", "volume.hark:volume_down.intent"},
    {"what is the volume now", "volume.hark:volume_get.intent"},
    {"set the volume to thirty percent please", "volume.hark:volume_set.intent"},
    {"turn the volume up a little", "volume.hark:volume_up.intent"}};

// Read once by each voice for --adapt-on enrollment (none of them a command, paraphrase or
// out-of-domain request below).

const char* kOutOfDomain[] = {"what is the weather like tomorrow",
                              "play some music by the beatles",
                              "tell me a joke",
                              "who won the football game last night",
                              "add milk to my shopping list",
                              "call my mother",
                              "how far away is the moon",
                              "turn on the kitchen lights",
                              "what is the capital of france",
                              "send a message to john",
                              "book a table for two people",
                              "translate good morning into spanish"};

// Held out (--held-out): sentences no setting was tuned on, in place of the two sets above.
const Command kParaphrasesHeldOut[] = {
    {"can you please tell me the time", "date-time.hark:time.intent"},
    {"which date is it today", "date-time.hark:date.intent"},
    {"what day of the week is it today", "date-time.hark:weekday.intent"},
    {"hello to you", "hello.hark:hello.intent"},
    {"how are you feeling today", "hello.hark:how_are_you.intent"},
    {"what can you help me with", "help.hark:help.intent"},
    {"stop talking please", "stop.hark:stop.intent"},
    {"cancel the timer please", "timer.hark:cancel_timer.intent"},
    {"set a timer for fifteen minutes please", "timer.hark:start_timer.intent"},
    {"please lower the volume", "volume.hark:volume_down.intent"},
    {"please turn the volume up", "volume.hark:volume_up.intent"},
    {"please mute yourself", "volume.hark:mute.intent"}};

const char* kOutOfDomainHeldOut[] = {"what will the weather be on monday",
                                     "play my favourite song",
                                     "remind me to buy bread",
                                     "what is in the news today",
                                     "open the garage door",
                                     "how tall is mount everest",
                                     "order a pizza for dinner",
                                     "who wrote pride and prejudice",
                                     "what is two plus two",
                                     "find a good restaurant nearby",
                                     "turn off the bedroom lights",
                                     "how do you spell necessary"};

// The confidence a template match needs to be answered by the pipeline of `config`: the band of
// its weakest padatious stage.
double lowest_template_band(const hark::Json& config) {
  const auto& intents = config.at("intents");
  const auto& pipeline = intents.at("pipeline");
  auto has = [&](const char* stage) {
    return std::ranges::find(pipeline, stage) != pipeline.end();
  };
  const auto& bands = intents.at("padatious");
  if (has("padatious_low")) return bands.at("conf_low").get<double>();
  if (has("padatious_medium")) return bands.at("conf_med").get<double>();
  return bands.at("conf_high").get<double>();
}

Samples silence(double seconds) {
  return Samples(static_cast<std::size_t>(seconds * kSampleRate), 0);
}

Samples join(std::initializer_list<Samples> parts) {
  Samples all;
  for (const auto& p : parts) all.insert(all.end(), p.begin(), p.end());
  return all;
}

double seconds(const Samples& s) {
  return static_cast<double>(s.size()) / kSampleRate;
}

// Sentences of plain words from a text file (licenses: numbers, quotes and URLs dropped).
std::vector<std::string> prose(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream all;
  all << in.rdbuf();
  std::vector<std::string> sentences;
  std::string sentence;
  auto flush = [&] {
    if (hark::listener::split_words(sentence).size() >= 3) sentences.push_back(sentence);
    sentence.clear();
  };
  for (char c : all.str()) {
    auto u = static_cast<unsigned char>(c);
    if (c == '.' || c == ';' || c == ':' || c == '?' || c == '!') {
      flush();
    } else if (std::isalpha(u) || c == '\'') {
      sentence += static_cast<char>(std::tolower(u));
    } else if (!sentence.empty() && sentence.back() != ' ') {
      sentence += ' ';
    }
  }
  flush();
  return sentences;
}

// How much the wake word's speed and pitch vary from one time to the next: 13-15 % either way,
// and a semitone (a person's rate and pitch vary about as much from one request to another).
constexpr double kSlowest = 0.87, kFastest = 1.15, kPitchCents = 100;

// White noise at `snr` dB below the speech's RMS (over its louder half), reproducibly.
void add_noise(Samples& audio, double snr, unsigned seed) {
  double sum = 0;
  std::size_t loud = 0;
  for (auto s : audio) {
    if (std::abs(s) > 500) {
      sum += static_cast<double>(s) * s;
      ++loud;
    }
  }
  if (!loud) return;
  double noise_rms = std::sqrt(sum / static_cast<double>(loud)) / std::pow(10.0, snr / 20);
  std::mt19937 random(seed);
  std::normal_distribution<double> gauss(0, noise_rms);
  for (auto& s : audio) {
    s = static_cast<std::int16_t>(std::clamp(s + gauss(random), -32768.0, 32767.0));
  }
}

// Each first-stage hit, with what the later stages made of it and when it came (seconds into
// the audio).
struct Spotted {
  hark::listener::WakeWordHit hit;
  double seconds = 0;
};
using Hits = std::vector<Spotted>;

Hits listen(hark::listener::WakeWordSpotter& spotter, const Samples& audio) {
  spotter.reset();
  Hits hits;
  for (std::size_t at = 0; at < audio.size(); at += 1024) {
    std::span<const std::int16_t> block(audio.data() + at,
                                        std::min<std::size_t>(1024, audio.size() - at));
    if (auto hit = spotter.feed(block))
      hits.push_back({std::move(*hit), static_cast<double>(at + block.size()) / kSampleRate});
  }
  return hits;
}

// What the listener does with a stream of audio: it feeds the spotter block by block, never
// resetting it before (a hit refused a moment ago counts for the repeat rule); on a hit it
// records the command (the spotter hears none of it: the rest of `audio` is left out when
// `command_follows`), learns the wake word when `learn` (its command understood) and listens
// afresh.
Hits hear_as_listener(hark::listener::WakeWordSpotter& spotter, const Samples& audio,
                      bool command_follows, bool learn) {
  Hits hits;
  for (std::size_t at = 0; at < audio.size(); at += 1024) {
    std::span<const std::int16_t> block(audio.data() + at,
                                        std::min<std::size_t>(1024, audio.size() - at));
    if (auto hit = spotter.feed(block)) {
      if (learn) spotter.learn(hit->wake_word);
      spotter.reset();
      hits.push_back({std::move(*hit), static_cast<double>(at + block.size()) / kSampleRate});
      if (command_follows) break;
    }
  }
  return hits;
}

// How many of `hits` wake the listener when those farther than `max_distance` from the templates
// or above `max_gap` in the check are refused, but for one refused by the templates alone within
// WakeWordSpotter::kRepeatSeconds of another such and like it (as the spotter lets a wake word
// said again through). `distance` says which templates count.
std::size_t wakes(const Hits& hits, double max_distance, double max_gap,
                  double hark::listener::WakeWordHit::*distance, hark::listener::Decoder& decoder,
                  double max_repeat_distance) {
  std::size_t count = 0;
  const Spotted* refused = nullptr;
  for (const auto& spotted : hits) {
    const auto& [hit, at] = spotted;
    if (hit.check_gap > max_gap) continue;
    // The spotter compares nothing while it holds too few templates (WakeWordHit's 2).
    constexpr double kNotCompared = hark::listener::WakeWordHit{}.learned_distance;
    if (hit.*distance > max_distance && hit.*distance < kNotCompared) {
      bool again = refused &&
                   at - refused->seconds <= hark::listener::WakeWordSpotter::kRepeatSeconds &&
                   hark::listener::is_said_again(
                       hark::listener::said_again_match(decoder, refused->hit.wake_word, hit),
                       max_repeat_distance);
      refused = again ? nullptr : &spotted;
      if (!again) continue;
    }
    ++count;
  }
  return count;
}

// Each of `a` with each of `b`.
std::vector<std::pair<double, double>> pairs(const std::vector<double>& a,
                                             const std::vector<double>& b) {
  std::vector<std::pair<double, double>> all;
  for (double x : a) {
    for (double y : b) all.emplace_back(x, y);
  }
  return all;
}

hark::audio::Pcm synthesize(const Voice& voice, const std::string& text) {
  static std::map<std::string, std::unique_ptr<hark::audio::TtsEngine>> engines;
  auto& engine = engines[voice.engine + "/" + voice.name];
  if (!engine) {
    engine = voice.engine == "flite" ? hark::audio::make_flite_engine(voice.name)
                                     : hark::audio::make_espeak_engine(voice.name);
  }
  return engine->synthesize(text);
}

Samples say(const Voice& voice, const std::string& text) {
  auto pcm = synthesize(voice, text);
  return hark::listener::resample_to_16k(pcm.samples, pcm.sample_rate);
}

// Read speech: every .wav (any rate) and .raw (16 kHz 16-bit) file under `dir`.
std::vector<Samples> recordings(const fs::path& dir) {
  std::vector<Samples> out;
  std::error_code error;
  if (!fs::is_directory(dir, error)) return out;
  for (const auto& entry : fs::recursive_directory_iterator(dir, error)) {
    auto ext = entry.path().extension();
    if (ext == ".wav") {
      out.push_back(hark::listener::read_wav_16k(entry.path()));
    } else if (ext == ".raw") {
      std::ifstream in(entry.path(), std::ios::binary);
      Samples s(fs::file_size(entry.path()) / 2);
      in.read(reinterpret_cast<char*>(s.data()), static_cast<std::streamsize>(s.size() * 2));
      out.push_back(std::move(s));
    }
  }
  return out;
}

// pocketsphinx-testdata's recorded sentences with their words: each `transcription` file
// ("<s> words </s> (id)" lines) beside id.wav, below `dir`.
std::vector<std::pair<std::string, Samples>> transcribed_recordings(const fs::path& dir) {
  std::vector<std::pair<std::string, Samples>> out;
  std::error_code error;
  if (!fs::is_directory(dir, error)) return out;
  for (const auto& entry : fs::recursive_directory_iterator(dir, error)) {
    auto name = entry.path().filename().string();
    if (name != "transcription" && name != "cards.transcription") continue;
    std::ifstream in(entry.path());
    for (std::string line; std::getline(in, line);) {
      auto open = line.rfind('('), close = line.rfind(')');
      auto wav = entry.path().parent_path() / (line.substr(open + 1, close - open - 1) + ".wav");
      if (open == std::string::npos || close < open || !fs::exists(wav)) continue;
      std::string words;
      for (const auto& w : hark::listener::split_words(line.substr(0, open))) {
        if (w != "<s>" && w != "</s>") words += (words.empty() ? "" : " ") + w;
      }
      out.emplace_back(words, hark::listener::read_wav_16k(wav));
    }
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("voice_bench: wake word and speech to text on generated speech");
  const hark::listener::WakeWordOptions defaults;
  std::vector<double> thresholds{defaults.threshold};
  std::vector<double> lead_thresholds{defaults.lead_threshold};
  std::vector<double> max_distances{0.2, 0.24, 0.26, 0.28, 0.3, 0.35};
  std::vector<double> max_check_gaps{-14, -12, -10, -9, -8, -7, -6, -5, -4, -3, -2, 0, 2};
  bool no_check = false;
  bool show_checks = false;
  std::string spot;
  std::string templates_dir;
  bool no_templates = false;
  std::size_t other_words = 12000;
  std::size_t skip_words = 0;
  std::string hits_file;
  std::string read_speech = "/usr/share/pocketsphinx/test/data";
  double snr = 0;
  double min_grammar_score = -40;
  bool wake_only = false;
  bool stt_only = false;
  std::vector<std::string> voice_names;
  std::string trials_file;
  bool held_out = false;
  app.add_option("--threshold", thresholds, "kws_threshold values to compare");
  app.add_option("--lead-threshold", lead_thresholds,
                 "listener.wake_word_lead_threshold values to compare (0: \"hey\" not required)");
  app.add_option("--max-distance", max_distances, "wake_word_max_distance values to compare");
  app.add_option("--spot", spot, "words spotted (default: mycroft)");
  app.add_option("--templates", templates_dir,
                 "folder of WAV recordings of the wake word (default: synthesized by voices the "
                 "test does not use)");
  app.add_flag("--no-templates", no_templates, "no templates");
  std::size_t learn_from = 0;
  app.add_option("--learn-from", learn_from,
                 "each voice's spotter first learns its wake words (WakeWordSpotter::learn) from "
                 "this many \"hey mycroft, <command>\" said in one breath, as the listener does "
                 "from the commands it understands; the template rows then cut the learnt wake "
                 "words' distance");
  bool no_said_again = false;
  app.add_flag("--no-said-again", no_said_again,
               "a wake word the learnt ones refuse never stands when said again "
               "(listener.wake_word_said_again false)");
  bool learn_alone = false;
  app.add_flag("--learn-alone", learn_alone,
               "--learn-from's wake words said alone, as `hark enroll` asks for them, and asked "
               "for again when not learnt");
  app.add_option("--max-check-gap", max_check_gaps,
                 "listener.wake_word_max_check_gap values to compare");
  app.add_flag("--no-check", no_check, "no check (listener.wake_word_check false)");
  app.add_flag("--show-checks", show_checks,
               "print what the check heard in each false wake of the first stage");
  app.add_option("--other-words", other_words, "words of read prose in the false-wake set");
  app.add_option("--skip-words", skip_words,
                 "prose words left out before those (e.g. the ones thresholds were tuned on)");
  app.add_option("--hits", hits_file,
                 "write each first-stage hit (trial or other speech, voice, check gap, template "
                 "distance, what the check heard) to this file, tab-separated");
  app.add_option("--read-speech", read_speech,
                 "folder of recorded speech (.wav, .raw) added to the false-wake set");
  app.add_option("--snr", snr, "add white noise this many dB below the speech (0: none)");
  app.add_option("--min-grammar-score", min_grammar_score, "listener.min_grammar_score");
  bool lm_fallback = false;
  app.add_flag("--lm-fallback", lm_fallback, "listener.lm_fallback");
  std::optional<double> min_fit = hark::listener::PocketsphinxSttOptions{}.min_fit;
  app.add_option("--min-fit", min_fit,
                 "listener.min_fit (-1000: each fit measured, nothing dropped); the last lines "
                 "compare other cuts");
  bool no_fit = false;
  app.add_flag("--no-fit", no_fit, "no fit measured (no phone loop): the decoding time without it");
  bool exact_grammar = false;
  app.add_flag("--exact-grammar", exact_grammar,
               "the intents' sentences as a JSGF grammar (listener.intent_language_model false)");
  hark::listener::LanguageModelOptions language_model;
  app.add_option("--everyday-weight", language_model.everyday_weight, "listener.everyday_weight");
  app.add_option("--discount", language_model.discount, "the trigram model's discount");
  app.add_option("--intent-balance", language_model.intent_balance,
                 "how far each intent's sentences count alike in the trigram model (0: each "
                 "sentence once)");
  app.add_option("--frame-weight", language_model.frame_weight,
                 "how much the frames around each sentence count (\"please ...\"); 0: none");
  std::vector<std::string> extra;
  std::vector<std::string> decoder_args;
  std::string adapt_on;
  double adapt_prior = hark::listener::AdaptationOptions{}.prior_frames;
  app.add_option("--adapt-on", adapt_on,
                 "adapt the model to each voice (MLLR): first on its commands' text, on what was "
                 "heard of them or on enrollment sentences; or online, after each trial as the "
                 "listener does; or enrolled: the enrollment sentences, then online, as after "
                 "`hark enroll`")
      ->check(CLI::IsMember({"commands", "heard", "enrollment", "online", "enrolled"}));
  app.add_option("--adapt-prior", adapt_prior, "the adaptation's prior weight, in frames");
  double map_prior = hark::listener::AdaptationOptions{}.map_prior_frames;
  app.add_option("--map-prior", map_prior,
                 "frames of the transformed means against the frames each density scored (MAP; "
                 "0: the transform alone)");
  app.add_option("--decoder-arg", decoder_args,
                 "pocketsphinx option and value, e.g. '-warp_params 1.1'");
  app.add_option("--extra-word", extra, "WORD=PHONES added to the dictionary (repeatable)");
  app.add_flag("--wake-only", wake_only, "measure the wake word only");
  app.add_flag("--stt-only", stt_only, "measure speech to text only");
  app.add_option("--voice", voice_names,
                 "only these test voices (repeatable; e.g. a tuning part and a held-out part)");
  app.add_option("--trials", trials_file,
                 "write each speech-to-text trial (voice, set, said, heard (before the fit's cut), "
                 "dropped for its fit, intents, path score, fit, seconds) to this file, "
                 "tab-separated");
  app.add_flag("--held-out", held_out,
               "paraphrases and out-of-domain requests of a second set, which no setting was "
               "tuned on, in place of the first");
  double quiet_before = 0;
  app.add_option("--quiet-before", quiet_before,
                 "seconds of a quiet room (white noise about 60 dB below full scale) before each "
                 "wake trial, as a listener hears between requests (0: 0.3 s of silence)");
  bool same_prosody = false;
  app.add_flag("--same-prosody", same_prosody,
               "each voice says the wake word alike every time, as synthesized (before session "
               "22, every figure of the wake word); by default each time faster or slower and "
               "higher or lower (sox)");
  CLI11_PARSE(app, argc, argv);
  // The spotter says why it refused each hit; the tables say it all together.
  spdlog::set_level(spdlog::level::warn);
  if (no_fit) min_fit.reset();
  std::vector<Voice> voices;
  for (const auto& voice : kVoices) {
    if (voice_names.empty() || std::ranges::find(voice_names, voice.name) != voice_names.end())
      voices.push_back(voice);
  }
  if (voices.size() != (voice_names.empty() ? std::size(kVoices) : voice_names.size())) {
    fmt::print("--voice: the test voices are");
    for (const auto& voice : kVoices) fmt::print(" {}", voice.name);
    fmt::print("\n");
    return 1;
  }
  unsigned noise_seed = 1;
  auto heard = [&](Samples audio) {
    if (snr > 0) add_noise(audio, snr, noise_seed++);
    return audio;
  };
  // A wake word of voices[v] said another time (`time` picks how, the same whichever --voice
  // options chose the voices), or as synthesized with --same-prosody.
  auto another_time = [&](const Samples& audio, std::size_t v, std::size_t time) {
    if (same_prosody) return audio;
    auto known =
        std::ranges::find_if(kVoices, [&](const Voice& k) { return k.name == voices[v].name; });
    std::mt19937 random(static_cast<unsigned>((known - std::begin(kVoices)) * 1000 + time));
    auto tempo = std::uniform_real_distribution<double>(kSlowest, kFastest)(random);
    auto cents = std::uniform_real_distribution<double>(-kPitchCents, kPitchCents)(random);
    return said_another_time(audio, tempo, cents);
  };

  hark::listener::IntentSamples samples;
  for (const auto& file : fs::recursive_directory_iterator(HARK_BUILTIN_SKILLS_DIR)) {
    auto path = file.path();
    if (path.extension() != ".intent" || path.parent_path().filename() != "en-us") continue;
    auto skill = path.parent_path().parent_path().parent_path().filename().string() + ".hark";
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty() && line[0] != '#') {
        samples.intents[skill + ":" + path.filename().string()].push_back(line);
      }
    }
  }
  hark::intent::TemplateEngine intents;
  std::vector<Command> commands;
  std::set<std::string> template_sentences;
  auto fill = [](std::string_view slot) -> std::optional<std::string> {
    if (slot == "duration") return "five minutes";
    if (slot == "level") return "fifty";
    return "pasta";
  };
  // The stop skill's sentences are the core's stop stage, not a template skill (below).
  const hark::pipeline::StopMatcher stop(std::filesystem::path(HARK_BUILTIN_SKILLS_DIR) / "stop");
  for (const auto& [name, lines] : samples.intents) {
    if (!name.starts_with("stop.hark:")) intents.register_intent("en-us", name, lines);
    std::vector<std::string> all;
    for (const auto& line : lines) {
      auto expanded = hark::skills::expand_template(line, hark::skills::Direction::input,
                                                    {.vocabulary = {}, .slot_value = fill});
      if (expanded.ok()) all.insert(all.end(), expanded.value->begin(), expanded.value->end());
    }
    template_sentences.insert(all.begin(), all.end());
    if (all.empty()) continue;
    commands.push_back({all.front(), name});
    if (all.size() > 2) commands.push_back({all[all.size() / 2], name});
  }
  intents.train();
  // The intent the core would run for `text`: a template match in the lowest band the shipped
  // pipeline has a stage for (padatious_medium: conf_med, 0.8; a weaker match goes to the
  // fallbacks, and the unknown fallback answers).
  // The stages that answer a command, as the shipped pipeline runs them: stop_high,
  // padatious_high, stop_medium and the template stage of the lowest band it has.
  const double lowest_band = lowest_template_band(hark::config::builtin_defaults());
  auto intent_of = [&](const std::string& text) {
    return hark::bench::shipped_answer(intents, &stop, "stop.hark", text, lowest_band);
  };
  std::vector<Command> paraphrases;
  if (held_out) {
    paraphrases.assign(std::begin(kParaphrasesHeldOut), std::end(kParaphrasesHeldOut));
  } else {
    paraphrases.assign(std::begin(kParaphrases), std::end(kParaphrases));
  }
  for (const auto& p : paraphrases) {
    if (template_sentences.contains(p.text) || !samples.intents.contains(p.intent)) {
      fmt::print("paraphrase '{}' is a template sentence, or '{}' no intent\n", p.text, p.intent);
      return 1;
    }
  }
  std::vector<Command> out_of_domain;
  for (const char* text : held_out ? std::span<const char* const>(kOutOfDomainHeldOut)
                                   : std::span<const char* const>(kOutOfDomain)) {
    out_of_domain.push_back({text, ""});
  }
  // What the intent engine makes of the texts themselves: the ceiling of "right intent".
  std::size_t ceiling = 0;
  for (const auto* set : {&commands, &paraphrases, &out_of_domain}) {
    for (const auto& c : *set) {
      if (intent_of(c.text) == c.intent) {
        ++ceiling;
      } else {
        fmt::print("  as text already: '{}' -> '{}', not '{}'\n", c.text, intent_of(c.text),
                   c.intent);
      }
    }
  }
  fmt::print(
      "{} intents; per voice {} commands, {} paraphrases, {} out of domain ({} right as text); "
      "{} voices{}\n",
      samples.intents.size(), commands.size(), paraphrases.size(), out_of_domain.size(), ceiling,
      voices.size(), snr > 0 ? fmt::format(", white noise {} dB below speech", snr) : "");

  // The dictionary's additions as shipped (listener.extra_words: "mycroft", "unmute", ...).
  auto decoder = hark::listener::ListenerSettings::from(hark::config::builtin_defaults()).decoder;
  for (const auto& e : extra) {
    auto eq = e.find('=');
    if (eq != std::string::npos) decoder.extra_words[e.substr(0, eq)] = e.substr(eq + 1);
  }
  for (const auto& a : decoder_args)
    for (auto& w : hark::listener::split_words(a)) decoder.arguments.push_back(w);

  std::vector<std::string> command_texts;
  for (const auto& c : commands) command_texts.push_back(c.text);

  if (!stt_only) {
    std::vector<Samples> wake_trials;  // voice-major, one per command
    std::vector<Samples> other;        // one stream per voice, then the read speech
    // How long each voice's stream is near misses (kNotWake) before its prose starts, and where
    // in it each near miss ends.
    std::vector<double> near_miss_seconds;
    std::vector<std::vector<double>> near_miss_ends;
    std::vector<std::vector<std::string>> prose_of_voice(voices.size());
    std::size_t prose_words = 0, skipped_words = 0, sentence_index = 0;
    for (const char* text : {"GPL-3", "Apache-2.0", "GPL-2", "LGPL-2.1", "GFDL-1.3", "MPL-2.0"}) {
      for (const auto& sentence : prose(fs::path("/usr/share/common-licenses") / text)) {
        auto words = hark::listener::split_words(sentence).size();
        if (skipped_words < skip_words) {
          skipped_words += words;
          continue;
        }
        if (prose_words >= other_words) break;
        prose_of_voice[sentence_index++ % voices.size()].push_back(sentence);
        prose_words += words;
      }
    }
    for (std::size_t v = 0; v < voices.size(); ++v) {
      const auto& voice = voices[v];
      auto hey = say(voice, "hey mycroft");
      for (std::size_t c = 0; c < commands.size(); ++c) {
        auto before = quiet_before > 0 ? hark::listener::testing::quiet_room(quiet_before,
                                                                             unsigned(v * 1000 + c))
                                       : silence(0.3);
        wake_trials.push_back(heard(join({before, another_time(hey, v, c), silence(0.3),
                                          say(voice, commands[c].text), silence(0.5)})));
      }
      Samples stream;
      auto add = [&](const std::string& text) {
        auto s = join({say(voice, text), silence(0.4)});
        stream.insert(stream.end(), s.begin(), s.end());
      };
      near_miss_ends.emplace_back();
      for (const char* phrase : kNotWake) {
        add(phrase);
        near_miss_ends.back().push_back(seconds(stream));
      }
      near_miss_seconds.push_back(seconds(stream));
      for (const auto& sentence : prose_of_voice[v]) add(sentence);
      other.push_back(heard(std::move(stream)));
    }
    std::size_t synthesized = other.size();
    for (auto& recording : recordings(read_speech)) other.push_back(heard(std::move(recording)));
    double other_seconds = 0, read_seconds = 0;
    double near_miss_total =
        std::accumulate(near_miss_seconds.begin(), near_miss_seconds.end(), 0.0);
    for (std::size_t i = 0; i < other.size(); ++i) {
      other_seconds += seconds(other[i]);
      if (i >= synthesized) read_seconds += seconds(other[i]);
    }

    hark::listener::WakeWordOptions wake{.phrase = "hey mycroft", .spot = spot};
    // Every hit, with its distance and check gap: the cuts are applied below.
    wake.max_template_distance = 2;
    wake.check = !no_check;
    wake.max_check_gap = std::numeric_limits<double>::infinity();
    wake.let_in_said_again = !no_said_again;
    if (!no_templates) {
      if (!templates_dir.empty()) {
        wake.templates = hark::listener::read_wav_folder(templates_dir);
      } else {
        for (const auto& voice : kTemplateVoices)
          wake.templates.push_back(say(voice, "hey mycroft"));
      }
    }
    fmt::print(
        "\nwake word: {} trials; {:.1f} min of other speech ({} near misses in {:.1f} min, "
        "{} words of prose after the first {}, {:.1f} min of recorded read speech from {}); "
        "{} templates\n",
        wake_trials.size(), other_seconds / 60, synthesized * std::size(kNotWake),
        near_miss_total / 60, prose_words, skipped_words, read_seconds / 60, read_speech,
        wake.templates.size());
    fmt::print("{:>10} {:>6} {:>9} {:>5} {:>10} {:>10} {:>12} {:>8} {:>14} {:>8}\n", "threshold",
               "lead", "distance", "gap", "detected", "2 tries", "false wakes", "per hour",
               "near misses", "other/h");
    // With --adapt-on: each voice's transform, from its enrollment sentences or its commands
    // (said alone, not the wake word), as the listener adapts from the commands it hears.
    std::vector<hark::listener::Gaussians> transforms;
    if (adapt_on == "enrollment" || adapt_on == "commands") {
      hark::listener::Decoder words(decoder);
      for (const auto& voice : voices) {
        hark::listener::SpeakerAdaptation adaptation(decoder.model_dir / "en-us");
        for (const auto& text : adapt_on == "enrollment" ? enrollment_sentences() : command_texts) {
          adaptation.add(heard(join({silence(0.2), say(voice, text), silence(0.5)})),
                         words.phones_of(text));
        }
        transforms.push_back(adaptation.adapted(adapt_prior, map_prior));
      }
      fmt::print("wake word spotted with the model adapted to each voice ({})\n", adapt_on);
    }
    // The spotter of voice v's speech (adapted to it, and with --learn-from having learnt its
    // wake words), or of the read speech (no transform; all the voices' learnt wake words: a
    // household of them all).
    std::vector<Samples> learnt;
    std::vector<std::size_t> learnt_from;  // the voice of each of learnt
    // Where each voice's spotter's cepstral mean came to by the end of its enrollment: the
    // listener hears the enrollment with the spotter it goes on with.
    std::vector<std::optional<hark::listener::Decoder::Normalization>> enrolled_means(
        voices.size());
    // A decoder for hearing voice v (adapted to it with --adapt-on), or the read speech.
    auto decoder_for = [&](std::optional<std::size_t> v) {
      auto shared = std::make_shared<hark::listener::SharedDecoder>(decoder);
      if (v && !transforms.empty()) shared->decoder.use_gaussians(transforms[*v]);
      return shared;
    };
    auto spotter_for = [&](std::optional<std::size_t> v) {
      auto shared = decoder_for(v);
      auto options = wake;
      options.max_learned_distance = 2;
      options.max_learned = v ? learn_from : learnt.size();
      auto spotter = std::make_unique<hark::listener::WakeWordSpotter>(options, shared);
      if (!v) {
        for (const auto& wake_word : learnt) spotter->learn(wake_word);
      }
      // `hark enroll` asks again for a wake word it did not learn (three times in a row at most).
      const std::size_t tries =
          learn_alone ? hark::listener::Enrollment::kMaxMisses * learn_from : learn_from;
      for (std::size_t c = 0; v && c < tries && spotter->learned() < learn_from; ++c) {
        // Other times than the trials' (seeds from 500 on).
        auto text = learn_alone ? std::string("hey mycroft")
                                : "hey mycroft, " + commands[c % commands.size()].text;
        auto said = heard(
            join({silence(0.3), another_time(say(voices[*v], text), *v, 500 + c), silence(0.5)}));
        // What the listener would have woken for, at the default cuts.
        for (auto& [hit, at] : listen(*spotter, said)) {
          if (hit.check_gap <= defaults.max_check_gap &&
              (spotter->learned() < hark::listener::WakeWordSpotter::kMinLearned ||
               hit.learned_distance <= defaults.max_learned_distance) &&
              spotter->learn(hit.wake_word)) {
            learnt.push_back(std::move(hit.wake_word));
            learnt_from.push_back(*v);
          }
        }
      }
      if (v && learn_from) {
        enrolled_means[*v] = spotter->normalization();
        fmt::print("  {}: {} wake words learnt of {}\n", voices[*v].name, spotter->learned(),
                   learn_from);
      }
      return spotter;
    };
    // A voice the household's learnt wake words do not know (each voice in turn, with the others'
    // learnt): how near its wake words come to theirs. The spotter lets a wake word the learnt
    // ones refuse through when it is said again (WakeWordSpotter::kRepeatSeconds); these
    // distances say whether the repeat could also be held to some distance from the learnt ones
    // without locking a new voice out.
    auto new_voices = [&](double threshold, double lead_threshold) {
      constexpr double kCuts[] = {0.22, 0.25, 0.28, 0.3, 0.33, 0.36, 0.4};
      std::vector<double> distances;
      std::string by_voice;
      for (std::size_t v = 0; v < voices.size(); ++v) {
        auto options = wake;
        options.threshold = threshold;
        options.lead_threshold = lead_threshold;
        options.max_learned_distance = 2;
        options.max_learned = learnt.size();
        hark::listener::WakeWordSpotter spotter(options, decoder_for(v));
        for (std::size_t l = 0; l < learnt.size(); ++l) {
          if (learnt_from[l] != v) spotter.learn(learnt[l]);
        }
        double nearest = 2;
        for (std::size_t c = 0; c < commands.size(); ++c) {
          for (const auto& [hit, at] : listen(spotter, wake_trials[v * commands.size() + c])) {
            if (hit.check_gap > defaults.max_check_gap) continue;
            distances.push_back(hit.learned_distance);
            nearest = std::min(nearest, hit.learned_distance);
          }
        }
        by_voice += fmt::format(" {}:{:.2f}", voices[v].name, nearest);
      }
      std::string within;
      for (double cut : kCuts) {
        auto n = std::ranges::count_if(distances, [&](double d) { return d <= cut; });
        within += fmt::format(" <={:g}: {:.0f}%", cut,
                              100.0 * static_cast<double>(n) /
                                  static_cast<double>(std::max<std::size_t>(distances.size(), 1)));
      }
      fmt::print(
          "{:>10g} {:>6g} a new voice's wake words ({} hits) from the others' learnt ones:{}\n"
          "{:>17} nearest per voice:{}\n",
          threshold, lead_threshold, distances.size(), within, "", by_voice);
    };
    // Each voice's spotter as the listener runs it, with the shipped cuts: the wake words
    // learnt first, and the cepstral mean where the enrollment left it, then the voice's wake
    // trials one after the other (one it does not wake for is followed by the next: said again),
    // learning each wake word that woke it, then the voice's false-wake stream (learning nothing
    // there: its speech is no command).
    auto in_use = [&](double threshold, double lead_threshold) {
      auto options = defaults;
      options.phrase = wake.phrase;
      options.spot = wake.spot;
      options.threshold = threshold;
      options.lead_threshold = lead_threshold;
      options.check = wake.check;
      options.templates = wake.templates;
      options.let_in_said_again = wake.let_in_said_again;
      std::size_t woke = 0, near = 0, rest = 0, repeated = 0;
      double synthesized_seconds = 0;
      std::string by_voice, woken_by;
      for (std::size_t v = 0; v < voices.size(); ++v) {
        hark::listener::WakeWordSpotter spotter(options, decoder_for(v));
        if (enrolled_means[v]) spotter.start_from(*enrolled_means[v]);
        for (std::size_t l = 0; l < learnt.size(); ++l) {
          if (learnt_from[l] == v) spotter.learn(learnt[l]);
        }
        std::size_t here = 0;
        for (std::size_t c = 0; c < commands.size(); ++c) {
          auto hits = hear_as_listener(spotter, wake_trials[v * commands.size() + c], true, true);
          here += !hits.empty();
          repeated += !hits.empty() && hits.front().hit.repeated;
        }
        for (const auto& spotted : hear_as_listener(spotter, other[v], false, false)) {
          if (spotted.seconds > near_miss_seconds[v]) {
            ++rest;
            continue;
          }
          ++near;
          // The hit is reported a little after the word's end, within the silence after it.
          auto ends = std::ranges::lower_bound(near_miss_ends[v], spotted.seconds);
          woken_by +=
              fmt::format(" {} '{}'{};", voices[v].name, kNotWake[ends - near_miss_ends[v].begin()],
                          spotted.hit.repeated ? " (said again)" : "");
        }
        synthesized_seconds += seconds(other[v]);
        woke += here;
        by_voice += fmt::format(" {}:{}", voices[v].name, here);
      }
      fmt::print(
          "{:>10g} {:>6g} in use (learning as it goes): {:.1f}% of the trials woke it ({} said "
          "again), then {} near misses of {} and {:.1f} false wakes per hour of other speech; of "
          "{} per voice:{}\n",
          threshold, lead_threshold,
          100.0 * static_cast<double>(woke) / static_cast<double>(wake_trials.size()), repeated,
          near, voices.size() * std::size(kNotWake),
          static_cast<double>(rest) / ((synthesized_seconds - near_miss_total) / 3600),
          commands.size(), by_voice);
      if (!woken_by.empty()) fmt::print("{:>17} near misses that woke it:{}\n", "", woken_by);
    };
    for (auto [threshold, lead_threshold] : pairs(thresholds, lead_thresholds)) {
      wake.threshold = threshold;
      wake.lead_threshold = lead_threshold;
      std::vector<Hits> trial_hits, other_hits;
      learnt.clear();
      learnt_from.clear();
      auto started = std::chrono::steady_clock::now();
      for (std::size_t v = 0; v < voices.size(); ++v) {
        auto spotter = spotter_for(v);
        for (std::size_t c = 0; c < commands.size(); ++c)
          trial_hits.push_back(listen(*spotter, wake_trials[v * commands.size() + c]));
        other_hits.push_back(listen(*spotter, other[v]));
      }
      for (std::size_t o = voices.size(); o < other.size(); ++o)
        other_hits.push_back(listen(*spotter_for(std::nullopt), other[o]));
      double spent =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      if (!hits_file.empty()) {
        std::ofstream out(hits_file);
        out << "set\titem\tvoice\tseconds\tcheck_gap\ttemplate_distance\tlearned_distance\tcheck_"
               "heard\n";
        auto write = [&](const char* set, std::size_t item, const Hits& h, const Voice* voice) {
          for (const auto& [hit, at] : h) {
            out << fmt::format("{}\t{}\t{}\t{:.2f}\t{:.4f}\t{:.4f}\t{:.4f}\t{}\n", set, item,
                               voice ? voice->name : "read speech", at, hit.check_gap,
                               hit.template_distance, hit.learned_distance, hit.check_heard);
          }
        };
        for (std::size_t t = 0; t < trial_hits.size(); ++t)
          write("trial", t, trial_hits[t], &voices[t / commands.size()]);
        for (std::size_t o = 0; o < other_hits.size(); ++o)
          write("other", o, other_hits[o], o < synthesized ? &voices[o] : nullptr);
      }
      if (show_checks) {
        for (const auto& h : other_hits) {
          for (const auto& [hit, at] : h)
            fmt::print("  false wake, gap {:.1f}: '{}'\n", hit.check_gap, hit.check_heard);
        }
      }
      hark::listener::Decoder front_end(decoder);
      // (max distance, max gap); above any: that stage not applied.
      constexpr double kAll = std::numeric_limits<double>::infinity();
      std::vector<std::pair<double, double>> cuts{{kAll, kAll}};
      if (!no_check) {
        for (double gap : max_check_gaps) cuts.emplace_back(kAll, gap);
      }
      if (!wake.templates.empty() || learn_from) {
        for (double distance : max_distances) cuts.emplace_back(distance, kAll);
        // Both stages, as the spotter applies them: each gap at the default distance, each
        // distance at the default gap.
        if (!no_check) {
          for (double gap : max_check_gaps)
            cuts.emplace_back(
                learn_from ? defaults.max_learned_distance : defaults.max_template_distance, gap);
          for (double distance : max_distances) cuts.emplace_back(distance, defaults.max_check_gap);
        }
      }
      for (auto [max_distance, max_gap] : cuts) {
        auto count = [&](const Hits& h) {
          return wakes(h, max_distance, max_gap,
                       learn_from ? &hark::listener::WakeWordHit::learned_distance
                                  : &hark::listener::WakeWordHit::template_distance,
                       front_end,
                       no_said_again                        ? -1
                       : learn_from && max_distance != kAll ? max_distance
                                                            : defaults.max_learned_distance);
        };
        // Detected the first time, and by the next trial when not: the user says it again
        // (the trials last 3-5 s, within WakeWordSpotter::kRepeatSeconds of each other).
        std::size_t detected = 0, twice = 0;
        std::string by_voice;
        for (std::size_t v = 0; v < voices.size(); ++v) {
          std::size_t here = 0;
          for (std::size_t c = 0; c < commands.size(); ++c) {
            const auto& first = trial_hits[v * commands.size() + c];
            bool woke = count(first) > 0;
            here += woke;
            if (!woke) {
              auto again = first;
              for (auto next : trial_hits[v * commands.size() + (c + 1) % commands.size()]) {
                next.seconds += seconds(wake_trials[v * commands.size() + c]);
                again.push_back(std::move(next));
              }
              woke = count(again) > 0;
            }
            twice += woke;
          }
          by_voice += fmt::format(" {}:{}", voices[v].name, here);
          detected += here;
        }
        // Each voice's near misses, its prose, the read speech.
        std::size_t near_woken = 0, false_wakes = 0;
        for (std::size_t o = 0; o < other_hits.size(); ++o) {
          Hits near, rest;
          for (const auto& hit : other_hits[o])
            (o < synthesized && hit.seconds <= near_miss_seconds[o] ? near : rest).push_back(hit);
          near_woken += count(near);
          false_wakes += count(rest);
        }
        auto shown = [](double cut) { return cut == kAll ? "-" : fmt::format("{:g}", cut); };
        auto share = [&](std::size_t n) {
          return 100.0 * static_cast<double>(n) / static_cast<double>(wake_trials.size());
        };
        fmt::print(
            "{:>10g} {:>6g} {:>9} {:>5} {:>9.1f}% {:>9.1f}% {:>12} {:>8.1f} {:>6} of {:<4} {:>8.1f}"
            "   of {} per voice:{}\n",
            threshold, lead_threshold, shown(max_distance), shown(max_gap), share(detected),
            share(twice), near_woken + false_wakes,
            static_cast<double>(near_woken + false_wakes) / (other_seconds / 3600), near_woken,
            synthesized * std::size(kNotWake),
            static_cast<double>(false_wakes) / ((other_seconds - near_miss_total) / 3600),
            commands.size(), by_voice);
      }
      if (learn_from) {
        new_voices(threshold, lead_threshold);
        in_use(threshold, lead_threshold);
      }
      double audio = other_seconds;
      for (const auto& t : wake_trials) audio += seconds(t);
      fmt::print("{:>10g} {:>6g} spotting RTF {:.3f}\n", threshold, lead_threshold, spent / audio);
    }
  }
  if (wake_only) return 0;

  const hark::listener::PocketsphinxSttOptions stt_options{.decoder = decoder,
                                                           .intent_language_model = !exact_grammar,
                                                           .language_model = language_model,
                                                           .min_grammar_score = min_grammar_score,
                                                           .min_fit = min_fit,
                                                           .lm_fallback = lm_fallback};
  hark::listener::PocketsphinxStt shared_stt(stt_options);
  auto grammar = shared_stt.set_intents(samples);
  // The cut lines below keep these whatever their fit, as the listener does.
  std::set<std::string> sentences;
  for (const auto& words : grammar.corpus)
    sentences.insert(fmt::format("{}", fmt::join(words, " ")));
  fmt::print("\nspeech to text: {} of {} sentences ({} left out), min fit {}, general model {}\n",
             exact_grammar ? "exact grammar"
                           : fmt::format("trigram model (discount {}, everyday weight {})",
                                         language_model.discount, language_model.everyday_weight),
             grammar.sentences, grammar.dropped,
             min_fit ? fmt::format("{:g}", *min_fit) : "not measured",
             lm_fallback ? fmt::format("below {} per frame", min_grammar_score) : "off");
  struct Tally {
    std::size_t trials = 0, exact = 0, right_intent = 0, errors = 0, reference_words = 0;
    std::map<std::string, std::size_t> searches;
  };
  std::map<std::string, Tally> tallies;
  struct Fit {
    std::string set, engine;
    double fit;
    bool sentence;
    std::string heard_intent, intent;
  };
  std::vector<Fit> fits;
  std::ofstream trials_out;
  if (!trials_file.empty()) {
    trials_out.open(trials_file);
    trials_out << "voice\tset\tsaid\theard\tdropped\tintent\theard_intent\tscore\tfit\tseconds\n";
  }
  double audio_seconds = 0, decode_seconds = 0;
  for (const auto& voice : voices) {
    std::unique_ptr<hark::listener::PocketsphinxStt> adapted;
    if (!adapt_on.empty()) {
      // What the speaker said to adapt the model to them, and the words taken for it.
      std::vector<std::pair<Samples, std::string>> said;
      const std::vector<std::string> none;
      const auto& texts = adapt_on == "enrollment" || adapt_on == "enrolled"
                              ? enrollment_sentences()
                          : adapt_on == "online" ? none
                                                 : command_texts;
      for (const auto& text : texts) {
        auto audio = heard(join({silence(0.2), say(voice, text), silence(0.5)}));
        if (adapt_on == "heard") {
          auto t = shared_stt.transcribe(audio);
          if (t.text.empty()) continue;
          said.emplace_back(std::move(audio), t.text);
        } else {
          said.emplace_back(std::move(audio), text);
        }
      }
      // The listener's own path: each recording and its words given to the engine in turn.
      auto options = stt_options;
      options.adaptation = hark::listener::AdaptationOptions{.prior_frames = adapt_prior,
                                                             .map_prior_frames = map_prior};
      adapted = std::make_unique<hark::listener::PocketsphinxStt>(options);
      adapted->set_intents(samples);
      std::size_t added = 0;
      auto started = std::chrono::steady_clock::now();
      for (const auto& [audio, text] : said) added += adapted->adapt(audio, text);
      double spent =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      fmt::print("adapted {} to {} of {} recordings ({}), {:.0f} ms each\n", voice.name, added,
                 texts.size(), adapt_on,
                 1000 * spent / static_cast<double>(std::max<std::size_t>(said.size(), 1)));
    }
    auto& stt = adapted ? *adapted : shared_stt;
    for (const auto& [set, list] :
         {std::pair{"commands", &commands}, std::pair{"paraphrases", &paraphrases},
          std::pair{"out of domain", &out_of_domain}}) {
      for (const auto& c : *list) {
        auto audio = heard(join({silence(0.2), say(voice, c.text), silence(0.5)}));
        auto started = std::chrono::steady_clock::now();
        auto t = stt.transcribe(audio);
        // As the listener learns: from what the intents' model heard and the fit check kept.
        if (adapt_on == "online" || adapt_on == "enrolled") stt.end_command(audio, t);
        double spent =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        decode_seconds += spent;
        audio_seconds += seconds(audio);
        auto& tally = tallies[set];
        ++tally.trials;
        tally.exact += t.text == c.text;
        tally.errors += hark::listener::edit_distance(hark::listener::split_words(c.text),
                                                      hark::listener::split_words(t.text));
        tally.reference_words += hark::listener::split_words(c.text).size();
        tally.right_intent += intent_of(t.text) == c.intent;
        // The words before the fit's cut: the other cuts below are tried on them.
        const auto& words = t.text.empty() ? t.dropped : t.text;
        fits.push_back(
            {set, voice.engine, t.fit, sentences.contains(words), intent_of(words), c.intent});
        if (trials_out.is_open()) {
          trials_out << fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\t{:.3f}\t{:.3f}\t{:.3f}\n",
                                    voice.name, set, c.text, words, !t.dropped.empty(), c.intent,
                                    intent_of(words), t.score_per_frame, t.fit, spent)
                     << std::flush;
        }
        ++tally.searches[t.search];
        if (intent_of(t.text) != c.intent) {
          fmt::print("  {}: '{}' heard as '{}'{} ({}, {:.1f}, fit {:.1f}) -> '{}'\n", voice.name,
                     c.text, words, t.dropped.empty() ? "" : " (dropped)", t.search,
                     t.score_per_frame, t.fit, intent_of(t.text));
        }
      }
    }
  }
  Tally all;
  fmt::print("{:>14} {:>7} {:>7} {:>7} {:>13}  {}\n", "set", "trials", "exact", "WER",
             "right intent", "searches");
  for (const auto& [set, t] : tallies) {
    std::string searches;
    for (const auto& [name, n] : t.searches) searches += fmt::format(" {}:{}", name, n);
    auto n = static_cast<double>(t.trials);
    fmt::print("{:>14} {:>7} {:>6.1f}% {:>6.1f}% {:>12.1f}% {}\n", set, t.trials,
               100 * static_cast<double>(t.exact) / n,
               100.0 * static_cast<double>(t.errors) / static_cast<double>(t.reference_words),
               100 * static_cast<double>(t.right_intent) / n, searches);
    all.trials += t.trials;
    all.right_intent += t.right_intent;
    if (set != "out of domain") {
      all.errors += t.errors;
      all.reference_words += t.reference_words;
    }
  }
  fmt::print("all: right intent {:.1f}%  WER (commands and paraphrases) {:.1f}%  RTF {:.3f}\n",
             100 * static_cast<double>(all.right_intent) / static_cast<double>(all.trials),
             100.0 * static_cast<double>(all.errors) / static_cast<double>(all.reference_words),
             decode_seconds / audio_seconds);
  constexpr double kCuts[] = {-1000, -20, -15, -12.5, -10, -7.5, -5, -4, -3, -2, -1, 0, 2.5, 5};
  if (min_fit) {
    fmt::print(
        "right intent if results fitting worse than this were dropped (listener.min_fit):\n");
  }
  for (double cut : min_fit ? std::span<const double>(kCuts) : std::span<const double>()) {
    std::map<std::string, std::pair<std::size_t, std::size_t>> right;  // per set: right, trials
    for (const auto& f : fits) {
      // Per set, over all, and per synthesizer (the model fits flite's voices as it fits
      // people's recorded speech, espeak-ng's far worse).
      for (const auto& set : {f.set, std::string("all"), "all " + f.engine}) {
        right[set].first += (f.fit >= cut || f.sentence ? f.heard_intent : "") == f.intent;
        ++right[set].second;
      }
    }
    fmt::print("  {:>6g}:", cut);
    for (const auto& [set, n] : right) {
      fmt::print(" {} {:.1f}%", set,
                 100.0 * static_cast<double>(n.first) / static_cast<double>(n.second));
    }
    fmt::print("\n");
  }
  // Recorded human speech (pocketsphinx-testdata): where the fits of people's speech fall, for
  // sentences the intents' model expects (the recordings' own sentences as the intents) and for
  // sentences it does not (the built-in intents). The synthetic voices fit the acoustic model
  // differently: espeak-ng's poorly, flite's well.
  auto recorded = transcribed_recordings(read_speech);
  if (min_fit && !recorded.empty()) {
    hark::listener::IntentSamples own;
    for (std::size_t i = 0; i < recorded.size(); ++i)
      own.intents[fmt::format("recorded:{}.intent", i)] = {recorded[i].first};
    hark::listener::PocketsphinxStt own_stt(
        {.decoder = decoder, .language_model = language_model, .min_fit = min_fit});
    own_stt.set_intents(own);
    fmt::print(
        "\nrecorded speech from {}: with its own sentences as the intents, then the built-in "
        "ones\n",
        read_speech);
    for (const auto& [words, audio] : recorded) {
      auto expected = own_stt.transcribe(audio);
      auto other = shared_stt.transcribe(audio);
      fmt::print("  '{}': '{}' fit {:.1f}; '{}' fit {:.1f} -> '{}'\n", words, expected.text,
                 expected.fit, other.text, other.fit, intent_of(other.text));
    }
  }
  fmt::print(
      "\ntargets: detection >= 95%, <= 1 false wake/hour, right intent >= 90%, WER <= 15%, RTF <= "
      "0.1\n");
}
