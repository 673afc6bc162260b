#include "cli/key_location.h"

#include <string>
#include <vector>

namespace hark::cli {
namespace {

TextPosition position_of(std::string_view text, std::size_t offset) {
  TextPosition position{1, 1};
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++position.line;
      position.column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {  // not a continuation byte
      ++position.column;
    }
  }
  return position;
}

std::size_t closing_quote(std::string_view text, std::size_t from) {
  for (std::size_t i = from; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      return i;
    }
  }
  return std::string_view::npos;
}

struct Container {
  bool is_object;
  std::string key;  // the object's latest key
};

// Keys inside arrays have no dotted path; "[]" makes sure they match none.
std::string path_of(const std::vector<Container>& open) {
  std::string path;
  for (const auto& container : open) {
    if (!path.empty()) path += '.';
    path += container.is_object ? container.key : "[]";
  }
  return path;
}

}  // namespace

std::optional<TextPosition> find_key(std::string_view text, std::string_view dotted_path) {
  std::optional<TextPosition> found;
  std::vector<Container> open;
  bool line_start = true;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\n') {
      line_start = true;
    } else if (line_start && (c == ' ' || c == '\t' || c == '\r')) {
      // still only indentation
    } else if (line_start && (c == '#' || text.substr(i, 2) == "//")) {
      i = text.find('\n', i);
      continue;
    } else {
      line_start = false;
      if (c == '{' || c == '[') {
        open.push_back({c == '{', ""});
      } else if ((c == '}' || c == ']') && !open.empty()) {
        open.pop_back();
      } else if (c == '"') {
        std::size_t end = closing_quote(text, i + 1);
        if (end == std::string_view::npos) break;
        std::size_t after = text.find_first_not_of(" \t\r\n", end + 1);
        if (after != std::string_view::npos && text[after] == ':' && !open.empty() &&
            open.back().is_object) {
          open.back().key = text.substr(i + 1, end - i - 1);
          if (path_of(open) == dotted_path) found = position_of(text, i);
        }
        i = end;
      }
    }
    ++i;
  }
  return found;
}

}  // namespace hark::cli
