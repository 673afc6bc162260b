// The JSON type Hark uses wherever a message or configuration is built or changed.
// ordered_json keeps keys in the order they arrived, so a message parsed and written back
// reads the same as the one that was sent.
#pragma once

#include <nlohmann/json.hpp>

namespace hark {

using Json = nlohmann::ordered_json;

// Compact UTF-8 text; invalid UTF-8 in strings is replaced rather than thrown on, because a
// message built from outside input must always be writable.
std::string json_dump(const Json& value);

}  // namespace hark
