#include "config/config.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/files.h"

namespace hark::config {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string describe(std::string_view origin, int line, int column, std::string_view what) {
  if (line <= 0) return fmt::format("{}: {}", origin, what);
  if (column <= 0) return fmt::format("{}:{}: {}", origin, line, what);
  return fmt::format("{}:{}:{}: {}", origin, line, column, what);
}

// Blanks out whole-line comments with spaces so that byte offsets, and with them the line and
// column of a later parse error, still point into the original text.
std::string blank_comment_lines(std::string_view text) {
  std::string out(text);
  std::size_t start = 0;
  while (start < out.size()) {
    std::size_t end = out.find('\n', start);
    if (end == std::string::npos) end = out.size();
    std::size_t first = out.find_first_not_of(" \t\r", start);
    if (first < end && (out[first] == '#' || out.compare(first, 2, "//") == 0)) {
      std::fill(out.begin() + static_cast<std::ptrdiff_t>(first),
                out.begin() + static_cast<std::ptrdiff_t>(end), ' ');
    }
    start = end + 1;
  }
  return out;
}

// The column counts characters, not bytes, as an editor shows it: UTF-8 continuation bytes
// (10xxxxxx) do not start a character.
std::pair<int, int> line_and_column(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  int line = 1;
  int column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++column;
    }
  }
  return {line, column};
}

// The first character of the token whose last character is at `last`. The parser objects to an
// unexpected token only once it has read all of it ("port": 1 "host" ...), but a person looks
// for where it starts.
std::size_t token_start(std::string_view text, std::size_t last) {
  if (last >= text.size()) return last;
  std::size_t i = last;
  if (text[i] == '"') {
    // Back to the opening quote: every quote inside a string is escaped.
    while (i > 0) {
      --i;
      std::size_t backslashes = 0;
      while (backslashes < i && text[i - 1 - backslashes] == '\\') ++backslashes;
      if (text[i] == '"' && backslashes % 2 == 0) break;
    }
    return i;
  }
  auto in_literal = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
  };
  if (in_literal(text[i])) {
    while (i > 0 && in_literal(text[i - 1])) --i;
  }
  return i;
}

std::string env_or(const char* name, std::string_view fallback) {
  const char* value = std::getenv(name);
  return value && *value ? std::string(value) : std::string(fallback);
}

// JSON when it parses, otherwise the text itself. A setting that is a string stays one: a token
// such as 12345 must not turn into a number and then fail validation.
Json parse_value(std::string_view text, const Json* existing) {
  Json value = Json::parse(text, nullptr, false);
  if (value.is_discarded() || (existing && existing->is_string() && !value.is_string())) {
    return Json(std::string(text));
  }
  return value;
}

// Walks `path` (already split), creating objects as needed; key spelling taken from `existing`
// when one matches case-insensitively.
void assign(Json& config, const std::vector<std::string>& path, std::string_view value,
            const Json* existing) {
  Json* node = &config;
  for (std::size_t i = 0; i < path.size(); ++i) {
    std::string key = lower(path[i]);
    const Json* match = nullptr;
    if (existing && existing->is_object()) {
      for (const auto& [name, child] : existing->items()) {
        if (lower(name) == key) {
          key = name;
          match = &child;
          break;
        }
      }
    }
    existing = match;
    if (!node->is_object()) *node = Json::object();
    if (i + 1 == path.size()) {
      (*node)[key] = parse_value(value, match);
    } else {
      node = &(*node)[key];
    }
  }
}

std::vector<std::string> split(std::string_view text, std::string_view separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t end = text.find(separator, start);
    parts.emplace_back(text.substr(start, end - start));
    if (end == std::string_view::npos) break;
    start = end + separator.size();
  }
  return parts;
}

}  // namespace

ConfigError::ConfigError(std::string origin, int line, int column, const std::string& what)
    : std::runtime_error(describe(origin, line, column, what)),
      origin_(std::move(origin)),
      line_(line),
      column_(column),
      reason_(what) {}

Json parse_text(std::string_view text, std::string_view origin) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::string cleaned = blank_comment_lines(text);
  Json value;
  try {
    value = Json::parse(cleaned);
  } catch (const Json::parse_error& e) {
    // nlohmann counts the offending character as read: byte is one past where it went wrong.
    std::size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    std::string reason = e.what();
    if (reason.find("- unexpected ") != std::string::npos) offset = token_start(cleaned, offset);
    if (auto pos = reason.find("syntax error while parsing value - "); pos != std::string::npos) {
      reason = reason.substr(pos + 35);
    } else if (auto colon = reason.find(": "); colon != std::string::npos) {
      reason = reason.substr(colon + 2);
    }
    // After a value nlohmann names only the closing bracket, but the usual mistake is a missing
    // comma.
    if (reason.ends_with("; expected '}'") || reason.ends_with("; expected ']'")) {
      reason.insert(reason.size() - 3, "',' or ");
    }
    auto [line, column] = line_and_column(cleaned, offset);
    throw ConfigError(std::string(origin), line, column, reason);
  } catch (const Json::out_of_range& e) {
    // A number too large for a double ("1e400"): nlohmann names it but gives no position.
    std::string reason = e.what();
    if (auto end = reason.find("] "); end != std::string::npos) reason = reason.substr(end + 2);
    throw ConfigError(std::string(origin), 0, 0, reason);
  }
  if (!value.is_object()) {
    throw ConfigError(std::string(origin), 1, 1, "the top level must be a JSON object");
  }
  return value;
}

std::optional<Json> read_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path.string(), 0, 0, "cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_text(text.str(), path.string());
}

void deep_merge(Json& base, const Json& overlay) {
  if (!base.is_object() || !overlay.is_object()) {
    base = overlay;
    return;
  }
  for (const auto& [key, value] : overlay.items()) {
    auto it = base.find(key);
    if (it != base.end() && it->is_object() && value.is_object()) {
      deep_merge(*it, value);
    } else {
      base[key] = value;
    }
  }
}

std::filesystem::path user_config_dir() {
  std::filesystem::path base;
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg) {
    base = xdg;
  } else {
    base = std::filesystem::path(env_or("HOME", "/root")) / ".config";
  }
  return base / env_or("OVOS_CONFIG_BASE_FOLDER", "mycroft");
}

namespace {
// $`variable`, or `under_home` in $HOME when it is unset or empty.
std::filesystem::path xdg_dir(const char* variable, const char* under_home) {
  if (const char* xdg = std::getenv(variable); xdg && *xdg) return xdg;
  return std::filesystem::path(env_or("HOME", "/root")) / under_home;
}
}  // namespace

std::filesystem::path user_cache_dir() {
  return xdg_dir("XDG_CACHE_HOME", ".cache");
}

std::filesystem::path user_data_dir() {
  return xdg_dir("XDG_DATA_HOME", ".local/share");
}

std::filesystem::path user_state_dir() {
  return xdg_dir("XDG_STATE_HOME", ".local/state");
}

std::vector<Layer> standard_layers() {
  const std::string folder = env_or("OVOS_CONFIG_BASE_FOLDER", "mycroft");
  const std::string file = env_or("OVOS_CONFIG_FILENAME", "mycroft.conf");
  std::vector<Layer> layers;
  layers.push_back({"default", env_or("OVOS_DEFAULT_CONFIG", "")});
  layers.push_back({"distribution", env_or("OVOS_DISTRIBUTION_CONFIG",
                                           fmt::format("/usr/share/{}/{}", folder, file))});
  layers.push_back(
      {"system", env_or("MYCROFT_SYSTEM_CONFIG", fmt::format("/etc/{}/{}", folder, file))});
  layers.push_back(
      {"legacy user", std::filesystem::path(env_or("HOME", "/root")) / ("." + folder) / file});
  layers.push_back({"user", user_config_dir() / file});
  return layers;
}

std::filesystem::path user_config_file() {
  return standard_layers().back().path;
}

void set_in_file(const std::filesystem::path& file, std::string_view dotted_path,
                 const Json& value) {
  Json contents = read_file(file).value_or(Json::object());
  replace_path(contents, dotted_path, &value);
  std::error_code ec;
  replace_file(file, contents.dump(2) + '\n', ec);
  if (ec) throw ConfigError(file.string(), 0, 0, "cannot write: " + ec.message());
}

Json environment_overrides(const Json& base, char** environ_ptr) {
  Json overrides = Json::object();
  constexpr std::string_view prefix = "HARK__";
  for (char** entry = environ_ptr; entry && *entry; ++entry) {
    std::string_view variable(*entry);
    if (!variable.starts_with(prefix)) continue;
    auto equals = variable.find('=');
    if (equals == std::string_view::npos) continue;
    std::string_view name = variable.substr(prefix.size(), equals - prefix.size());
    auto path = split(name, "__");
    if (std::any_of(path.begin(), path.end(), [](const auto& p) { return p.empty(); })) {
      throw ConfigError(fmt::format("environment variable {}", variable.substr(0, equals)), 0, 0,
                        "empty key in the path (use HARK__SECTION__KEY=value)");
    }
    // Spellings come from the merged configuration, so HARK__WEBSOCKET__PORT finds "port".
    Json merged = base;
    deep_merge(merged, overrides);
    assign(overrides, path, variable.substr(equals + 1), &merged);
  }
  return overrides;
}

void apply_assignment(Json& target, std::string_view assignment, std::string_view origin,
                      const Json* reference) {
  auto equals = assignment.find('=');
  if (equals == std::string_view::npos || equals == 0) {
    throw ConfigError(std::string(origin), 0, 0,
                      fmt::format("'{}' is not of the form key.path=value", assignment));
  }
  auto path = split(assignment.substr(0, equals), ".");
  if (std::any_of(path.begin(), path.end(), [](const auto& p) { return p.empty(); })) {
    throw ConfigError(std::string(origin), 0, 0,
                      fmt::format("'{}' has an empty key in its path", assignment));
  }
  const Json spelling = reference ? *reference : target;
  assign(target, path, assignment.substr(equals + 1), &spelling);
}

const Json* find_path(const Json& config, std::string_view dotted_path) {
  const Json* node = &config;
  for (const auto& key : split(dotted_path, ".")) {
    if (!node->is_object()) return nullptr;
    auto it = node->find(key);
    if (it == node->end()) return nullptr;
    node = &*it;
  }
  return node;
}

void replace_path(Json& config, std::string_view dotted_path, const Json* value) {
  auto keys = split(dotted_path, ".");
  if (keys.empty()) return;
  Json* node = &config;
  for (std::size_t i = 0; i + 1 < keys.size(); ++i) {
    if (!node->is_object()) {
      if (!value) return;
      *node = Json::object();
    }
    auto it = node->find(keys[i]);
    if (it == node->end()) {
      if (!value) return;
      it = node->emplace(keys[i], Json::object()).first;
    }
    node = &*it;
  }
  if (!node->is_object()) {
    if (!value) return;
    *node = Json::object();
  }
  if (value) {
    (*node)[keys.back()] = *value;
  } else {
    node->erase(keys.back());
  }
}

Json load(const std::vector<Layer>& layers, const Json& overrides,
          std::vector<ConfigError>* skipped) {
  Json merged = Json::object();
  for (const auto& layer : layers) {
    if (layer.path.empty()) {
      deep_merge(merged, builtin_defaults());
      continue;
    }
    try {
      if (auto content = read_file(layer.path)) deep_merge(merged, *content);
    } catch (const ConfigError& e) {
      if (!skipped) throw;
      skipped->push_back(e);
    }
  }
  deep_merge(merged, overrides);
  return merged;
}

}  // namespace hark::config
