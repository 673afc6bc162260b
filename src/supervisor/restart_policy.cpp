#include "supervisor/restart_policy.h"

#include <algorithm>

namespace hark::supervisor {

std::optional<std::chrono::milliseconds> RestartPolicy::crashed(Clock::time_point now) {
  while (!crashes_.empty() && now - crashes_.front() >= limits_.window) crashes_.pop_front();
  crashes_.push_back(now);
  int count = static_cast<int>(crashes_.size());
  if (count >= limits_.crashes) return std::nullopt;
  auto delay = limits_.initial_delay;
  for (int i = 1; i < count && delay < limits_.max_delay; ++i) delay *= 2;
  return std::min(delay, limits_.max_delay);
}

}  // namespace hark::supervisor
