#include "phal/settings.h"

#include <fmt/format.h>

#include <cmath>

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
    {"hark.phal.internet_check.hosts", Type::StringList,
     "host:port the internet check connects to (TCP); empty: no check, nothing leaves the "
     "device, and the internet counts as not connected"},
    {"hark.phal.internet_check.timeout", Type::Number,
     "seconds each internet check connection may take", 0.05, 30},
    {"hark.phal.internet_check.interval", Type::Number,
     "seconds between checks that announce changes (mycroft.internet.connected, ...); 0: only "
     "when asked (ovos.PHAL.internet_check)",
     0, 86400},
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
  auto problems = config::validate(config, kSettings);
  if (!problems.empty()) return problems;
  for (const auto& host : get<std::vector<std::string>>(config, "hark.phal.internet_check.hosts")) {
    try {
      parse_host_port(host);
    } catch (const std::invalid_argument& e) {
      problems.push_back(fmt::format("hark.phal.internet_check.hosts: {}", e.what()));
    }
  }
  return problems;
}

PhalSettings PhalSettings::from(const Json& config) {
  auto seconds = [&](std::string_view path) {
    return std::chrono::milliseconds(std::lround(get<double>(config, path) * 1000));
  };
  PhalSettings s{get<std::string>(config, "hark.phal.pulse_server"),
                 get<double>(config, "hark.phal.volume_step"),
                 get<std::string>(config, "hark.phal.volume_sound"),
                 get<std::string>(config, "log_level"),
                 {},
                 seconds("hark.phal.internet_check.timeout"),
                 seconds("hark.phal.internet_check.interval")};
  for (const auto& host : get<std::vector<std::string>>(config, "hark.phal.internet_check.hosts")) {
    s.internet_hosts.push_back(parse_host_port(host));
  }
  return s;
}

}  // namespace hark::phal
