// Finding where a setting is written in a mycroft.conf file, so that a bad value can be reported
// as "file:line:column: ..." like a parse error is.
#pragma once

#include <optional>
#include <string_view>

namespace hark::cli {

struct TextPosition {
  int line;    // 1-based
  int column;  // 1-based, in characters
};

// Where the key `dotted_path` ("websocket.port") is written in mycroft.conf text (JSON with
// whole-line // and # comments): the position of its opening quote. When the key appears more than
// once, the last one, which is the one parsing keeps.
std::optional<TextPosition> find_key(std::string_view text, std::string_view dotted_path);

}  // namespace hark::cli
