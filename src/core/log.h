// Logging for every Hark process: spdlog underneath, one line per event, the service name in
// each line so that merged logs (hark up, compose) still say who spoke.
#pragma once

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace hark::log {

// Sets up the default logger on stderr. `level` is a mycroft.conf log_level
// (DEBUG, INFO, WARNING, ERROR, CRITICAL; any case; spdlog names are accepted too).
void init(std::string_view service, std::string_view level = "INFO");

// Returns false, and leaves the level alone, when `level` is not a known name.
bool set_level(std::string_view level);

// Lets a repeated event through at most `burst` times per `window`, then counts what it
// suppressed, so a client spamming bad frames cannot flood the log.
class RateLimit {
 public:
  RateLimit(int burst, std::chrono::steady_clock::duration window) : burst_(burst), window_(window) {}

  // True when this occurrence may be logged. `suppressed` receives how many were dropped since
  // the last one let through (to say "and N more").
  bool allow(std::uint64_t& suppressed);

 private:
  int burst_;
  std::chrono::steady_clock::duration window_;
  std::chrono::steady_clock::time_point window_start_{};
  int used_ = 0;
  std::uint64_t suppressed_ = 0;
};

}  // namespace hark::log
