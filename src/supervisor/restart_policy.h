// When a crashed service starts again, and when to give up on it: exponential backoff, and a
// crash loop (too many crashes within a window) ends the retries instead of spinning forever.
//
//   RestartPolicy policy({.initial_delay = 100ms, .max_delay = 10s, .crashes = 5, .window = 60s});
//   if (auto delay = policy.crashed(now)) restart_after(*delay); else give_up();
#pragma once

#include <chrono>
#include <deque>
#include <optional>

namespace hark::supervisor {

struct RestartLimits {
  std::chrono::milliseconds initial_delay{100};
  std::chrono::milliseconds max_delay{10000};
  int crashes = 5;  // this many within `window` is a crash loop
  std::chrono::milliseconds window{60000};
};

class RestartPolicy {
 public:
  using Clock = std::chrono::steady_clock;

  explicit RestartPolicy(RestartLimits limits) : limits_(limits) {}

  // Records a crash; returns how long to wait before starting again, or std::nullopt when this
  // crash completes a crash loop. The delay doubles with each crash still inside the window.
  std::optional<std::chrono::milliseconds> crashed(Clock::time_point now);
  // Forgets the crashes (a restart asked for by a person starts with a clean slate).
  void reset() { crashes_.clear(); }
  int recent_crashes() const { return static_cast<int>(crashes_.size()); }

 private:
  RestartLimits limits_;
  std::deque<Clock::time_point> crashes_;
};

}  // namespace hark::supervisor
