#include "supervisor/settings.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "config/config.h"

namespace hark::supervisor {
namespace {

using config::Apply;
using config::Setting;
using config::Type;

constexpr Setting kSettings[] = {
    {.path = "hark.up.services",
     .type = Type::StringList,
     .help = "services in start order: bus, core, audio, listener, phal, phal-admin, or a name "
             "from hark.up.commands",
     .apply = Apply::Restart},
    {.path = "hark.up.commands",
     .type = Type::Object,
     .help = "services of your own: name -> {command: [argv...], ready: \"started\" or the name "
             "it answers mycroft.<name>.is_ready for}",
     .apply = Apply::Restart},
    {.path = "hark.up.log_levels",
     .type = Type::Object,
     .help = "log level per hark service (name -> DEBUG...CRITICAL); others use log_level",
     .apply = Apply::Restart},
    {"hark.up.ready_timeout", Type::Number,
     "seconds a service has to report ready before the next one starts anyway", 0.1, 3600,
     Apply::Restart},
    {"hark.up.stop_timeout", Type::Number,
     "seconds a service has to exit after SIGTERM before it gets SIGKILL", 0.1, 600,
     Apply::Restart},
    {"hark.up.restart_delay", Type::Number,
     "seconds before the first restart of a crashed service; doubles with each crash", 0, 60,
     Apply::Restart},
    {"hark.up.restart_delay_max", Type::Number, "longest wait before a restart, seconds", 0, 3600,
     Apply::Restart},
    {"hark.up.crash_loop_count", Type::Integer,
     "crashes within crash_loop_window after which a service is given up on", 1, 1000,
     Apply::Restart},
    {"hark.up.crash_loop_window", Type::Number, "seconds, see crash_loop_count", 1, 86400,
     Apply::Restart},
    {.path = "hark.up.provisioning",
     .type = Type::Boolean,
     .help = "run the executable scripts in <config dir>/provisioning once, in name order",
     .apply = Apply::Restart},
    {"log_level", Type::String, "DEBUG, INFO, WARNING, ERROR or CRITICAL", 1, 16},
};

struct BuiltIn {
  std::string_view name;
  Readiness readiness;
  std::string_view status_name;  // OVOS's ProcessStatus names
};

constexpr BuiltIn kBuiltIns[] = {
    {"bus", Readiness::BusAccepts, ""},
    {"core", Readiness::Status, "skills"},
    {"audio", Readiness::Status, "audio"},
    {"listener", Readiness::Status, "voice"},
    {"phal", Readiness::Status, "PHAL"},
    // Privileged, so never in the default list: add it where `hark up` runs as root.
    {"phal-admin", Readiness::Status, "PHAL.admin"},
};

const BuiltIn* built_in(std::string_view name) {
  for (const auto& b : kBuiltIns) {
    if (b.name == name) return &b;
  }
  return nullptr;
}

template <class T>
T get(const Json& config, std::string_view path) {
  const Json* value = config::find_path(config, path);
  return value ? value->get<T>() : T{};
}

std::chrono::milliseconds seconds_at(const Json& config, std::string_view path) {
  return std::chrono::milliseconds(static_cast<long>(get<double>(config, path) * 1000));
}

const Json& section(const Json& config, std::string_view path) {
  static const Json kEmpty = Json::object();
  const Json* found = config::find_path(config, path);
  return found && found->is_object() ? *found : kEmpty;
}

std::vector<std::string> check_commands(const Json& config) {
  std::vector<std::string> problems;
  for (const auto& [name, entry] : section(config, "hark.up.commands").items()) {
    auto where = fmt::format("hark.up.commands.{}", name);
    if (built_in(name)) {
      problems.push_back(fmt::format("{}: {} is a built-in service name", where, name));
      continue;
    }
    const Json* command = entry.is_object() ? config::find_path(entry, "command") : nullptr;
    bool argv = command && command->is_array() && !command->empty() &&
                std::all_of(command->begin(), command->end(),
                            [](const Json& part) { return part.is_string(); });
    if (!argv) {
      problems.push_back(fmt::format(
          "{}.command: must be a non-empty list of strings (program, arguments)", where));
    }
    const Json* ready = entry.is_object() ? config::find_path(entry, "ready") : nullptr;
    if (ready && (!ready->is_string() || ready->get<std::string>().empty())) {
      problems.push_back(fmt::format(
          "{}.ready: must be \"started\" or the name it answers mycroft.<name>.is_ready for",
          where));
    }
  }
  return problems;
}

}  // namespace

std::span<const config::Setting> settings() {
  return kSettings;
}

std::vector<std::string> validate(const Json& config) {
  auto problems = config::validate(config, kSettings);
  if (!problems.empty()) return problems;
  auto more = check_commands(config);
  problems.insert(problems.end(), more.begin(), more.end());
  const Json& commands = section(config, "hark.up.commands");
  std::set<std::string> seen;
  for (const auto& name : get<std::vector<std::string>>(config, "hark.up.services")) {
    if (!seen.insert(name).second) {
      problems.push_back(fmt::format("hark.up.services: {} is listed twice", name));
    } else if (!built_in(name) && !commands.contains(name)) {
      problems.push_back(fmt::format(
          "hark.up.services: unknown service '{}' (built in: bus, core, audio, listener, phal, "
          "phal-admin; or "
          "define it in hark.up.commands)",
          name));
    }
  }
  for (const auto& [name, level] : section(config, "hark.up.log_levels").items()) {
    if (!level.is_string()) {
      problems.push_back(fmt::format("hark.up.log_levels.{}: must be a level name", name));
    }
  }
  return problems;
}

UpSettings UpSettings::from(const Json& config,
                            const std::function<bool(std::string_view)>& has_subcommand,
                            std::vector<std::string>* notes) {
  UpSettings s;
  const Json& commands = section(config, "hark.up.commands");
  const Json& levels = section(config, "hark.up.log_levels");
  for (const auto& name : get<std::vector<std::string>>(config, "hark.up.services")) {
    ServiceSpec spec;
    spec.name = name;
    if (const BuiltIn* b = built_in(name)) {
      if (!has_subcommand(name)) {
        notes->push_back(fmt::format("{} left out: this hark has no `hark {}`", name, name));
        continue;
      }
      spec.readiness = b->readiness;
      spec.status_name = b->status_name;
      if (auto level = levels.find(name); level != levels.end())
        spec.log_level = level->get<std::string>();
    } else {
      const Json& entry = commands.at(name);
      spec.command = entry.at("command").get<std::vector<std::string>>();
      std::string ready = entry.value("ready", "started");
      if (ready != "started") {
        spec.readiness = Readiness::Status;
        spec.status_name = ready;
      }
    }
    s.services.push_back(std::move(spec));
  }
  s.restart.initial_delay = seconds_at(config, "hark.up.restart_delay");
  s.restart.max_delay = seconds_at(config, "hark.up.restart_delay_max");
  s.restart.crashes = get<int>(config, "hark.up.crash_loop_count");
  s.restart.window = seconds_at(config, "hark.up.crash_loop_window");
  s.ready_timeout = seconds_at(config, "hark.up.ready_timeout");
  s.stop_timeout = seconds_at(config, "hark.up.stop_timeout");
  s.provisioning = get<bool>(config, "hark.up.provisioning");
  s.log_level = get<std::string>(config, "log_level");
  return s;
}

}  // namespace hark::supervisor
