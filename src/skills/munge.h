// Names a skill's resources are registered under on the OVOS bus (protocols.md §2.2). Keyword
// (Adapt) names carry the skill id so two skills' "Weather" vocabularies stay apart; the skill
// strips the prefix again before calling its handler.
//
//   to_alnum("ovos-skill-date-time.openvoiceos")        -> "ovos_skill_date_time_openvoiceos"
//   vocab_type(id, "Weather")                            ->
//   "ovos_skill_date_time_openvoiceosWeather" munge_regex("in (?P<Location>.*)", id) -> "in
//   (?P<ovos_skill_..._openvoiceosLocation>.*)" entity_registration_name(id, "location") ->
//   "<id>:location_<md5 of "location">"
#pragma once

#include <string>
#include <string_view>

namespace hark::skills {

// Every character that is not a letter or digit becomes '_' (Python: c if c.isalnum() else
// '_', per code point). Letters outside the scripts of text.h count as not alphanumeric.
std::string to_alnum(std::string_view skill_id);

// Keyword type of the .voc file `base`: to_alnum(skill_id) + base.title(), with Python's
// title(): "relative-day" gives "Relative-Day", "HelloWorldKeyword" gives "Helloworldkeyword".
std::string vocab_type(std::string_view skill_id, std::string_view base);

// Prefixes every named group of a Python regex with to_alnum(skill_id), as ovos-workshop does:
// a plain text replacement of "(?P<".
std::string munge_regex(std::string_view pattern, std::string_view skill_id);

// "<skill_id>:<base>.intent", the name of padatious:register_intent.
std::string intent_registration_name(std::string_view skill_id, std::string_view base);

// "<skill_id>:<base>_<md5(base) in hex>", the name of padatious:register_entity.
std::string entity_registration_name(std::string_view skill_id, std::string_view base);

}  // namespace hark::skills
