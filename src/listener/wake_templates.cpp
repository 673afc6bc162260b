#include "listener/wake_templates.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>

#include "listener/decoder.h"

namespace hark::listener {
namespace {

constexpr std::size_t kMinFrames = 10;

// Each coefficient minus its mean over the sequence (c0, the loudness, dropped), then each frame
// scaled to length 1, so that the cosine distance is one minus a dot product.
void normalize(Cepstra& frames) {
  if (frames.empty()) return;
  std::vector<double> mean(frames[0].size(), 0.0);
  for (const auto& frame : frames) {
    for (std::size_t k = 0; k < frame.size(); ++k) mean[k] += frame[k];
  }
  for (auto& m : mean) m /= static_cast<double>(frames.size());
  for (auto& frame : frames) {
    double norm = 0;
    for (std::size_t k = 0; k < frame.size(); ++k) {
      // c0 is the frame's loudness, which says more about the speaker than about the word.
      frame[k] = k == 0 ? 0.0f : static_cast<float>(frame[k] - mean[k]);
      norm += static_cast<double>(frame[k]) * frame[k];
    }
    norm = std::sqrt(norm);
    if (norm > 0) {
      for (auto& v : frame) v = static_cast<float>(v / norm);
    }
  }
}

double cosine_distance(const std::vector<float>& a, const std::vector<float>& b) {
  double dot = 0;
  for (std::size_t k = 0; k < a.size() && k < b.size(); ++k)
    dot += static_cast<double>(a[k]) * b[k];
  return 1.0 - dot;
}

struct Alignment {
  WakeTemplates::Match match;
  // The window's frames the template was aligned with: [first, last].
  std::size_t first = 0, last = 0;
};

// Subsequence DTW with the slope kept between 1/2 and 2: steps (1,1), (1,2) and (2,1) in
// (template, window) frames. Every template frame is matched; the window's start and end are
// free. The path with the smallest mean distance over the cells it visits is the match.
Alignment align(const Cepstra& tmpl, const Cepstra& window) {
  const std::size_t n = tmpl.size();
  const std::size_t m = window.size();
  constexpr double kNone = std::numeric_limits<double>::infinity();
  enum class Step : std::uint8_t { first, both, window_two, template_two };
  struct Cell {
    double sum = kNone;
    int cells = 0;
    float distance = 0;
    Step from = Step::first;
    double mean() const { return cells ? sum / cells : kNone; }
  };
  std::vector<std::vector<Cell>> dp(n, std::vector<Cell>(m));
  for (std::size_t j = 0; j < m; ++j) {
    double d = cosine_distance(tmpl[0], window[j]);
    dp[0][j] = {d, 1, static_cast<float>(d), Step::first};
  }
  for (std::size_t i = 1; i < n; ++i) {
    for (std::size_t j = 1; j < m; ++j) {
      const Cell* best = &dp[i - 1][j - 1];
      Step from = Step::both;
      if (j >= 2 && dp[i - 1][j - 2].mean() < best->mean()) {
        best = &dp[i - 1][j - 2];
        from = Step::window_two;
      }
      if (i >= 2 && dp[i - 2][j - 1].mean() < best->mean()) {
        best = &dp[i - 2][j - 1];
        from = Step::template_two;
      }
      if (best->cells == 0) continue;
      double d = cosine_distance(tmpl[i], window[j]);
      dp[i][j] = {best->sum + d, best->cells + 1, static_cast<float>(d), from};
    }
  }
  std::size_t end = m;
  Alignment alignment;
  WakeTemplates::Match& match = alignment.match;
  for (std::size_t j = 0; j < m; ++j) {
    if (dp[n - 1][j].mean() < match.distance) {
      match.distance = dp[n - 1][j].mean();
      end = j;
    }
  }
  if (end == m) return alignment;
  alignment.last = end;
  // The path back from its end, then its stretch of kPeakCells that matches worst.
  std::vector<float> path;
  for (std::size_t i = n - 1, j = end;;) {
    const Cell& cell = dp[i][j];
    path.push_back(cell.distance);
    if (cell.from == Step::first) {
      alignment.first = j;
      break;
    }
    i -= cell.from == Step::template_two ? 2 : 1;
    j -= cell.from == Step::window_two ? 2 : 1;
  }
  const std::size_t stretch = std::min(WakeTemplates::kPeakCells, path.size());
  double sum =
      std::accumulate(path.begin(), path.begin() + static_cast<std::ptrdiff_t>(stretch), 0.0);
  match.peak = sum / static_cast<double>(stretch);
  for (std::size_t k = stretch; k < path.size(); ++k) {
    sum += path[k] - path[k - stretch];
    match.peak = std::max(match.peak, sum / static_cast<double>(stretch));
  }
  return alignment;
}

// The template aligned with the window, then with the stretch it matched there (and a little
// around it) normalized on its own. The window's mean takes in the speech or silence before and
// after the wake word; the template's is the word's alone, and the difference moved every frame
// (awb's wake words came up to 0.21 from its own learnt ones in the window, 0.08 on the word
// alone: bench/README.md).
WakeTemplates::Match align_on_word(const Cepstra& tmpl, const Cepstra& window,
                                   const Cepstra& unnormalized_window) {
  auto in_window = align(tmpl, window);
  if (in_window.match.distance > 1) return in_window.match;  // unrelated, or no alignment
  constexpr std::size_t kAround = 5;  // frames: where the first alignment began and ended is rough
  auto begin = in_window.first > kAround ? in_window.first - kAround : 0;
  auto end = std::min(unnormalized_window.size(), in_window.last + 1 + kAround);
  Cepstra word(unnormalized_window.begin() + static_cast<std::ptrdiff_t>(begin),
               unnormalized_window.begin() + static_cast<std::ptrdiff_t>(end));
  normalize(word);
  return align(tmpl, word).match;
}

}  // namespace

bool WakeTemplates::add(Cepstra frames) {
  if (frames.size() < kMinFrames) return false;
  normalize(frames);
  templates_.push_back(std::move(frames));
  return true;
}

void WakeTemplates::keep_newest(std::size_t count) {
  if (templates_.size() > count)
    templates_.erase(templates_.begin(),
                     templates_.begin() + static_cast<std::ptrdiff_t>(templates_.size() - count));
}

WakeTemplates::Match WakeTemplates::nearest(Cepstra window) const {
  Match nearest;
  if (window.size() < kMinFrames) return nearest;
  const Cepstra unnormalized = window;
  normalize(window);
  for (const auto& tmpl : templates_) {
    auto match = align_on_word(tmpl, window, unnormalized);
    if (match.distance < nearest.distance) nearest = match;
  }
  return nearest;
}

WakeTemplates::Match match_between(Decoder& decoder, std::span<const std::int16_t> earlier,
                                   std::span<const std::int16_t> later) {
  WakeTemplates one;
  if (!one.add(decoder.cepstra(trim_silence(earlier)))) return {};
  return one.nearest(decoder.cepstra(later));
}

std::pair<std::size_t, std::size_t> sound_bounds(std::span<const std::int16_t> samples) {
  constexpr std::size_t kFrame = Decoder::kFrameSamples;
  std::vector<double> rms;
  for (std::size_t at = 0; at + kFrame <= samples.size(); at += kFrame) {
    double sum = 0;
    for (std::size_t k = at; k < at + kFrame; ++k) sum += double(samples[k]) * samples[k];
    rms.push_back(std::sqrt(sum / kFrame));
  }
  double loudest = rms.empty() ? 0 : *std::max_element(rms.begin(), rms.end());
  if (loudest < 1) return {0, 0};  // digital silence
  double floor = loudest / 10;
  auto first = std::find_if(rms.begin(), rms.end(), [&](double r) { return r >= floor; });
  auto last = std::find_if(rms.rbegin(), rms.rend(), [&](double r) { return r >= floor; });
  return {static_cast<std::size_t>(first - rms.begin()) * kFrame,
          static_cast<std::size_t>(rms.rend() - last) * kFrame};
}

std::vector<std::int16_t> trim_silence(std::span<const std::int16_t> samples) {
  auto [begin, end] = sound_bounds(samples);
  return {samples.begin() + static_cast<std::ptrdiff_t>(begin),
          samples.begin() + static_cast<std::ptrdiff_t>(end)};
}

}  // namespace hark::listener
