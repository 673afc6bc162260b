// The mycroft.conf keys `hark phal` reads: the `hark.phal` section plus log_level.
#pragma once

#include <chrono>
#include <span>
#include <string>
#include <vector>

#include "config/settings.h"
#include "phal/connectivity.h"

namespace hark::phal {

std::span<const config::Setting> settings();
std::vector<std::string> validate(const Json& config);

struct PhalSettings {
  std::string pulse_server;  // empty: PULSE_SERVER or libpulse's default
  double volume_step;        // what increase/decrease change without a percent
  std::string volume_sound;  // played after a change asked with play_sound
  std::string log_level;
  // ovos.PHAL.internet_check: TCP connections that mean "internet" (none: never connected),
  // each given `internet_timeout`; checked every `internet_interval` (zero: only when asked).
  std::vector<HostPort> internet_hosts;
  std::chrono::milliseconds internet_timeout;
  std::chrono::milliseconds internet_interval;

  static PhalSettings from(const Json& config);
};

}  // namespace hark::phal
