#include "pipeline/settings.h"

#include "config/config.h"

#include <fmt/format.h>

namespace hark::pipeline {

using config::Apply;
using config::Setting;
using config::Type;

std::span<const Setting> settings() {
  static const Setting table[] = {
      {"lang", Type::String, "language of the skills' resources and of utterances without one", 2,
       35, Apply::Restart},
      {"intents.pipeline", Type::StringList,
       "matchers in order: stop_high, converse, padatious_high, adapt_high, fallback_high, ... "
       "(OVOS plugin ids accepted)"},
      {"intents.padatious.conf_high", Type::Number, "template confidence of the high band", 0, 1},
      {"intents.padatious.conf_med", Type::Number, "template confidence of the medium band", 0, 1},
      {"intents.padatious.conf_low", Type::Number, "template confidence of the low band", 0, 1},
      {"intents.adapt.conf_high", Type::Number, "keyword confidence of the high band", 0, 1},
      {"intents.adapt.conf_med", Type::Number, "keyword confidence of the medium band", 0, 1},
      {"intents.adapt.conf_low", Type::Number, "keyword confidence of the low band", 0, 1},
      {"intents.common_query.max_response_wait", Type::Number,
       "seconds the question-answering skills get to answer a question", 0.1, 60},
      {"intents.common_query.extension_time", Type::Number,
       "seconds more a skill that is still searching gets (once beyond max_response_wait)", 0, 60},
      {"intents.common_query.min_self_confidence", Type::Number,
       "the least confidence a question-answering skill's answer needs", 0, 1},
      {"intents.blacklisted_intents", Type::StringList,
       "intents never matched, as <skill_id>:<name>"},
      {"skills.blacklisted_skills", Type::StringList,
       "skills not loaded (built-in) or not matched (over the bus)"},
      {"skills.converse.timeout", Type::Integer,
       "seconds a skill stays active (asked first) after it answered", 0, 86400},
      {"location.timezone.code", Type::String,
       "IANA time zone of the date and time skill, e.g. Europe/Paris; empty: the system's"},
      {"time_format", Type::String, "half (2:05 PM) or full (14:05)"},
      {"date_format", Type::String, "MDY, DMY or YMD"},
      {"log_level", Type::String, "DEBUG, INFO, WARNING, ERROR or CRITICAL"},
  };
  return table;
}

std::vector<std::string> validate(const Json& config) {
  auto problems = config::validate(config, settings());
  if (!problems.empty()) return problems;
  // Unknown intents.pipeline names are not problems: OVOS configurations name plugins Hark does
  // not have (OCP, model2vec), and the service leaves those out with a warning.
  if (auto* f = config::find_path(config, "time_format"); f && f->is_string()) {
    if (*f != "half" && *f != "full")
      problems.push_back(fmt::format("time_format: half or full (given {})", f->dump()));
  }
  if (auto* f = config::find_path(config, "date_format"); f && f->is_string()) {
    if (*f != "MDY" && *f != "DMY" && *f != "YMD")
      problems.push_back(fmt::format("date_format: MDY, DMY or YMD (given {})", f->dump()));
  }
  return problems;
}

}  // namespace hark::pipeline
