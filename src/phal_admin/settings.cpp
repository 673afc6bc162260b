#include "phal_admin/settings.h"

#include <fmt/format.h>

#include <algorithm>

#include "config/config.h"
#include "phal_admin/actions.h"

namespace hark::phal_admin {
namespace {

using config::Apply;
using config::Setting;
using config::Type;

#define HARK_ADMIN_SECTION "PHAL.admin.ovos-PHAL-plugin-system"

constexpr Setting kSettings[] = {
    {HARK_ADMIN_SECTION ".allow", Type::StringList,
     "actions phal-admin may run (reboot, shutdown, ssh.enable, ssh.disable, ssh.status, "
     "clock.sync, service.restart); empty: none"},
    {HARK_ADMIN_SECTION ".commands", Type::Object,
     "what each action runs, as a list: program, arguments (no shell)"},
    {HARK_ADMIN_SECTION ".command_prefix", Type::StringList,
     "put before every command, e.g. nsenter into the host from a container"},
    {HARK_ADMIN_SECTION ".timeout", Type::Number,
     "seconds a command may run before it is killed and reported as failed", 0.1, 3600},
    {"log_level", Type::String, "DEBUG, INFO, WARNING, ERROR or CRITICAL", 1, 16},
};

const Json& section(const Json& config, std::string_view path) {
  static const Json empty = Json::object();
  const Json* found = config::find_path(config, path);
  return found ? *found : empty;
}

std::string known_actions() {
  std::string names;
  for (const auto& action : system_actions()) {
    names += names.empty() ? "" : ", ";
    names += action.name;
  }
  return names;
}

}  // namespace

std::span<const config::Setting> settings() {
  return kSettings;
}

std::vector<std::string> validate(const Json& config) {
  auto problems = config::validate(config, kSettings);
  if (!problems.empty()) return problems;
  for (const auto& name : section(config, HARK_ADMIN_SECTION ".allow")) {
    if (!find_action(name.get<std::string>())) {
      problems.push_back(fmt::format(HARK_ADMIN_SECTION ".allow: unknown action '{}' (known: {})",
                                     name.get<std::string>(), known_actions()));
    }
  }
  for (const auto& [name, argv] : section(config, HARK_ADMIN_SECTION ".commands").items()) {
    bool is_argv = argv.is_array() && !argv.empty() &&
                   std::all_of(argv.begin(), argv.end(), [](const Json& part) {
                     return part.is_string() && !part.get<std::string>().empty();
                   });
    if (!find_action(name)) {
      problems.push_back(fmt::format(HARK_ADMIN_SECTION ".commands.{}: unknown action (known: {})",
                                     name, known_actions()));
    } else if (!is_argv) {
      problems.push_back(fmt::format(HARK_ADMIN_SECTION
                                     ".commands.{}: must be a non-empty list of non-empty strings "
                                     "(program, arguments), got {}",
                                     name, argv.dump()));
    }
  }
  return problems;
}

AdminSettings AdminSettings::from(const Json& config) {
  AdminSettings s;
  s.allowed = section(config, HARK_ADMIN_SECTION ".allow").get<std::set<std::string>>();
  s.commands = section(config, HARK_ADMIN_SECTION ".commands")
                   .get<std::map<std::string, std::vector<std::string>>>();
  s.command_prefix =
      section(config, HARK_ADMIN_SECTION ".command_prefix").get<std::vector<std::string>>();
  s.timeout = std::chrono::milliseconds(
      static_cast<long>(section(config, HARK_ADMIN_SECTION ".timeout").get<double>() * 1000));
  s.log_level = section(config, "log_level").get<std::string>();
  return s;
}

std::vector<std::string> AdminSettings::command_of(const std::string& action) const {
  auto found = commands.find(action);
  if (found == commands.end()) return {};
  std::vector<std::string> argv = command_prefix;
  argv.insert(argv.end(), found->second.begin(), found->second.end());
  return argv;
}

}  // namespace hark::phal_admin
