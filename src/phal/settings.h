// The mycroft.conf keys `hark phal` reads: the `hark.phal` section plus log_level.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "config/settings.h"

namespace hark::phal {

std::span<const config::Setting> settings();
std::vector<std::string> validate(const Json& config);

struct PhalSettings {
  std::string pulse_server;  // empty: PULSE_SERVER or libpulse's default
  double volume_step;        // what increase/decrease change without a percent
  std::string volume_sound;  // played after a change asked with play_sound
  std::string log_level;

  static PhalSettings from(const Json& config);
};

}  // namespace hark::phal
