// Settings tables: each service declares the mycroft.conf keys it reads, with type, bounds,
// whether a change applies live, and a line of help. One table serves validation (before a
// reloaded file is applied), `hark config describe`, and the service's own reading of values.
//
//   constexpr hark::config::Setting kBus[] = {
//     {"websocket.port", Type::Integer, "TCP port", 1, 65535, Apply::Restart},
//   };
//   auto problems = hark::config::validate(conf, kBus);   // empty when fine
#pragma once

#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"

namespace hark::config {

enum class Type { Boolean, Integer, Number, String, StringList, Object };

enum class Apply {
  Live,     // the service applies a change while running
  Restart,  // the service keeps the old value and says a restart is needed
};

struct Setting {
  std::string_view path;  // dotted, as in `hark config get`
  Type type;
  std::string_view help;
  double min = -std::numeric_limits<double>::infinity();  // numbers: bounds; strings: length
  double max = std::numeric_limits<double>::infinity();
  Apply apply = Apply::Live;
};

std::string_view type_name(Type type);

// Every problem found, each as "path: what is wrong (value given)". Absent keys are not
// problems: the built-in defaults define every key a service reads. A section replaced by
// something that is not an object ("websocket": 8181) is one, reported once.
std::vector<std::string> validate(const Json& config, std::span<const Setting> settings);

// The setting a problem names: the dotted path before its first ": ", as every validator writes
// them; empty when the problem names none.
std::string_view problem_path(std::string_view problem);

// Paths of the settings whose values differ between the two configurations.
std::vector<std::string_view> changed(const Json& before, const Json& after,
                                      std::span<const Setting> settings);

// A human-readable table: path, type, bounds, live or restart, help, current value.
std::string describe(const Json& config, std::span<const Setting> settings);

}  // namespace hark::config
