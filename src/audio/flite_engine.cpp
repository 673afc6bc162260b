// flite through libflite, with the US English voices Debian ships. flite's lexicon and voice
// registration use globals, so calls are serialized like espeak-ng's.
#include <dlfcn.h>
#include <flite/flite.h>
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <mutex>

#include "audio/tts_engine.h"

namespace hark::audio {
namespace {

constexpr std::string_view kDefaultFliteVoice = "slt";

std::mutex& flite_lock() {
  static std::mutex lock;
  return lock;
}

// A voice's library is opened when the voice is first asked for, not linked: each carries tens
// of thousands of relocations that a process would pay for at start whatever voice it speaks
// with, and an image may leave out the voices it does not use (deploy/Dockerfile).
cst_voice* register_voice(const std::string& voice) {
  const auto known = fixed_voices("flite");
  if (std::find(known.begin(), known.end(), voice) == known.end()) {
    throw TtsError(fmt::format("flite has no voice '{}' (slt, kal, kal16, rms or awb)", voice));
  }
  const auto library = fmt::format("libflite_cmu_us_{}.so.1", voice);
  void* opened = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!opened) {
    throw TtsError(fmt::format("flite's voice '{}' is not installed: {}", voice, dlerror()));
  }
  using Register = cst_voice* (*)(const char* voxdir);
  auto registration =
      reinterpret_cast<Register>(dlsym(opened, fmt::format("register_cmu_us_{}", voice).c_str()));
  cst_voice* handle = registration ? registration(nullptr) : nullptr;
  if (!handle) {
    dlclose(opened);
    throw TtsError(fmt::format("{} did not register flite's voice '{}'", library, voice));
  }
  return handle;
}

// Each voice is registered once and kept (its library too) until the process ends, as flite's
// own tools do; engines made again after a configuration change reuse it. Called with
// flite_lock() held.
cst_voice* load_voice(const std::string& voice) {
  static std::map<std::string, cst_voice*> loaded = [] {
    flite_init();
    return std::map<std::string, cst_voice*>();
  }();
  auto found = loaded.find(voice);
  if (found != loaded.end()) return found->second;
  return loaded.emplace(voice, register_voice(voice)).first->second;
}

class FliteEngine final : public TtsEngine {
 public:
  explicit FliteEngine(std::string voice) : voice_(std::move(voice)) {
    std::lock_guard hold(flite_lock());
    handle_ = load_voice(voice_);
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
  return std::make_unique<FliteEngine>(voice.empty() ? std::string(kDefaultFliteVoice) : voice);
}

}  // namespace hark::audio
