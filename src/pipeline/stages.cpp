#include "pipeline/stages.h"

#include <array>
#include <optional>
#include <string_view>
#include <utility>

namespace hark::pipeline {
namespace {

struct Named {
  std::string_view short_name;
  std::string_view plugin_id;
  Stage stage;
};

constexpr std::array kStages{
    Named{"stop_high", "ovos-stop-pipeline-plugin-high", {Matcher::Stop, Band::High}},
    Named{"stop_medium", "ovos-stop-pipeline-plugin-medium", {Matcher::Stop, Band::Medium}},
    Named{"stop_low", "ovos-stop-pipeline-plugin-low", {Matcher::Stop, Band::Low}},
    Named{"converse", "ovos-converse-pipeline-plugin", {Matcher::Converse, Band::High}},
    Named{"padatious_high", "ovos-padatious-pipeline-plugin-high", {Matcher::Template, Band::High}},
    Named{"padatious_medium",
          "ovos-padatious-pipeline-plugin-medium",
          {Matcher::Template, Band::Medium}},
    Named{"padatious_low", "ovos-padatious-pipeline-plugin-low", {Matcher::Template, Band::Low}},
    Named{"adapt_high", "ovos-adapt-pipeline-plugin-high", {Matcher::Keyword, Band::High}},
    Named{"adapt_medium", "ovos-adapt-pipeline-plugin-medium", {Matcher::Keyword, Band::Medium}},
    Named{"adapt_low", "ovos-adapt-pipeline-plugin-low", {Matcher::Keyword, Band::Low}},
    Named{"common_qa", "ovos-common-query-pipeline-plugin", {Matcher::CommonQuery, Band::High}},
    Named{"fallback_high", "ovos-fallback-pipeline-plugin-high", {Matcher::Fallback, Band::High}},
    Named{"fallback_medium",
          "ovos-fallback-pipeline-plugin-medium",
          {Matcher::Fallback, Band::Medium}},
    Named{"fallback_low", "ovos-fallback-pipeline-plugin-low", {Matcher::Fallback, Band::Low}},
};

std::optional<Stage> find_stage(std::string_view name) {
  for (const auto& named : kStages)
    if (name == named.short_name || name == named.plugin_id) return named.stage;
  return std::nullopt;
}

bool read_number(const Json& section, const char* key, double& into) {
  auto it = section.find(key);
  if (it == section.end() || !it->is_number()) return false;
  into = it->get<double>();
  return true;
}

}  // namespace

double Thresholds::of(Matcher matcher, Band band) const {
  const bool keyword = matcher == Matcher::Keyword;
  switch (band) {
    case Band::High:
      return keyword ? keyword_high : template_high;
    case Band::Medium:
      return keyword ? keyword_medium : template_medium;
    case Band::Low:
      return keyword ? keyword_low : template_low;
  }
  return 1.0;
}

PipelineConfig read_pipeline(const Json& config) {
  PipelineConfig result;
  const Json empty = Json::object();
  const Json& intents = config.contains("intents") ? config["intents"] : empty;
  if (auto it = intents.find("pipeline"); it != intents.end() && it->is_array()) {
    for (const auto& entry : *it) {
      const auto name = entry.is_string() ? entry.get<std::string>() : entry.dump();
      if (auto stage = find_stage(name))
        result.stages.push_back(*stage);
      else
        result.unknown.push_back(name);
    }
  }
  auto& t = result.thresholds;
  if (auto it = intents.find("padatious"); it != intents.end() && it->is_object()) {
    read_number(*it, "conf_high", t.template_high);
    read_number(*it, "conf_med", t.template_medium);
    read_number(*it, "conf_low", t.template_low);
  }
  if (auto it = intents.find("adapt"); it != intents.end() && it->is_object()) {
    read_number(*it, "conf_high", t.keyword_high);
    read_number(*it, "conf_med", t.keyword_medium);
    read_number(*it, "conf_low", t.keyword_low);
  }
  if (auto it = intents.find("common_query"); it != intents.end() && it->is_object()) {
    auto& q = result.common_query;
    double seconds = 0;
    if (read_number(*it, "max_response_wait", seconds))
      q.max_response_wait = std::chrono::milliseconds(static_cast<long>(seconds * 1000));
    if (read_number(*it, "extension_time", seconds))
      q.extension_time = std::chrono::milliseconds(static_cast<long>(seconds * 1000));
    read_number(*it, "min_self_confidence", q.min_self_confidence);
  }
  return result;
}

std::string stage_name(const Stage& stage) {
  for (const auto& named : kStages)
    if (named.stage == stage) return std::string(named.short_name);
  return "unknown";
}

PriorityRange fallback_range(Band band) {
  switch (band) {
    case Band::High:
      return {0, 5};
    case Band::Medium:
      return {5, 90};
    case Band::Low:
      return {90, 101};
  }
  return {0, 101};
}

}  // namespace hark::pipeline
