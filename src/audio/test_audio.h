// Measures for tests that check audio is speech-like rather than silence or noise.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <span>

namespace hark::audio::testing {

inline int peak(std::span<const std::int16_t> samples) {
  int max = 0;
  for (auto s : samples) max = std::max(max, std::abs(static_cast<int>(s)));
  return max;
}

inline double rms(std::span<const std::int16_t> samples) {
  if (samples.empty()) return 0;
  double sum = 0;
  for (auto s : samples) sum += static_cast<double>(s) * s;
  return std::sqrt(sum / static_cast<double>(samples.size()));
}

}  // namespace hark::audio::testing
