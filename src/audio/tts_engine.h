// Text-to-speech engines: text in, 16-bit mono PCM out. They know nothing of the bus, so each is
// tested alone; the audio service picks one from mycroft.conf.
//
//   auto engine = hark::audio::make_engine({.module = "ovos-tts-plugin-espeakng", .voice =
//   "en-us"}); hark::audio::Pcm speech = engine->synthesize("Hello there.");   // throws TtsError
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace hark::audio {

// Mono signed 16-bit samples at `sample_rate` Hz.
struct Pcm {
  std::vector<std::int16_t> samples;
  int sample_rate = 0;

  double seconds() const {
    return sample_rate > 0 ? static_cast<double>(samples.size()) / sample_rate : 0.0;
  }
};

// A configuration or synthesis problem; the message names the mycroft.conf key when one is to
// blame.
class TtsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class TtsEngine {
 public:
  virtual ~TtsEngine() = default;
  // Short engine name ("espeak-ng", "flite"), a folder name in the TTS cache.
  virtual std::string_view name() const = 0;
  virtual const std::string& voice() const = 0;
  // Thread-safe: engines whose library is not re-entrant serialize calls themselves.
  virtual Pcm synthesize(std::string_view text) = 0;
};

// What mycroft.conf asks for: `module` is tts.module, an OVOS plugin id or a short name;
// `voice` is tts.<module>.voice.
struct EngineChoice {
  std::string module{};
  std::string voice{};  // empty: the engine's default voice
};

// The short engine name for an OVOS module name ("ovos-tts-plugin-mimic" -> "flite"); empty when
// unknown.
std::string_view engine_for_module(std::string_view module);
// The module names accepted, for error messages and `hark config describe`.
std::string known_modules();
// The voices an engine offers, when it has a fixed list (flite); empty otherwise.
std::span<const std::string_view> fixed_voices(std::string_view engine);

// Loads the engine and voice; throws TtsError naming tts.module or tts.<module>.voice.
std::unique_ptr<TtsEngine> make_engine(const EngineChoice& choice);

// Each throws TtsError when the voice does not exist.
std::unique_ptr<TtsEngine> make_espeak_engine(const std::string& voice);
std::unique_ptr<TtsEngine> make_flite_engine(const std::string& voice);

}  // namespace hark::audio
