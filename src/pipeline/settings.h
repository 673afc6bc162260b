// The mycroft.conf keys `hark core` reads: the pipeline, its thresholds, blacklists, converse
// and what the built-in skills need (language, time zone, formats).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "config/settings.h"

namespace hark::pipeline {

std::span<const config::Setting> settings();
std::vector<std::string> validate(const Json& config);

}  // namespace hark::pipeline
