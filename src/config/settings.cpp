#include "config/settings.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "config/config.h"

namespace hark::config {
namespace {

std::string bounds_text(const Setting& s) {
  const bool low = std::isfinite(s.min), high = std::isfinite(s.max);
  if (!low && !high) return "";
  if (s.type == Type::String) {
    if (low && high) return fmt::format("{}..{} characters", s.min, s.max);
    return low ? fmt::format("at least {} characters", s.min)
               : fmt::format("at most {} characters", s.max);
  }
  if (low && high) return fmt::format("{}..{}", s.min, s.max);
  return low ? fmt::format(">= {}", s.min) : fmt::format("<= {}", s.max);
}

std::string check(const Setting& s, const Json& value) {
  auto out_of_bounds = [&](double v) { return v < s.min || v > s.max; };
  switch (s.type) {
    case Type::Boolean:
      if (!value.is_boolean()) return "must be true or false";
      return "";
    case Type::Integer:
      if (!value.is_number_integer()) return "must be a whole number";
      if (out_of_bounds(value.get<double>())) return fmt::format("must be {}", bounds_text(s));
      return "";
    case Type::Number:
      if (!value.is_number()) return "must be a number";
      if (out_of_bounds(value.get<double>())) return fmt::format("must be {}", bounds_text(s));
      return "";
    case Type::String:
      if (!value.is_string()) return "must be a string";
      if (out_of_bounds(static_cast<double>(value.get_ref<const std::string&>().size()))) {
        return fmt::format("must be {}", bounds_text(s));
      }
      return "";
    case Type::StringList:
      if (!value.is_array()) return "must be a list of strings";
      for (const auto& item : value) {
        if (!item.is_string()) return "must be a list of strings";
      }
      return "";
    case Type::Object:
      if (!value.is_object()) return "must be an object";
      return "";
  }
  return "";
}

// A section on `path` that is present but not an object, such as "websocket" in
// {"websocket": 8181}, hides every key below it; they would otherwise pass as merely absent.
std::optional<std::string> scalar_section(const Json& config, std::string_view path) {
  for (auto dot = path.find('.'); dot != std::string_view::npos; dot = path.find('.', dot + 1)) {
    const auto section = path.substr(0, dot);
    const Json* value = find_path(config, section);
    if (!value) return std::nullopt;
    if (!value->is_object()) {
      return fmt::format("{}: must be an object (got {})", section, json_dump(*value));
    }
  }
  return std::nullopt;
}

}  // namespace

std::string_view type_name(Type type) {
  switch (type) {
    case Type::Boolean:
      return "boolean";
    case Type::Integer:
      return "integer";
    case Type::Number:
      return "number";
    case Type::String:
      return "string";
    case Type::StringList:
      return "list of strings";
    case Type::Object:
      return "object";
  }
  return "?";
}

std::vector<std::string> validate(const Json& config, std::span<const Setting> settings) {
  std::vector<std::string> problems;
  for (const auto& s : settings) {
    const Json* value = find_path(config, s.path);
    if (!value) {
      auto problem = scalar_section(config, s.path);
      if (problem && std::find(problems.begin(), problems.end(), *problem) == problems.end()) {
        problems.push_back(std::move(*problem));
      }
      continue;
    }
    if (auto problem = check(s, *value); !problem.empty()) {
      problems.push_back(fmt::format("{}: {} (got {})", s.path, problem, json_dump(*value)));
    }
  }
  return problems;
}

std::string_view problem_path(std::string_view problem) {
  auto colon = problem.find(": ");
  if (colon == std::string_view::npos || colon == 0) return {};
  auto path = problem.substr(0, colon);
  return path.find(' ') == std::string_view::npos ? path : std::string_view{};
}

std::vector<std::string_view> changed(const Json& before, const Json& after,
                                      std::span<const Setting> settings) {
  std::vector<std::string_view> paths;
  for (const auto& s : settings) {
    const Json* a = find_path(before, s.path);
    const Json* b = find_path(after, s.path);
    if ((a == nullptr) != (b == nullptr) || (a && *a != *b)) paths.push_back(s.path);
  }
  return paths;
}

std::string describe(const Json& config, std::span<const Setting> settings) {
  std::string out;
  for (const auto& s : settings) {
    const Json* value = find_path(config, s.path);
    std::string bounds = bounds_text(s);
    out += fmt::format("{:<32} {:<8} {:<7} = {}\n    {}{}\n", s.path, type_name(s.type),
                       s.apply == Apply::Live ? "live" : "restart",
                       value ? json_dump(*value) : "(unset)", s.help,
                       bounds.empty() ? "" : fmt::format(" [{}]", bounds));
  }
  return out;
}

}  // namespace hark::config
