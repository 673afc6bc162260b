// The settings tables of every Hark service this binary knows, for `hark config validate` and
// `hark config describe`. Each service declares its own table beside its code; this only lists
// them.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/settings.h"

namespace hark::cli {

struct ServiceSettings {
  std::string_view service;
  std::span<const config::Setting> settings;
  // The table's checks plus the service's checks across keys; each problem starts "path: ".
  std::vector<std::string> (*validate)(const Json& config);
};

std::span<const ServiceSettings> known_settings();

}  // namespace hark::cli
