// mycroft.conf: reading, layering and overriding.
//
//   auto layers = hark::config::standard_layers();           // defaults, /etc, XDG user file
//   hark::Json conf = hark::config::load(layers, overrides);  // throws hark::config::ConfigError
//
// Layers are deep-merged in order (objects merged key by key, everything else replaced), as
// ovos-config does. Files are JSON with whole-line // or # comments.
#pragma once

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"

namespace hark::config {

// A problem in one input, with where it is: "file:line:column: what" (line and column are
// 1-based and omitted when unknown).
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string origin, int line, int column, const std::string& what);
  const std::string& origin() const noexcept { return origin_; }
  int line() const noexcept { return line_; }
  int column() const noexcept { return column_; }
  const std::string& reason() const noexcept { return reason_; }

 private:
  std::string origin_;
  int line_;
  int column_;
  std::string reason_;
};

// Parses mycroft.conf text. `origin` names the input in errors. The top level must be an object.
Json parse_text(std::string_view text, std::string_view origin);

// Reads and parses a file; std::nullopt when it does not exist. Unreadable or malformed files
// throw ConfigError.
std::optional<Json> read_file(const std::filesystem::path& path);

// Objects merged key by key, recursively; any other value in `overlay` replaces the base's.
void deep_merge(Json& base, const Json& overlay);

struct Layer {
  std::string name;            // "default", "system", "user", ...
  std::filesystem::path path;  // empty for the built-in defaults
};

// Where a process reads its configuration from: the layers in order, then the overrides from
// the environment (HARK__...) and the command line (--set), which always win.
struct Sources {
  std::vector<Layer> layers;
  Json overrides = Json::object();
};

// The built-in defaults compiled into Hark.
const Json& builtin_defaults();

// default (built in, or $OVOS_DEFAULT_CONFIG), distribution ($OVOS_DISTRIBUTION_CONFIG or
// /usr/share/mycroft/mycroft.conf), system ($MYCROFT_SYSTEM_CONFIG or /etc/mycroft/mycroft.conf),
// user (legacy ~/.mycroft/mycroft.conf, then $XDG_CONFIG_HOME/mycroft/mycroft.conf).
// Folder and file names follow $OVOS_CONFIG_BASE_FOLDER and $OVOS_CONFIG_FILENAME.
std::vector<Layer> standard_layers();

// The user's mycroft.conf, the last of standard_layers(): what a service that changes a setting
// on the user's behalf writes (system.configure.language).
std::filesystem::path user_config_file();
// Sets one dotted path in `file` and keeps everything else in it (its comments excepted), the
// file replaced whole so that the services watching it never read half of it. A missing file is
// created. Throws ConfigError when the file does not parse or cannot be written.
void set_in_file(const std::filesystem::path& file, std::string_view dotted_path,
                 const Json& value);

// The user's config folder ($XDG_CONFIG_HOME/mycroft or ~/.config/mycroft).
std::filesystem::path user_config_dir();
// The user's cache folder ($XDG_CACHE_HOME or ~/.cache).
std::filesystem::path user_cache_dir();
// The user's data and state folders ($XDG_DATA_HOME or ~/.local/share, $XDG_STATE_HOME or
// ~/.local/state).
std::filesystem::path user_data_dir();
std::filesystem::path user_state_dir();

// Overrides from the environment: every variable HARK__SECTION__KEY=value sets section.key
// (the path is split on "__"; each part matches an existing key case-insensitively, otherwise it
// is lower-cased). The value is read as JSON when it parses, as a plain string otherwise, and
// always as a string where the existing setting is one. `base` supplies the existing keys.
Json environment_overrides(const Json& base, char** environ_ptr);

// One "dotted.path=value" assignment, as given to --set, written into `target`. Key spelling
// (case-insensitive match) and type (a string setting stays a string) come from `reference`, the
// configuration the assignment will apply to; by default `target` itself. Throws ConfigError
// naming `origin`.
void apply_assignment(Json& target, std::string_view assignment, std::string_view origin,
                      const Json* reference = nullptr);

// Finds a dotted path ("websocket.port"); nullptr when absent.
const Json* find_path(const Json& config, std::string_view dotted_path);

// Sets the value at a dotted path, creating the sections on the way (replacing any that is not
// an object); a null `value` removes the key instead.
void replace_path(Json& config, std::string_view dotted_path, const Json* value);

// Merges every layer in order, then `overrides` (environment and command line).
// Without `skipped`, throws ConfigError for the first layer that does not parse; with it, leaves
// such layers out and reports them there (how a service starts despite a broken user file).
Json load(const std::vector<Layer>& layers, const Json& overrides = Json::object(),
          std::vector<ConfigError>* skipped = nullptr);

}  // namespace hark::config
