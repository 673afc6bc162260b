// hark config show | get | validate | describe
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>

#include "cli/command.h"
#include "cli/key_location.h"
#include "cli/settings_tables.h"
#include "config/settings.h"

namespace hark::cli {
namespace {

std::string pretty(const Json& value) {
  return value.dump(2, ' ', false, Json::error_handler_t::replace);
}

int show(const Globals& globals) {
  std::cout << pretty(load_config(globals, BrokenLayers::Fail)) << '\n';
  return 0;
}

int get(const std::string& key, const Globals& globals) {
  Json config = load_config(globals, BrokenLayers::Fail);
  const Json* value = config::find_path(config, key);
  if (!value) throw Failure(fmt::format("{} is not set", key));
  // Strings bare, so that scripts can use the value as it is.
  std::cout << (value->is_string() ? value->get<std::string>() : pretty(*value)) << '\n';
  return 0;
}

int describe(const Globals& globals) {
  Json config = load_config(globals, BrokenLayers::Skip);
  for (const auto& table : known_settings()) {
    std::cout << "# " << table.service << '\n' << config::describe(config, table.settings);
  }
  return 0;
}

// A layer file as read, kept to say where a bad value was written.
struct ReadLayer {
  std::string origin;
  std::string text;
  Json content;
};

std::optional<std::string> read_text(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw config::ConfigError(path.string(), 0, 0, "cannot be read");
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// "path: what" becomes "file:line:column: path: what", naming the source whose value is in effect.
std::string locate(const std::string& problem, const std::vector<ReadLayer>& layers,
                   const Json& overrides) {
  std::string path = problem.substr(0, problem.find(": "));
  if (config::find_path(overrides, path))
    return fmt::format("--set or HARK__ variable: {}", problem);
  for (auto layer = layers.rbegin(); layer != layers.rend(); ++layer) {
    if (!config::find_path(layer->content, path)) continue;
    if (auto at = find_key(layer->text, path)) {
      return fmt::format("{}:{}:{}: {}", layer->origin, at->line, at->column, problem);
    }
    return fmt::format("{}: {}", layer->origin, problem);
  }
  return fmt::format("built-in defaults: {}", problem);
}

// With a file: that file over the built-in defaults. Without: every layer and override the
// services read. Problems go to stderr, one per line, as a compiler reports them.
int validate(const std::string& file, const Globals& globals) {
  std::vector<config::Layer> layers = globals.sources.layers;
  Json overrides = globals.sources.overrides;
  if (!file.empty()) {
    layers = {{"default", ""}, {"file", file}};
    overrides = Json::object();
  }
  std::vector<std::string> problems;
  std::vector<ReadLayer> read;
  Json merged = Json::object();
  for (const auto& layer : layers) {
    if (layer.path.empty()) {
      config::deep_merge(merged, config::builtin_defaults());
      continue;
    }
    try {
      auto text = read_text(layer.path);
      if (!text) {
        if (!file.empty()) problems.push_back(fmt::format("{}: no such file", file));
        continue;
      }
      Json content = config::parse_text(*text, layer.path.string());
      config::deep_merge(merged, content);
      read.push_back({layer.path.string(), std::move(*text), std::move(content)});
    } catch (const config::ConfigError& e) {
      problems.push_back(e.what());
    }
  }
  config::deep_merge(merged, overrides);
  for (const auto& table : known_settings()) {
    for (const auto& problem : table.validate(merged)) {
      problems.push_back(locate(problem, read, overrides));
    }
  }
  if (problems.empty()) {
    std::cout << "ok\n";
    return 0;
  }
  for (const auto& problem : problems) std::cerr << problem << '\n';
  return 1;
}

}  // namespace

void add_config_commands(CLI::App& app, Command& selected) {
  auto* config = app.add_subcommand("config", "Show, query and check mycroft.conf");
  config->require_subcommand(1);

  when_chosen(*config->add_subcommand("show", "Print the merged configuration"), selected, show);

  auto key = std::make_shared<std::string>();
  auto* get_command = config->add_subcommand("get", "Print one setting");
  get_command->add_option("KEY", *key, "dotted path, e.g. websocket.port")->required();
  when_chosen(*get_command, selected, [key](const Globals& globals) { return get(*key, globals); });

  auto file = std::make_shared<std::string>();
  auto* validate_command = config->add_subcommand(
      "validate", "Check a mycroft.conf file, or every layer, against the settings tables");
  validate_command->add_option("FILE", *file, "the file to check (default: all layers)");
  when_chosen(*validate_command, selected,
              [file](const Globals& globals) { return validate(*file, globals); });

  when_chosen(*config->add_subcommand("describe", "List every setting with its current value"),
              selected, describe);
}

}  // namespace hark::cli
