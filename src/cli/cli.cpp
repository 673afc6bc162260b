#include "cli/cli.h"

#include <unistd.h>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>

#include "cli/command.h"
#include "core/log.h"

namespace hark::cli {
namespace {

struct GlobalOptions {
  std::vector<std::string> config_files;
  std::vector<std::string> assignments;
  std::string log_level;
};

Globals resolve(const GlobalOptions& options) {
  Globals globals;
  auto& sources = globals.sources;
  sources.layers = config::standard_layers();
  for (const auto& file : options.config_files) {
    if (!std::filesystem::exists(file))
      throw Failure(fmt::format("--config {}: no such file", file));
    sources.layers.push_back({"--config", file});
  }
  // Only for key spellings and types here; a layer that does not parse is reported by whoever
  // loads the configuration for real.
  std::vector<config::ConfigError> ignored;
  Json merged = config::load(sources.layers, Json::object(), &ignored);
  sources.overrides = config::environment_overrides(merged, environ);
  config::deep_merge(merged, sources.overrides);
  // Spelling and type come from the merged configuration (--set websocket.token=1234 stays a
  // string). The overlay holds the value even when it equals the current one, so that a later
  // edit of a file, read by a running service, does not undo what the command line said.
  for (const auto& assignment : options.assignments) {
    config::apply_assignment(sources.overrides, assignment, "--set", &merged);
    config::deep_merge(merged, sources.overrides);
  }
  if (!options.log_level.empty()) {
    if (!log::set_level(options.log_level)) {
      throw Failure(
          fmt::format("--log-level: unknown level '{}' (DEBUG, INFO, WARNING, ERROR, "
                      "CRITICAL)",
                      options.log_level));
    }
    sources.overrides["log_level"] = options.log_level;
    globals.log_level_given = true;
  }
  return globals;
}

}  // namespace

Json load_config(const Globals& globals, BrokenLayers broken) {
  if (broken == BrokenLayers::Fail) {
    return config::load(globals.sources.layers, globals.sources.overrides);
  }
  std::vector<config::ConfigError> skipped;
  Json merged = config::load(globals.sources.layers, globals.sources.overrides, &skipped);
  for (const auto& error : skipped) std::cerr << "hark: ignoring " << error.what() << '\n';
  return merged;
}

void when_chosen(CLI::App& command, Command& selected, Command work) {
  command.callback([&selected, work = std::move(work)] { selected = work; });
}

int run(int argc, char** argv) {
  // Tools print their own errors; the library's warnings (retries, reconnects) would only repeat
  // them. --log-level brings them back.
  log::init("hark", "ERROR");

  CLI::App app("Hark: an offline voice assistant that speaks the OVOS message bus.", "hark");
  app.require_subcommand(1);
  // Global options may also follow the subcommand: `hark bus --set websocket.port=8200`.
  app.fallthrough();
  GlobalOptions options;
  app.add_option("--config", options.config_files,
                 "extra mycroft.conf layer, read after the user's (repeatable)")
      ->type_name("FILE");
  app.add_option("--set", options.assignments, "override one setting (repeatable)")
      ->type_name("KEY.PATH=VALUE");
  app.add_option("--log-level", options.log_level, "DEBUG, INFO, WARNING, ERROR or CRITICAL")
      ->type_name("LEVEL");

  Command selected;
  add_bus_commands(app, selected);
  add_audio_commands(app, selected);
  add_listener_commands(app, selected);
  add_config_commands(app, selected);
  add_phal_commands(app, selected);
  add_up_commands(app, selected);

  try {
    app.parse(argc, argv);
    return selected(resolve(options));
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  } catch (const Failure& e) {
    std::cerr << "hark: " << e.what() << '\n';
    return e.exit_code();
  } catch (const std::exception& e) {
    std::cerr << "hark: " << e.what() << '\n';
    return 1;
  }
}

}  // namespace hark::cli
