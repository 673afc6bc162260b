#include "audio/tts_engine.h"


#include <array>
#include <utility>

namespace hark::audio {
namespace {

constexpr std::pair<std::string_view, std::string_view> kModules[] = {
    {"ovos-tts-plugin-espeakng", "espeak-ng"},
    {"espeak-ng", "espeak-ng"},
    {"espeakng", "espeak-ng"},
    {"espeak", "espeak-ng"},
    {"ovos-tts-plugin-mimic", "flite"},
    {"mimic", "flite"},
    {"flite", "flite"},
};

// The voices Debian's flite ships as libflite_cmu_us_<voice>.
constexpr std::string_view kFliteVoices[] = {"slt", "kal", "kal16", "rms", "awb"};

}  // namespace

std::string_view engine_for_module(std::string_view module) {
  for (auto [name, engine] : kModules) {
    if (name == module) return engine;
  }
  return {};
}

std::string known_modules() {
  std::string list;
  for (auto [name, engine] : kModules) {
    if (!list.empty()) list += ", ";
    list += name;
  }
  return list;
}

std::span<const std::string_view> fixed_voices(std::string_view engine) {
  if (engine == "flite") return kFliteVoices;
  return {};
}

}  // namespace hark::audio
