// The mycroft.conf keys `hark listener` reads: the `listener` section (OVOS's names where OVOS
// has the same setting: record_wake_words, save_utterances, recording_timeout, ...).
#pragma once

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "config/settings.h"
#include "listener/decoder.h"
#include "listener/endpointer.h"
#include "listener/remote_stt.h"
#include "listener/stt.h"
#include "listener/wake_word.h"

namespace hark::listener {

std::span<const config::Setting> settings();

// The table's checks plus listener.extra_words's shape (word -> phones).
std::vector<std::string> validate(const Json& config);

struct ListenerSettings {
  std::string lang;
  std::string device;  // PulseAudio source; empty: the default one
  DecoderOptions decoder;
  WakeWordOptions wake;  // without its templates: load_engines() reads wake_word_templates
  std::filesystem::path wake_word_templates;  // empty: none
  // Where the wake words learnt are kept (listener.learn_wake_word); empty: not kept.
  std::filesystem::path learned_wake_words;
  // Where the spotter's cepstral mean is kept across restarts (WakeWordSpotter::normalization);
  // empty: not kept.
  std::filesystem::path wake_word_mean;
  EndpointerOptions endpointer;
  bool intent_language_model = true;
  double everyday_weight = 0;
  double min_grammar_score = 0;
  std::optional<double> min_fit;  // none: no fit check
  bool lm_fallback = true;
  std::optional<AdaptationOptions> adaptation;  // none: the model as it is
  // stt.module and stt.fallback_module: true for this machine's pocketsphinx, false for the
  // OVOS STT server of `remote`.
  bool local_stt = true;
  std::optional<bool> fallback_local_stt;  // none: no fallback
  RemoteSttOptions remote;
  bool record_wake_words = false;
  bool save_utterances = false;
  std::filesystem::path records_dir;
  std::string log_level;

  static ListenerSettings from(const Json& config);
};

}  // namespace hark::listener
