// flite through libflite, with the US English voices Debian ships. flite's lexicon and voice
// registration use globals, so calls are serialized like espeak-ng's.
#include <flite/flite.h>
#include <fmt/format.h>

#include <map>
#include <mutex>

#include "audio/tts_engine.h"

extern "C" {
cst_voice* register_cmu_us_slt(const char* voxdir);
cst_voice* register_cmu_us_kal(const char* voxdir);
cst_voice* register_cmu_us_kal16(const char* voxdir);
cst_voice* register_cmu_us_rms(const char* voxdir);
cst_voice* register_cmu_us_awb(const char* voxdir);
}

namespace hark::audio {
namespace {

constexpr std::string_view kDefaultVoice = "slt";

std::mutex& flite_lock() {
  static std::mutex lock;
  return lock;
}

cst_voice* register_voice(std::string_view voice) {
  if (voice == "slt") return register_cmu_us_slt(nullptr);
  if (voice == "kal") return register_cmu_us_kal(nullptr);
  if (voice == "kal16") return register_cmu_us_kal16(nullptr);
  if (voice == "rms") return register_cmu_us_rms(nullptr);
  if (voice == "awb") return register_cmu_us_awb(nullptr);
  return nullptr;
}

// Each voice is registered once and kept until the process ends, as flite's own tools do;
// engines made again after a configuration change reuse it. Called with flite_lock() held.
cst_voice* load_voice(const std::string& voice) {
  static std::map<std::string, cst_voice*> loaded = [] {
    flite_init();
    return std::map<std::string, cst_voice*>();
  }();
  auto found = loaded.find(voice);
  if (found != loaded.end()) return found->second;
  cst_voice* handle = register_voice(voice);
  if (handle) loaded.emplace(voice, handle);
  return handle;
}

class FliteEngine final : public TtsEngine {
 public:
  explicit FliteEngine(std::string voice) : voice_(std::move(voice)) {
    std::lock_guard hold(flite_lock());
    handle_ = load_voice(voice_);
    if (!handle_) {
      throw TtsError(fmt::format("flite has no voice '{}' (slt, kal, kal16, rms or awb)", voice_));
    }
  }

  std::string_view name() const override { return "flite"; }
  const std::string& voice() const override { return voice_; }

  Pcm synthesize(std::string_view text) override {
    std::string terminated(text);
    std::lock_guard hold(flite_lock());
    cst_wave* wave = flite_text_to_wave(terminated.c_str(), handle_);
    if (!wave) throw TtsError(fmt::format("flite failed to synthesize \"{}\"", text));
    Pcm out;
    out.sample_rate = wave->sample_rate;
    // Debian's voices are mono; keep the first channel should one ever not be.
    int channels = wave->num_channels > 0 ? wave->num_channels : 1;
    out.samples.reserve(static_cast<std::size_t>(wave->num_samples));
    for (int i = 0; i < wave->num_samples; ++i) out.samples.push_back(wave->samples[i * channels]);
    delete_wave(wave);
    return out;
  }

 private:
  std::string voice_;
  cst_voice* handle_ = nullptr;
};

}  // namespace

std::unique_ptr<TtsEngine> make_flite_engine(const std::string& voice) {
  return std::make_unique<FliteEngine>(voice.empty() ? std::string(kDefaultVoice) : voice);
}

}  // namespace hark::audio
