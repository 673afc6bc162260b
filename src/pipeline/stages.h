// The pipeline: which matchers an utterance goes through, in order, each with its confidence
// band (protocols.md §3 step 5). Read from `intents.pipeline` in mycroft.conf, where both the
// short names ("padatious_high") and OVOS's plugin ids ("ovos-padatious-pipeline-plugin-high")
// are accepted; names of matchers Hark does not have are reported and left out.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "core/json.h"

namespace hark::pipeline {

enum class Matcher { Stop, Converse, Template, Keyword, CommonQuery, Fallback };
enum class Band { High, Medium, Low };

struct Stage {
  Matcher matcher;
  Band band = Band::High;  // Converse and CommonQuery have none
  bool operator==(const Stage&) const = default;
};

// Confidence each band needs: intents.padatious.conf_* and intents.adapt.conf_*; fallback
// bands are priority ranges (§2.6).
struct Thresholds {
  double template_high = 0.95, template_medium = 0.8, template_low = 0.5;
  double keyword_high = 0.65, keyword_medium = 0.45, keyword_low = 0.25;
  double of(Matcher matcher, Band band) const;
};

// intents.common_query (OVOS's names and defaults): how long the question-answering skills get,
// and how sure of its answer one must be.
struct CommonQuerySettings {
  std::chrono::milliseconds max_response_wait{6000};
  // A skill answering {searching: true} gets this much longer, up to max_response_wait plus
  // one extension in all.
  std::chrono::milliseconds extension_time{3000};
  double min_self_confidence = 0.5;
};

struct PipelineConfig {
  std::vector<Stage> stages;
  Thresholds thresholds;
  CommonQuerySettings common_query;
  std::vector<std::string> unknown;  // stage names left out
};

// Reads `intents`; keys that are absent keep the OVOS defaults.
PipelineConfig read_pipeline(const Json& config);

// "padatious_high", for logs and intent.service.intent.reply.
std::string stage_name(const Stage& stage);

// Fallback priorities each band takes: high (0, 5], medium (5, 90], low (90, 101].
struct PriorityRange {
  int above;
  int up_to;
};
PriorityRange fallback_range(Band band);

}  // namespace hark::pipeline
