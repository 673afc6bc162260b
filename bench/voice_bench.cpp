// voice_bench: the listener's engines on a generated set of spoken commands.
//
//   build/bench/voice_bench [--threshold 1e-30 --threshold 1e-40] [--spot mycroft]
//
// Speech is synthesized at run time by espeak-ng (6 voices) and flite (4 voices), resampled to
// 16 kHz as the listener hears it. For each voice:
// - wake: "hey mycroft" + a pause + each command, fed to a fresh spotter: detected or not;
// - false wakes: phrases that sound like the wake word ("hey microsoft", "my craft") and
//   ordinary commands, fed the same way; reported per hour of that audio;
// - speech to text: each command alone (what the listener records after the wake word), with
//   the grammar of the built-in skills' intents and the language-model fallback: exact
//   sentences, word error rate, intent right (the template engine, as the core matches), and
//   real-time factor (decode time / audio time).
// The commands are two sentences from each built-in intent (the first and a middle expansion,
// slots filled), so the grammar knows them; the figures say nothing about speech no intent
// expects except through the fallback count.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "audio/tts_engine.h"
#include "intent/template_engine.h"
#include "listener/audio_source.h"
#include "listener/stt.h"
#include "listener/wake_word.h"
#include "skills/template.h"

namespace {

namespace fs = std::filesystem;
using hark::listener::kSampleRate;
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

const char* kNotWake[] = {"hey microsoft",
                          "my craft",
                          "hey my car is outside",
                          "microphone check one two",
                          "my crops are growing",
                          "hey mike how are you",
                          "the witchcraft museum is open",
                          "I bought my kraft dinner",
                          "what time is it",
                          "set a timer for five minutes",
                          "the weather is nice today",
                          "please turn the lights off",
                          "my computer crashed again",
                          "I like microwave popcorn"};

struct Command {
  std::string text;
  std::string intent;
};

std::vector<std::string> words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::size_t edit_distance(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
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

int wakes(hark::listener::WakeWordSpotter& spotter, const Samples& audio) {
  spotter.reset();
  int found = 0;
  for (std::size_t at = 0; at < audio.size(); at += 1024) {
    std::span<const std::int16_t> block(audio.data() + at,
                                        std::min<std::size_t>(1024, audio.size() - at));
    if (spotter.feed(block)) ++found;
  }
  return found;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("voice_bench: wake word and speech to text on generated speech");
  std::vector<double> thresholds{1e-30};
  std::string spot;
  double min_grammar_score = -40;
  app.add_option("--threshold", thresholds, "kws_threshold values to compare");
  app.add_option("--spot", spot, "words spotted (default: mycroft)");
  app.add_option("--min-grammar-score", min_grammar_score, "listener.min_grammar_score");
  std::vector<std::string> extra;
  app.add_option("--extra-word", extra, "WORD=PHONES added to the dictionary (repeatable)");
  bool wake_only = false;
  app.add_flag("--wake-only", wake_only, "measure the wake word only");
  CLI11_PARSE(app, argc, argv);

  hark::listener::IntentSamples samples;
  for (const auto& file : fs::recursive_directory_iterator(HARK_BUILTIN_SKILLS_DIR)) {
    auto path = file.path();
    if (path.extension() != ".intent" || path.parent_path().filename() != "en-us") continue;
    auto skill = path.parent_path().parent_path().parent_path().filename().string();
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty() && line[0] != '#') {
        samples.intents[skill + ":" + path.filename().string()].push_back(line);
      }
    }
  }
  hark::intent::TemplateEngine intents;
  std::vector<Command> commands;
  auto fill = [](std::string_view slot) -> std::optional<std::string> {
    if (slot == "duration") return "five minutes";
    if (slot == "level") return "fifty";
    return "pasta";
  };
  for (const auto& [name, lines] : samples.intents) {
    intents.register_intent("en-us", name, lines);
    std::vector<std::string> all;
    for (const auto& line : lines) {
      auto expanded =
          hark::skills::expand_template(line, hark::skills::Direction::input, {.vocabulary = {}, .slot_value = fill});
      if (expanded.ok()) all.insert(all.end(), expanded.value->begin(), expanded.value->end());
    }
    if (all.empty()) continue;
    commands.push_back({all.front(), name});
    if (all.size() > 2) commands.push_back({all[all.size() / 2], name});
  }
  intents.train();

  fmt::print("{} intents, {} commands, {} voices\n", samples.intents.size(), commands.size(),
             std::size(kVoices));
  struct Spoken {
    Samples wake_and_command;
    Samples command;
    std::string text;
    std::string intent;
  };
  std::vector<Spoken> spoken;
  std::vector<Samples> not_wake;
  double not_wake_seconds = 0;
  for (const auto& voice : kVoices) {
    auto engine = voice.engine == "flite" ? hark::audio::make_flite_engine(voice.name)
                                          : hark::audio::make_espeak_engine(voice.name);
    auto say = [&](const std::string& text) {
      auto pcm = engine->synthesize(text);
      return hark::listener::resample_to_16k(pcm.samples, pcm.sample_rate);
    };
    auto hey = say("hey mycroft");
    for (const auto& c : commands) {
      auto alone = join({silence(0.2), say(c.text), silence(0.5)});
      spoken.push_back({join({silence(0.3), hey, silence(0.3), alone}), alone, c.text, c.intent});
    }
    for (const char* phrase : kNotWake) {
      not_wake.push_back(join({silence(0.3), say(phrase), silence(0.5)}));
      not_wake_seconds += seconds(not_wake.back());
    }
  }

  hark::listener::DecoderOptions decoder{.extra_words = {{"mycroft", "M AY K R AO F T"}}};
  for (const auto& e : extra) {
    auto eq = e.find('=');
    if (eq != std::string::npos) decoder.extra_words[e.substr(0, eq)] = e.substr(eq + 1);
  }
  fmt::print("\nwake word ({} trials, {:.1f} min of other speech)\n", spoken.size(),
             not_wake_seconds / 60);
  fmt::print("{:>10} {:>10} {:>12} {:>14}\n", "threshold", "detected", "false wakes",
             "false / hour");
  for (double threshold : thresholds) {
    hark::listener::WakeWordSpotter spotter(
        {.phrase = "hey mycroft", .spot = spot, .threshold = threshold}, decoder);
    int detected = 0;
    std::string per_voice;
    for (std::size_t v = 0; v < std::size(kVoices); ++v) {
      int here = 0;
      for (std::size_t c = 0; c < commands.size(); ++c) {
        here += wakes(spotter, spoken[v * commands.size() + c].wake_and_command) > 0;
      }
      per_voice += fmt::format(" {}:{}", kVoices[v].name, here);
      detected += here;
    }
    int false_wakes = 0;
    for (const auto& s : not_wake) false_wakes += wakes(spotter, s);
    fmt::print("{:>10g} {:>9.1f}% {:>12} {:>14.0f}   of {} per voice:{}\n", threshold,
               100.0 * detected / static_cast<double>(spoken.size()), false_wakes,
               false_wakes / (not_wake_seconds / 3600), commands.size(), per_voice);
  }

  if (wake_only) return 0;

  // The grammar alone, to choose min_grammar_score: how the scores of commands the grammar
  // knows and of speech it does not know (the phrases above that are no command) fall.
  {
    hark::listener::PocketsphinxStt grammar_only({.decoder = decoder, .lm_fallback = false});
    grammar_only.set_intents(samples);
    std::vector<double> known_scores, unknown_scores;
    for (const auto& s : spoken)
      known_scores.push_back(grammar_only.transcribe(s.command).score_per_frame);
    for (std::size_t i = 0; i < not_wake.size(); ++i) {
      std::string phrase = kNotWake[i % std::size(kNotWake)];
      bool is_command = false;
      for (const auto& c : commands) is_command = is_command || c.text == phrase;
      if (!is_command)
        unknown_scores.push_back(grammar_only.transcribe(not_wake[i]).score_per_frame);
    }
    fmt::print("\ngrammar scores per frame: {} commands, {} other phrases\n", known_scores.size(),
               unknown_scores.size());
    fmt::print("{:>10} {:>22} {:>24}\n", "min score", "commands falling back",
               "other phrases caught");
    for (double cut : {-30.0, -35.0, -40.0, -45.0, -50.0, -55.0}) {
      auto below = [&](const std::vector<double>& v) {
        return 100.0 *
               static_cast<double>(
                   std::count_if(v.begin(), v.end(), [&](double x) { return x < cut; })) /
               static_cast<double>(v.size());
      };
      fmt::print("{:>10.0f} {:>21.1f}% {:>23.1f}%\n", cut, below(known_scores),
                 below(unknown_scores));
    }
  }

  hark::listener::PocketsphinxStt stt({.decoder = decoder, .min_grammar_score = min_grammar_score});
  auto grammar = stt.set_intents(samples);
  fmt::print("\nspeech to text: grammar of {} sentences ({} left out)\n", grammar.sentences,
             grammar.dropped);
  std::size_t exact = 0, right_intent = 0, fallbacks = 0, errors = 0, reference_words = 0;
  double audio_seconds = 0, decode_seconds = 0;
  for (const auto& s : spoken) {
    auto started = std::chrono::steady_clock::now();
    auto t = stt.transcribe(s.command);
    decode_seconds +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    audio_seconds += seconds(s.command);
    exact += t.text == s.text;
    fallbacks += t.search == "lm";
    errors += edit_distance(words(s.text), words(t.text));
    reference_words += words(s.text).size();
    auto match = intents.match(t.text, "en-us");
    right_intent += match && match->intent == s.intent;
    if (t.text != s.text) {
      fmt::print("  '{}' heard as '{}' ({}, {:.1f})\n", s.text, t.text, t.search,
                 t.score_per_frame);
    }
  }
  auto n = static_cast<double>(spoken.size());
  fmt::print("exact {:.1f}%  WER {:.1f}%  right intent {:.1f}%  LM fallbacks {}  RTF {:.3f}\n",
             100 * exact / n, 100.0 * errors / static_cast<double>(reference_words),
             100 * right_intent / n, fallbacks, decode_seconds / audio_seconds);
  fmt::print("targets: detection >= 95%, <= 1 false wake/hour, WER <= 15%, RTF <= 0.1\n");
}
