// For tests and benches: the template intents of the OVOS skills in shared/ovos-skills, as
// their SOURCES.json says each skill registers them, and the labelled utterances of
// bench/intent_utterances.jsonl.
#pragma once

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "intent/template_engine.h"
#include "intent/template_skill.h"
#include "skills/index.h"
#include "skills/resources.h"

namespace hark::intent::fixtures {

// Where locale/ is: some skills keep it in their Python package.
inline std::filesystem::path skill_root(const std::filesystem::path& repo) {
  for (const auto& entry : std::filesystem::recursive_directory_iterator(repo))
    if (entry.is_directory() && entry.path().filename() == "locale")
      return entry.path().parent_path();
  return repo;
}

// Registers every skill's template intents and entities in `engine` (en-us, not trained), but
// those of `leave_out`. Returns every load or registration error, so a test can insist there are none that matter.
inline std::vector<skills::Diagnostic> register_ovos_skills(
    TemplateEngine& engine, const std::filesystem::path& dir, std::string_view leave_out = {}) {
  std::ifstream in(dir / "SOURCES.json");
  const auto sources = Json::parse(in);
  std::vector<skills::Diagnostic> errors;
  for (const auto& [skill, entry] : sources.items()) {
    if (skill == leave_out) continue;
    std::vector<std::string> intents;
    for (const auto& file : entry.at("registered_intent_files")) {
      auto name = file.get<std::string>();
      intents.push_back(name.substr(0, name.size() - std::string(".intent").size()));
    }
    auto index = skills::index_resources({skill_root(dir / skill), "en-us", {}});
    auto resources = skills::load_skill_resources(index.value);
    auto loaded = register_template_skill(engine, "en-us", skill, resources.value, intents);
    for (auto* list : {&index.errors, &resources.errors, &loaded.errors})
      errors.insert(errors.end(), list->begin(), list->end());
  }
  return errors;
}

struct Labelled {
  std::string utterance;
  // "<skill>:<intent>" as labelled, or none for a negative.
  std::optional<std::string> intent;

  // Whether an engine's answer is the labelled intent: a template intent registers as
  // "<skill>:<intent>.intent", a keyword intent as "<skill>:<intent>".
  bool is(std::string_view answer) const {
    return intent && (answer == *intent || answer == *intent + ".intent");
  }
  // Whether the answer runs the labelled intent's handler in the skill's own code: the intent
  // itself, or one the skill routes to the same handler (same_handler_intents below).
  bool is_handled_as(std::string_view answer) const;
  std::string_view skill() const {
    return intent ? std::string_view(*intent).substr(0, intent->find(':')) : std::string_view();
  }
};

// Intents of the fixture skills that the skill's own code answers with another intent's handler,
// so that a user gets the same answer from either (read in each skill's __init__.py):
// ovos-skill-alerts' "...Alt" intents call the handler of the intent without "Alt", and
// ovos-skill-weather's "weather" intent reports the current weather, a day's forecast or the
// hours' by the time the utterance names (handle_weather).
struct SameHandler {
  std::string_view answer, labelled;
};
inline constexpr SameHandler same_handler_intents[] = {
    {"ovos-skill-alerts:CreateAlarmAlt", "ovos-skill-alerts:CreateAlarm"},
    {"ovos-skill-alerts:CreateOcpAlarmAlt", "ovos-skill-alerts:CreateOcpAlarm"},
    {"ovos-skill-alerts:CreateReminderAlt", "ovos-skill-alerts:CreateReminder"},
    {"ovos-skill-alerts:RescheduleAlertAlt", "ovos-skill-alerts:RescheduleAlert"},
    {"ovos-skill-weather:weather", "ovos-skill-weather:current_weather"},
    {"ovos-skill-weather:weather", "ovos-skill-weather:daily_forecast"},
    {"ovos-skill-weather:weather", "ovos-skill-weather:hourly_forecast"},
};

inline bool Labelled::is_handled_as(std::string_view answer) const {
  if (!intent) return false;
  if (is(answer)) return true;
  constexpr std::string_view kTemplate = ".intent";
  if (answer.ends_with(kTemplate)) answer.remove_suffix(kTemplate.size());
  for (auto [a, b] : same_handler_intents)
    if ((answer == a && *intent == b) || (answer == b && *intent == a)) return true;
  return false;
}

inline std::vector<Labelled> read_labelled(const std::filesystem::path& file) {
  std::vector<Labelled> cases;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    const auto j = Json::parse(line);
    Labelled c{j.at("utterance").get<std::string>(), std::nullopt};
    if (!j.at("intent").is_null())
      c.intent = j.at("skill").get<std::string>() + ":" + j.at("intent").get<std::string>();
    cases.push_back(std::move(c));
  }
  return cases;
}

struct Accuracy {
  int positives = 0, correct = 0;   // top-1 right at or above the threshold
  int negatives = 0, accepted = 0;  // negatives at or above the threshold
};

inline Accuracy measure(const TemplateEngine& engine, const std::vector<Labelled>& cases,
                        double threshold) {
  Accuracy a;
  for (const auto& c : cases) {
    auto best = engine.match(c.utterance, "en-us");
    const bool accepted = best && best->confidence >= threshold;
    if (c.intent) {
      ++a.positives;
      a.correct += accepted && c.is(best->intent);
    } else {
      ++a.negatives;
      a.accepted += accepted;
    }
  }
  return a;
}

}  // namespace hark::intent::fixtures
