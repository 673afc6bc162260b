// hark up | status | restart | logs
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>

#include "cli/command.h"
#include "client/bus_client.h"
#include "supervisor/control.h"
#include "supervisor/up.h"

namespace hark::cli {
namespace {

// The global options a child needs to read the configuration `hark up` read: the --config
// layers, and each overridden setting as --set (the environment's HARK__ variables it inherits).
std::vector<std::string> pass_through(const Globals& globals) {
  std::vector<std::string> args;
  for (const auto& layer : globals.sources.layers) {
    if (layer.name == "--config") {
      args.push_back("--config");
      args.push_back(layer.path.string());
    }
  }
  std::function<void(const Json&, const std::string&)> flatten = [&](const Json& value,
                                                                     const std::string& path) {
    if (value.is_object()) {
      for (const auto& [key, inner] : value.items()) {
        flatten(inner, path.empty() ? key : path + "." + key);
      }
      return;
    }
    args.push_back("--set");
    args.push_back(path + "=" + (value.is_string() ? value.get<std::string>() : value.dump()));
  };
  flatten(globals.sources.overrides, "");
  return args;
}

// Asks the running `hark up` of the configured bus; a Failure when none answers.
void ask(const Globals& globals, const Json& request,
         const std::function<void(const std::string&)>& on_line) {
  Json config = load_config(globals, BrokenLayers::Skip);
  auto port = client::Endpoint::from_config(config).port;
  try {
    supervisor::control_request(supervisor::control_socket_path(port), request, on_line);
  } catch (const std::runtime_error& e) {
    throw Failure(fmt::format("{} (is `hark up` running for the bus on port {}?)", e.what(), port));
  }
}

std::string uptime_text(const Json& seconds) {
  if (!seconds.is_number()) return "-";
  auto s = static_cast<long>(seconds.get<double>());
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}h{:02}m", s / 3600, s / 60 % 60);
}

int status(const Globals& globals, bool json) {
  Json answer;
  ask(globals, {{"command", "status"}},
      [&](const std::string& line) { answer = Json::parse(line, nullptr, false); });
  if (!answer.is_object() || !answer.contains("services")) throw Failure("no status came back");
  if (json) {
    fmt::print("{}\n", answer.dump(2));
    return 0;
  }
  fmt::print("{:<12} {:<9} {:>8} {:>8} {:>8}  {}\n", "SERVICE", "STATE", "PID", "UPTIME",
             "RESTARTS", "LAST EXIT");
  for (const auto& s : answer["services"]) {
    fmt::print("{:<12} {:<9} {:>8} {:>8} {:>8}  {}\n", s.value("name", ""), s.value("state", ""),
               s["pid"].is_number() ? std::to_string(s["pid"].get<long>()) : "-",
               uptime_text(s["uptime"]), s.value("restarts", 0),
               s["last_exit"].is_string() ? s["last_exit"].get<std::string>() : "-");
  }
  return 0;
}

int restart(const Globals& globals, const std::string& service) {
  Json answer;
  ask(globals, {{"command", "restart"}, {"service", service}},
      [&](const std::string& line) { answer = Json::parse(line, nullptr, false); });
  if (answer.is_object() && answer.contains("error")) {
    throw Failure(answer["error"].get<std::string>());
  }
  return 0;
}

int logs(const Globals& globals, const std::string& service, bool follow) {
  ask(globals, {{"command", "logs"}, {"service", service}, {"follow", follow}},
      [](const std::string& line) {
        std::string out = line + '\n';
        std::fwrite(out.data(), 1, out.size(), stdout);
        std::fflush(stdout);
      });
  return 0;
}

}  // namespace

void add_up_commands(CLI::App& app, Command& selected) {
  when_chosen(
      *app.add_subcommand("up",
                          "Run the whole stack as supervised services "
                          "(hark.up.services; docs/supervisor.md)"),
      selected, [&app](const Globals& globals) {
        supervisor::UpOptions options{
            globals.sources, pass_through(globals), [&app](std::string_view name) {
              return !app.get_subcommands([&](CLI::App* sub) { return sub->get_name() == name; })
                          .empty();
            }};
        return supervisor::run_up(options);
      });

  auto json = std::make_shared<bool>(false);
  auto* status_command = app.add_subcommand("status", "Show the services of the running `hark up`");
  status_command->add_flag("--json", *json, "print the answer as JSON");
  when_chosen(*status_command, selected,
              [json](const Globals& globals) { return status(globals, *json); });

  auto restart_service = std::make_shared<std::string>();
  auto* restart_command = app.add_subcommand("restart", "Restart one service of `hark up`");
  restart_command->add_option("NAME", *restart_service, "service name, as `hark status` shows")
      ->required();
  when_chosen(*restart_command, selected, [restart_service](const Globals& globals) {
    return restart(globals, *restart_service);
  });

  auto logs_service = std::make_shared<std::string>();
  auto follow = std::make_shared<bool>(false);
  auto* logs_command = app.add_subcommand("logs", "Print the recent output of `hark up`");
  logs_command->add_option("NAME", *logs_service, "only this service");
  logs_command->add_flag("-f,--follow", *follow, "keep printing new lines");
  when_chosen(*logs_command, selected, [logs_service, follow](const Globals& globals) {
    return logs(globals, *logs_service, *follow);
  });
}

}  // namespace hark::cli
