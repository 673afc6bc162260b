#include "skills/munge.h"

#include <array>
#include <memory>
#include <stdexcept>

#include "core/md5.h"
#include "skills/text.h"

namespace hark::skills {

std::string to_alnum(std::string_view skill_id) {
  std::string out;
  std::size_t pos = 0;
  while (pos < skill_id.size()) {
    const char32_t c = text::decode(skill_id, pos);
    if (text::is_alnum(c)) {
      text::append_utf8(out, c);
    } else {
      out += '_';
    }
  }
  return out;
}

std::string vocab_type(std::string_view skill_id, std::string_view base) {
  return to_alnum(skill_id) + text::python_title(base);
}

std::string munge_regex(std::string_view pattern, std::string_view skill_id) {
  static constexpr std::string_view kNamedGroup = "(?P<";
  const std::string prefix = to_alnum(skill_id);
  std::string out;
  std::size_t from = 0;
  for (std::size_t at = pattern.find(kNamedGroup); at != std::string_view::npos;
       at = pattern.find(kNamedGroup, from)) {
    out.append(pattern.substr(from, at - from)).append(kNamedGroup).append(prefix);
    from = at + kNamedGroup.size();
  }
  return out.append(pattern.substr(from));
}

std::string intent_registration_name(std::string_view skill_id, std::string_view base) {
  return std::string(skill_id) + ":" + std::string(base) + ".intent";
}

std::string entity_registration_name(std::string_view skill_id, std::string_view base) {
  return std::string(skill_id) + ":" + std::string(base) + "_" + md5_hex(base);
}

}  // namespace hark::skills
