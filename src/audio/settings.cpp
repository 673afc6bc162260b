#include "audio/settings.h"

#include <fmt/format.h>

#include <algorithm>

#include "config/config.h"

namespace hark::audio {
namespace {

using config::Apply;
using config::Setting;
using config::Type;

constexpr std::string_view kWavPrefix = "wav:";

constexpr Setting kSettings[] = {
    {"tts.module", Type::String,
     "TTS engine: ovos-tts-plugin-espeakng (espeak-ng) or ovos-tts-plugin-mimic (flite); the "
     "short names espeak-ng and flite work too. Its voice is tts.<module>.voice",
     1, 255},
    {"tts.ovos-tts-plugin-espeakng.voice", Type::String,
     "espeak-ng voice, e.g. en-us, en, de, en-us+f3 (`espeak-ng --voices`)", 0, 255},
    {"tts.ovos-tts-plugin-mimic.voice", Type::String, "flite voice: slt, kal, kal16, rms or awb", 0,
     255},
    {"audio.output", Type::String,
     "\"pulse\" (PulseAudio; PULSE_SERVER is honoured) or \"wav:<folder>\" (one WAV file per "
     "answer)",
     1, 4096, Apply::Restart},
    {"audio.device", Type::String, "PulseAudio sink to play on; empty: the default sink", 0, 255,
     Apply::Restart},
    {"audio.latency_ms", Type::Integer,
     "audio waiting in PulseAudio; lower stops faster, higher survives a busy CPU", 10, 1000,
     Apply::Restart},
    {"audio.cache_dir", Type::String,
     "TTS cache folder; empty: $XDG_CACHE_HOME/hark/tts (~/.cache/hark/tts)", 0, 4096,
     Apply::Restart},
    {"audio.cache_max_mb", Type::Number,
     "TTS cache size in MiB; least recently used sentences go first; 0 disables it", 0, 1048576,
     Apply::Restart},
};

template <class T>
T get(const Json& config, std::string_view path, T fallback = T{}) {
  const Json* value = config::find_path(config, path);
  return value && !value->is_null() ? value->get<T>() : fallback;
}

std::string voice_key(const std::string& module) {
  return fmt::format("tts.{}.voice", module);
}

}  // namespace

std::span<const config::Setting> settings() {
  return kSettings;
}

std::vector<std::string> validate(const Json& config) {
  auto problems = config::validate(config, kSettings);
  if (!problems.empty()) return problems;
  auto module = get<std::string>(config, "tts.module");
  auto engine = engine_for_module(module);
  if (engine.empty()) {
    problems.push_back(
        fmt::format("tts.module: unknown TTS module '{}' (known: {})", module, known_modules()));
  }
  const Json* voice = config::find_path(config, voice_key(module));
  if (voice && !voice->is_string()) {
    problems.push_back(fmt::format("{}: must be a string", voice_key(module)));
  } else if (voice && !engine.empty()) {
    auto voices = fixed_voices(engine);
    auto name = voice->get<std::string>();
    if (!voices.empty() && !name.empty() &&
        std::find(voices.begin(), voices.end(), name) == voices.end()) {
      problems.push_back(fmt::format("{}: {} has no voice '{}'", voice_key(module), engine, name));
    }
  }
  auto output = get<std::string>(config, "audio.output");
  if (output != "pulse" && !(output.starts_with(kWavPrefix) && output.size() > kWavPrefix.size())) {
    problems.push_back(
        fmt::format("audio.output: '{}' is neither \"pulse\" nor \"wav:<folder>\"", output));
  }
  return problems;
}

AudioSettings AudioSettings::from(const Json& config) {
  AudioSettings s;
  s.engine.module = get<std::string>(config, "tts.module");
  s.engine.voice = get<std::string>(config, voice_key(s.engine.module));
  auto output = get<std::string>(config, "audio.output");
  if (output.starts_with(kWavPrefix)) s.wav_dir = output.substr(kWavPrefix.size());
  s.device = get<std::string>(config, "audio.device");
  s.latency_ms = get<int>(config, "audio.latency_ms", 40);
  auto cache_dir = get<std::string>(config, "audio.cache_dir");
  s.cache_dir = cache_dir.empty() ? config::user_cache_dir() / "hark" / "tts"
                                  : std::filesystem::path(cache_dir);
  s.cache_max_bytes =
      static_cast<std::uintmax_t>(get<double>(config, "audio.cache_max_mb") * 1024 * 1024);
  s.log_level = get<std::string>(config, "log_level", "INFO");
  return s;
}

}  // namespace hark::audio
