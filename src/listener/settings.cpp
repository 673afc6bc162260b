#include "listener/settings.h"

#include <fmt/format.h>

#include <cstdlib>

#include "config/config.h"
#include "listener/http_url.h"

namespace hark::listener {
namespace {

using config::Apply;
using config::Setting;
using config::Type;

// pocketsphinx's kws_threshold below this underflows its log table.
constexpr double kLowestThreshold = 1e-100;
// listener.min_fit's lowest value turns the check off.
constexpr double kNoFitCheck = -1000;

constexpr Setting kSettings[] = {
    {"lang", Type::String, "language of the utterances sent (en-US)", 2, 16},
    {"listener.device", Type::String,
     "PulseAudio source to record (PULSE_SERVER is honoured); empty: the default source", 0, 255,
     Apply::Restart},
    {"listener.model_dir", Type::String,
     "pocketsphinx model folder (en-us/, en-us.lm.bin, cmudict-en-us.dict)", 1, 4096},
    {"listener.extra_words", Type::Object,
     "words the pronunciation dictionary lacks, with CMU phones: {\"mycroft\": \"M AY K R AO F "
     "T\"}"},
    {"listener.wake_word", Type::String, "what wakes the assistant (key_phrase)", 1, 255},
    {"listener.wake_word_spot", Type::String,
     "the words pocketsphinx spots; empty: the wake word's last word (\"mycroft\")", 0, 255},
    {"listener.wake_word_threshold", Type::Number,
     "pocketsphinx kws_threshold: smaller wakes more easily and falsely more often",
     kLowestThreshold, 1},
    {"listener.wake_word_lead_threshold", Type::Number,
     "kws_threshold of the wake word's words before the spotted ones (\"hey\"), which must be "
     "heard too, ending at most 0.4 s before; 0: not required",
     0, 1},
    {"listener.wake_word_check", Type::Boolean,
     "decode each wake word again with words that sound like it and everyday words, and wake "
     "only when the wake word is what fits best"},
    {"listener.wake_word_max_check_gap", Type::Number,
     "how much worse per 10 ms than the best words the wake word may score in that check; "
     "larger wakes more easily (below 0: the wake word's own two words cost less than others)",
     -50, 50},
    {"listener.wake_word_templates", Type::String,
     "folder of WAV recordings of the wake word; with one, a wake word must also sound like one "
     "of them (e.g. <records_dir>/wake_words); empty: none",
     0, 4096},
    {"listener.wake_word_max_distance", Type::Number,
     "how unlike its nearest recording a wake word may sound (0 the same, 1 unrelated)", 0, 2},
    {"listener.learn_wake_word", Type::Boolean,
     "learn the wake word from the user's own: each whose command the intents' model understood "
     "is kept (the last 20, in <records_dir>/learned_wake_words); once 3 are, a wake word must "
     "also sound like one of them, or be said again within 6 s"},
    {"listener.wake_word_max_learned_distance", Type::Number,
     "how unlike its nearest learnt wake word a wake word may sound (0 the same, 1 unrelated)", 0,
     2},
    {"listener.wake_word_said_again", Type::Boolean,
     "a wake word unlike the learnt ones wakes the listener when said again alike within 6 s (a "
     "voice not learnt yet); false: only the voices learnt or enrolled (hark enroll) wake it"},
    {"listener.silence_end", Type::Number, "seconds of silence that end a command", 0.1, 10},
    {"listener.complete_silence_end", Type::Number,
     "seconds of silence that end a command whose words so far end as one of the intents' "
     "sentences ends (pocketsphinx speech to text only; at silence_end or above: never sooner)",
     0.1, 10},
    {"listener.recording_timeout", Type::Number, "longest command, in seconds", 1, 60},
    {"listener.recording_timeout_with_silence", Type::Number,
     "seconds to wait for speech after the wake word before giving up", 0.5, 60},
    {"listener.min_rms", Type::Number,
     "level (RMS of 32768) below which audio is silence whatever the VAD says", 0, 32768},
    {"listener.intent_language_model", Type::Boolean,
     "hear commands with a trigram model of the intents' sentences and everyday words (false: "
     "only the sentences themselves, exactly)"},
    {"listener.everyday_weight", Type::Number,
     "share of the trigram model's unigrams spread over everyday words (please, could, ...)", 0, 1},
    {"listener.min_fit", Type::Number,
     "results of the intents' model whose score minus a free phone loop's (per 10 ms) is below "
     "this are dropped as speech no intent expects (not the intents' sentences heard word for "
     "word by the trigram model); larger drops more; -1000: no check",
     kNoFitCheck, 1000},
    {"listener.min_grammar_score", Type::Number,
     "intent model results scoring below this (per 10 ms) use the general language model instead",
     -1000, 0},
    {"listener.lm_fallback", Type::Boolean,
     "use the general language model for speech no intent grammar fits (slower)"},
    {"listener.speaker_adaptation", Type::Boolean,
     "adapt the acoustic model to the voices heard, from each command the intents' model heard "
     "(kept in <records_dir>/speaker_adaptation.txt)"},
    {"listener.adaptation_prior", Type::Number,
     "10 ms frames of speech the unadapted model weighs against the speaker's; larger adapts "
     "more slowly",
     0, 1e6},
    {"listener.adaptation_map_prior", Type::Number,
     "10 ms frames each of the model's sounds, once transformed, weighs against the frames of "
     "speech it scored (MAP); 0: the transform alone",
     0, 1e6},
    {"listener.record_wake_words", Type::Boolean,
     "save each wake word as a WAV file in <records_dir>/wake_words"},
    {"listener.save_utterances", Type::Boolean,
     "save each command as a WAV file in <records_dir>/utterances"},
    {"listener.records_dir", Type::String,
     "where saved audio and what the listener learnt go; empty: $XDG_DATA_HOME/hark/listener "
     "(~/.local/share/...)",
     0, 4096},
    {"stt.module", Type::String,
     "speech to text: ovos-stt-plugin-pocketsphinx (this machine) or ovos-stt-plugin-server (an "
     "OVOS STT server)",
     1, 255},
    {"stt.fallback_module", Type::String,
     "used when stt.module fails: empty (none) or ovos-stt-plugin-pocketsphinx", 0, 255},
    {"stt.ovos-stt-plugin-server.url", Type::String,
     "the OVOS STT server's endpoint, e.g. http://192.168.1.20:8080/stt", 0, 4096},
    {"stt.ovos-stt-plugin-server.urls", Type::StringList,
     "more servers' endpoints, tried in order after url"},
    {"stt.ovos-stt-plugin-server.timeout", Type::Number, "seconds each server has to answer", 0.1,
     600},
    {"stt.ovos-stt-plugin-server.verify_ssl", Type::Boolean,
     "check an https server's certificate and name (false: trust any; for tests only)"},
    {"log_level", Type::String, "DEBUG, INFO, WARNING, ERROR or CRITICAL", 1, 16},
};

// OVOS's plugin ids for the engines Hark has, and short names.
constexpr std::pair<std::string_view, bool> kSttModules[] = {
    {"ovos-stt-plugin-pocketsphinx", true},
    {"pocketsphinx", true},
    {"ovos-stt-plugin-server", false},
    {"server", false},
};

std::optional<bool> is_local_module(std::string_view module) {
  for (auto [name, local] : kSttModules) {
    if (name == module) return local;
  }
  return std::nullopt;
}

std::vector<std::string> server_urls(const Json& config) {
  std::vector<std::string> urls;
  if (const Json* url = config::find_path(config, "stt.ovos-stt-plugin-server.url");
      url && url->is_string() && !url->get<std::string>().empty()) {
    urls.push_back(url->get<std::string>());
  }
  if (const Json* more = config::find_path(config, "stt.ovos-stt-plugin-server.urls");
      more && more->is_array()) {
    for (const auto& url : *more) {
      if (url.is_string()) urls.push_back(url.get<std::string>());
    }
  }
  return urls;
}

void check_stt_modules(const Json& config, std::vector<std::string>& problems) {
  bool uses_server = false;
  for (std::string_view key : {"stt.module", "stt.fallback_module"}) {
    const Json* value = config::find_path(config, key);
    if (!value || !value->is_string()) continue;
    const auto module = value->get<std::string>();
    if (module.empty() && key == "stt.fallback_module") continue;
    auto local = is_local_module(module);
    if (!local) {
      problems.push_back(
          fmt::format("{}: Hark has no speech to text '{}' (ovos-stt-plugin-pocketsphinx or "
                      "ovos-stt-plugin-server)",
                      key, module));
    } else {
      uses_server = uses_server || !*local;
    }
  }
  if (!uses_server) return;
  const auto urls = server_urls(config);
  if (urls.empty()) {
    problems.push_back(
        "stt.ovos-stt-plugin-server.url: no STT server named (e.g. http://192.168.1.20:8080/stt)");
  }
  for (const auto& url : urls) {
    try {
      HttpUrl::parse(url);
    } catch (const std::invalid_argument& e) {
      problems.push_back(fmt::format("stt.ovos-stt-plugin-server.url: {}", e.what()));
    }
  }
}

template <class T>
T get(const Json& config, std::string_view path) {
  const Json* value = config::find_path(config, path);
  return value && !value->is_null() ? value->get<T>() : T{};
}

std::filesystem::path default_records_dir() {
  const char* data = std::getenv("XDG_DATA_HOME");
  if (data && *data) return std::filesystem::path(data) / "hark" / "listener";
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home ? home : "/tmp") / ".local/share/hark/listener";
}

}  // namespace

std::span<const config::Setting> settings() {
  return kSettings;
}

std::vector<std::string> validate(const Json& config) {
  auto problems = config::validate(config, kSettings);
  check_stt_modules(config, problems);
  if (const Json* lead = config::find_path(config, "listener.wake_word_lead_threshold");
      lead && lead->is_number() && lead->get<double>() > 0 &&
      lead->get<double>() < kLowestThreshold) {
    problems.push_back(fmt::format(
        "listener.wake_word_lead_threshold: {:g} is neither 0 (off) nor between {:g} and 1",
        lead->get<double>(), kLowestThreshold));
  }
  if (const Json* words = config::find_path(config, "listener.extra_words");
      words && words->is_object()) {
    for (const auto& [word, phones] : words->items()) {
      if (!phones.is_string() || phones.get<std::string>().empty()) {
        problems.push_back(fmt::format(
            "listener.extra_words.{}: must be a string of CMU phones, e.g. \"M AY K R AO F T\"",
            word));
      }
    }
  }
  return problems;
}

ListenerSettings ListenerSettings::from(const Json& config) {
  ListenerSettings s;
  s.lang = get<std::string>(config, "lang");
  s.device = get<std::string>(config, "listener.device");
  s.decoder.model_dir = get<std::string>(config, "listener.model_dir");
  if (const Json* words = config::find_path(config, "listener.extra_words");
      words && words->is_object()) {
    for (const auto& [word, phones] : words->items()) {
      s.decoder.extra_words[word] = phones.get<std::string>();
    }
  }
  s.wake.phrase = get<std::string>(config, "listener.wake_word");
  s.wake.spot = get<std::string>(config, "listener.wake_word_spot");
  s.wake.threshold = get<double>(config, "listener.wake_word_threshold");
  s.wake.lead_threshold = get<double>(config, "listener.wake_word_lead_threshold");
  s.wake.check = get<bool>(config, "listener.wake_word_check");
  s.wake.max_check_gap = get<double>(config, "listener.wake_word_max_check_gap");
  s.wake_word_templates = get<std::string>(config, "listener.wake_word_templates");
  s.wake.max_template_distance = get<double>(config, "listener.wake_word_max_distance");
  s.wake.max_learned_distance = get<double>(config, "listener.wake_word_max_learned_distance");
  s.wake.let_in_said_again = get<bool>(config, "listener.wake_word_said_again");
  s.endpointer.silence_seconds = get<double>(config, "listener.silence_end");
  s.endpointer.complete_silence_seconds = get<double>(config, "listener.complete_silence_end");
  s.endpointer.max_seconds = get<double>(config, "listener.recording_timeout");
  s.endpointer.no_speech_seconds = get<double>(config, "listener.recording_timeout_with_silence");
  s.endpointer.min_rms = get<double>(config, "listener.min_rms");
  s.intent_language_model = get<bool>(config, "listener.intent_language_model");
  s.everyday_weight = get<double>(config, "listener.everyday_weight");
  s.min_grammar_score = get<double>(config, "listener.min_grammar_score");
  if (double min_fit = get<double>(config, "listener.min_fit"); min_fit > kNoFitCheck) {
    s.min_fit = min_fit;
  }
  s.lm_fallback = get<bool>(config, "listener.lm_fallback");
  s.record_wake_words = get<bool>(config, "listener.record_wake_words");
  s.save_utterances = get<bool>(config, "listener.save_utterances");
  auto records = get<std::string>(config, "listener.records_dir");
  s.records_dir = records.empty() ? default_records_dir() : std::filesystem::path(records);
  s.wake_word_mean = s.records_dir / "wake_word_mean.txt";
  if (get<bool>(config, "listener.learn_wake_word")) {
    s.learned_wake_words = s.records_dir / "learned_wake_words";
  } else {
    s.wake.max_learned = 0;
  }
  if (get<bool>(config, "listener.speaker_adaptation")) {
    s.adaptation =
        AdaptationOptions{.file = s.records_dir / "speaker_adaptation.txt",
                          .prior_frames = get<double>(config, "listener.adaptation_prior"),
                          .map_prior_frames = get<double>(config, "listener.adaptation_map_prior")};
  }
  s.log_level = get<std::string>(config, "log_level");
  s.local_stt = is_local_module(get<std::string>(config, "stt.module")).value_or(true);
  s.fallback_local_stt = is_local_module(get<std::string>(config, "stt.fallback_module"));
  s.remote.urls = server_urls(config);
  s.remote.lang = s.lang;
  s.remote.timeout = std::chrono::milliseconds(
      static_cast<long>(1000 * get<double>(config, "stt.ovos-stt-plugin-server.timeout")));
  s.remote.verify_ssl = get<bool>(config, "stt.ovos-stt-plugin-server.verify_ssl");
  return s;
}

}  // namespace hark::listener
