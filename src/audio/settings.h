// The mycroft.conf keys `hark audio` reads: the `tts` section (engine and voice, as OVOS names
// them) and Hark's `audio` section (output, cache).
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "audio/tts_engine.h"
#include "config/settings.h"

namespace hark::audio {

std::span<const config::Setting> settings();

// The table's checks plus those across keys: a known tts.module, a voice the engine has (for
// engines with a fixed list), an audio.output of the right shape.
std::vector<std::string> validate(const Json& config);

// The values, read from a configuration that validate() accepted.
struct AudioSettings {
  EngineChoice engine;
  // Empty: play through PulseAudio; otherwise write one WAV file per answer into this folder.
  std::filesystem::path wav_dir;
  std::string device;
  int latency_ms;
  std::filesystem::path cache_dir;
  std::uintmax_t cache_max_bytes;
  std::string log_level;

  static AudioSettings from(const Json& config);
};

}  // namespace hark::audio
