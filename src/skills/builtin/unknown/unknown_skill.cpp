// The last fallback (priority 100, OVOS's fallback-unknown): says it did not understand.
#include "skills/builtin/skill_factories.h"

namespace hark::skills {
namespace {

class UnknownSkill : public Skill {
 public:
  explicit UnknownSkill(SkillContext& context) : Skill("hark-unknown", "unknown", context) {
    on_fallback(100, [this](const Message& m) {
      speak_dialog(m, "unknown");
      return true;
    });
  }
};

}  // namespace

std::unique_ptr<Skill> make_unknown_skill(SkillContext& context, const BuiltinOptions&) {
  return std::make_unique<UnknownSkill>(context);
}

}  // namespace hark::skills
