// Greetings and who the assistant is.
#include "skills/builtin/skill_factories.h"

namespace hark::skills {
namespace {

class HelloSkill : public Skill {
 public:
  explicit HelloSkill(SkillContext& context) : Skill("hark-hello", "hello", context) {
    for (const char* name : {"hello", "how_are_you", "who_are_you"})
      on_intent(name, [this, name](const Message& m) { speak_dialog(m, name); });
  }
};

}  // namespace

std::unique_ptr<Skill> make_hello_skill(SkillContext& context, const BuiltinOptions&) {
  return std::make_unique<HelloSkill>(context);
}

}  // namespace hark::skills
