#include "phal/settings.h"

#include "config/config.h"

namespace hark::phal {
namespace {

using config::Apply;
using config::Setting;
using config::Type;

constexpr Setting kSettings[] = {
    {"hark.phal.pulse_server", Type::String,
     "PulseAudio server whose default sink is the device volume; empty = PULSE_SERVER or the "
     "user's server",
     0, 4096, Apply::Restart},
    {"hark.phal.volume_step", Type::Number,
     "fraction mycroft.volume.increase/decrease change when the message gives none", 0.01, 1},
    {"hark.phal.volume_sound", Type::String,
     "sound played (mycroft.audio.play_sound) after a volume change asked with play_sound", 0,
     4096},
    {"log_level", Type::String, "DEBUG, INFO, WARNING, ERROR or CRITICAL", 1, 16},
};

template <class T>
T get(const Json& config, std::string_view path) {
  const Json* value = config::find_path(config, path);
  return value ? value->get<T>() : T{};
}

}  // namespace

std::span<const config::Setting> settings() {
  return kSettings;
}

std::vector<std::string> validate(const Json& config) {
  return config::validate(config, kSettings);
}

PhalSettings PhalSettings::from(const Json& config) {
  return {get<std::string>(config, "hark.phal.pulse_server"),
          get<double>(config, "hark.phal.volume_step"),
          get<std::string>(config, "hark.phal.volume_sound"),
          get<std::string>(config, "log_level")};
}

}  // namespace hark::phal
