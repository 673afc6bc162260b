#include "core/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <utility>

namespace hark::log {
namespace {

std::optional<spdlog::level::level_enum> parse_level(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "warning") lower = "warn";
  if (lower == "fatal") lower = "critical";
  auto level = spdlog::level::from_str(lower);
  // from_str answers "off" for anything it does not know.
  if (level == spdlog::level::off && lower != "off") return std::nullopt;
  return level;
}

}  // namespace

void init(std::string_view service, std::string_view level) {
  spdlog::drop(std::string(service));
  auto logger = spdlog::stderr_color_mt(std::string(service));
  logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ [%n] %v");
  spdlog::set_default_logger(logger);
  if (!set_level(level)) spdlog::warn("unknown log_level '{}', using INFO", level);
}

bool set_level(std::string_view level) {
  auto parsed = parse_level(level);
  if (!parsed) return false;
  spdlog::set_level(*parsed);
  return true;
}

bool RateLimit::allow(std::uint64_t& suppressed) {
  auto now = std::chrono::steady_clock::now();
  if (now - window_start_ >= window_) {
    window_start_ = now;
    used_ = 0;
  }
  if (used_ >= burst_) {
    ++suppressed_;
    return false;
  }
  ++used_;
  suppressed = std::exchange(suppressed_, 0);
  return true;
}

}  // namespace hark::log
