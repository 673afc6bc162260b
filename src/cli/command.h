// What the `hark` subcommands share: how they fail, what they get, how they register.
#pragma once

#include <functional>
#include <stdexcept>
#include <string>

#include "config/config.h"

namespace CLI {
class App;
}

namespace hark::cli {

// Reported as "hark: <what>", then the process exits with `exit_code`.
class Failure : public std::runtime_error {
 public:
  explicit Failure(const std::string& what, int exit_code = 1)
      : std::runtime_error(what), exit_code_(exit_code) {}
  int exit_code() const noexcept { return exit_code_; }

 private:
  int exit_code_;
};

// The global options, resolved.
struct Globals {
  config::Sources sources;
  bool log_level_given = false;  // --log-level was used, so commands keep their hands off it
};

// A subcommand's work, run once the whole command line is parsed; returns the exit code.
using Command = std::function<int(const Globals&)>;

// Each adds its subcommands to `app`; the one the user picks stores its work in `selected`.
void add_audio_commands(CLI::App& app, Command& selected);
void add_bus_commands(CLI::App& app, Command& selected);
void add_config_commands(CLI::App& app, Command& selected);
void add_listener_commands(CLI::App& app, Command& selected);
void add_phal_commands(CLI::App& app, Command& selected);
void add_up_commands(CLI::App& app, Command& selected);

// Makes `command`, when the user picks it, store `work` in `selected`.
void when_chosen(CLI::App& command, Command& selected, Command work);

enum class BrokenLayers {
  Fail,  // a layer that does not parse is a Failure naming file, line and column
  Skip,  // it is left out with a warning line, as services do
};

// The merged configuration from the global sources.
Json load_config(const Globals& globals, BrokenLayers broken);

}  // namespace hark::cli
