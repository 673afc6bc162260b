// What `hark core`'s default pipeline answers an utterance with, of its stop stage and its
// template stage, for the benches that score them: stop_high and padatious_high at 0.95, then
// stop_medium and padatious_medium at `medium` (intents.padatious.conf_med).
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

#include "intent/template_engine.h"
#include "pipeline/stop_matcher.h"

namespace hark::bench {

// The template intent that answers, "<stop_skill>:stop.intent" or
// "<stop_skill>:global_stop.intent" when the stop stage does (`stop` may be null: no stop stage),
// or empty for nothing.
inline std::string shipped_answer(const intent::TemplateEngine& engine,
                                  const pipeline::StopMatcher* stop, std::string_view stop_skill,
                                  const std::string& utterance, double medium) {
  std::optional<intent::TemplateMatch> best;
  bool matched = false;  // the engine's best is the same in both bands: matched once
  for (const auto& [band, threshold] : {std::pair{pipeline::Band::High, std::max(medium, 0.95)},
                                        std::pair{pipeline::Band::Medium, medium}}) {
    if (stop)
      if (auto kind = stop->match(utterance, "en-us", band, threshold))
        return std::string(stop_skill) +
               (*kind == pipeline::StopKind::Global ? ":global_stop.intent" : ":stop.intent");
    if (!matched) best = engine.match(utterance, "en-us");
    matched = true;
    if (best && best->confidence >= threshold) return best->intent;
  }
  return {};
}

}  // namespace hark::bench
