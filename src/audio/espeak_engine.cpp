// espeak-ng through libespeak-ng. The library keeps one global synthesizer, so every call holds
// one process-wide lock, and the voice is selected again on each call in case another engine
// object (after a configuration change) picked a different one.
#include <espeak-ng/speak_lib.h>
#include <fmt/format.h>

#include <cstring>
#include <mutex>

#include "audio/tts_engine.h"

namespace hark::audio {
namespace {

constexpr std::string_view kDefaultEspeakVoice = "en-us";

std::mutex& espeak_lock() {
  static std::mutex lock;
  return lock;
}

// espeak_Initialize may run once per process; it returns the output sample rate.
int espeak_sample_rate() {
  static const int rate = [] {
    int sample_rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, 0);
    if (sample_rate <= 0) {
      throw TtsError("espeak-ng failed to initialize (is espeak-ng-data installed?)");
    }
    espeak_SetSynthCallback([](short* wav, int count, espeak_EVENT* events) -> int {
      if (wav && count > 0) {
        auto* out = static_cast<std::vector<std::int16_t>*>(events->user_data);
        out->insert(out->end(), wav, wav + count);
      }
      return 0;
    });
    return sample_rate;
  }();
  return rate;
}

void select_voice(const std::string& voice) {
  if (espeak_SetVoiceByName(voice.c_str()) != EE_OK) {
    throw TtsError(fmt::format(
        "espeak-ng has no voice '{}' (try en-us, en, de, fr; `espeak-ng --voices` lists them)",
        voice));
  }
}

class EspeakEngine final : public TtsEngine {
 public:
  explicit EspeakEngine(std::string voice) : voice_(std::move(voice)) {
    std::lock_guard hold(espeak_lock());
    sample_rate_ = espeak_sample_rate();
    select_voice(voice_);
  }

  std::string_view name() const override { return "espeak-ng"; }
  const std::string& voice() const override { return voice_; }

  Pcm synthesize(std::string_view text) override {
    Pcm out;
    out.sample_rate = sample_rate_;
    std::string terminated(text);
    std::lock_guard hold(espeak_lock());
    select_voice(voice_);
    auto status = espeak_Synth(terminated.c_str(), terminated.size() + 1, 0, POS_CHARACTER, 0,
                               espeakCHARS_UTF8, nullptr, &out.samples);
    if (status != EE_OK || espeak_Synchronize() != EE_OK) {
      throw TtsError(fmt::format("espeak-ng failed to synthesize \"{}\"", text));
    }
    return out;
  }

 private:
  std::string voice_;
  int sample_rate_ = 0;
};

}  // namespace

std::unique_ptr<TtsEngine> make_espeak_engine(const std::string& voice) {
  return std::make_unique<EspeakEngine>(voice.empty() ? std::string(kDefaultEspeakVoice) : voice);
}

}  // namespace hark::audio
