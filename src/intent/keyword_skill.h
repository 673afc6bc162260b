// A skill Hark loads from files registers its keyword intents as ovos-workshop would over the
// bus: one vocabulary entry per .voc value and alias, each .rx line with its groups munged, and
// the intents of adapt_intents.json (shared/ovos-skills/README.md) with every .voc base name
// munged by skills::vocab_type.
//
//   auto resources = skills::load_skill_resources(index.value).value;
//   auto loaded = register_keyword_skill(engine, "en-us", "my-skill.me", resources, adapt_json);
//   for (const auto& e : loaded.errors) log(e.str());  // "intent X: no vocabulary 'y'"
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "intent/keyword_engine.h"
#include "skills/diagnostic.h"
#include "skills/resources.h"

namespace hark::intent {

// Returns the names of the intents registered. An intent naming a vocabulary the skill lacks is
// reported and left out, and so is one with requires_context: the engine has no context yet,
// and without it such an intent would match where the skill never meant it to.
skills::Loaded<std::vector<std::string>> register_keyword_skill(
    KeywordEngine& engine, std::string_view lang, std::string_view skill_id,
    const skills::SkillResources& resources, const Json& adapt_intents);

}  // namespace hark::intent
