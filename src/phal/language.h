// The language code of `system.configure.language`, as mycroft.conf's `lang` spells it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hark::phal {

// "en_US", "pt-BR", "de" -> "en-us", "pt-br", "de" (ovos-PHAL-plugin-system's spelling: lower
// case, '-' between the parts); nullopt for anything that is not a language code: a language of
// 2-3 letters, then at most three subtags of 2-8 letters or digits.
std::optional<std::string> normalized_language(std::string_view code);

}  // namespace hark::phal
