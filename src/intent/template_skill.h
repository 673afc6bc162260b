// A skill Hark loads from files registers its template intents as ovos-workshop would over the
// bus: each registered .intent file's raw lines under "<skill_id>:<file>.intent" (what
// padatious:register_intent carries), and each .entity file under "<skill_id>:<base>".
//
//   auto resources = skills::load_skill_resources(index.value).value;
//   auto names = register_template_skill(engine, "en-us", "ovos-skill-date-time", resources,
//                                        {"what.time.is.it", "current_date"});
//   engine.train();
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "intent/template_engine.h"
#include "skills/diagnostic.h"
#include "skills/resources.h"

namespace hark::intent {

// `intents` are base names of the .intent files the skill registers in code (a skill ships
// files it never registers); a name with no file is reported. Returns the registered names.
skills::Loaded<std::vector<std::string>> register_template_skill(
    TemplateEngine& engine, std::string_view lang, std::string_view skill_id,
    const skills::SkillResources& resources, std::span<const std::string> intents);

}  // namespace hark::intent
