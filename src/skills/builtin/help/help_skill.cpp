// "What can you do": examples of the loaded skills, from the homescreen.register.examples every
// skill (built-in or standalone) sends when it registers.
#include <map>
#include <random>

#include "skills/builtin/skill_factories.h"

namespace hark::skills {
namespace {

constexpr std::size_t kExamplesSpoken = 4;

class HelpSkill : public Skill {
 public:
  explicit HelpSkill(SkillContext& context) : Skill("hark-help", "help", context) {
    on_message("homescreen.register.examples", [this](const Message& m) {
      auto skill = m.data().value("skill_id", "");
      auto list = m.data().find("utterances");
      if (skill.empty() || skill == id() || list == m.data().end() || !list->is_array()) return;
      auto& examples = examples_[skill];
      examples.clear();
      for (const auto& e : *list)
        if (e.is_string()) examples.push_back(e.get<std::string>());
    });
    on_message("detach_skill",
               [this](const Message& m) { examples_.erase(m.data().value("skill_id", "")); });
    on_intent("help", [this](const Message& m) { answer(m); });
  }

 private:
  // One example from each of a few skills, so the answer shows the range.
  void answer(const Message& m) {
    std::vector<std::string> picked;
    for (const auto& [skill, examples] : examples_)
      if (!examples.empty()) picked.push_back(examples[random_() % examples.size()]);
    if (picked.empty()) return speak_dialog(m, "help_empty");
    std::shuffle(picked.begin(), picked.end(), random_);
    if (picked.size() > kExamplesSpoken) picked.resize(kExamplesSpoken);
    std::string list;
    for (std::size_t i = 0; i < picked.size(); ++i) {
      if (i > 0) list += i + 1 == picked.size() ? ", or " : ", ";
      list += "\"" + picked[i] + "\"";
    }
    speak_dialog(m, "help", {{"examples", list}});
  }

  std::map<std::string, std::vector<std::string>> examples_;
  std::mt19937 random_{std::random_device{}()};
};

}  // namespace

std::unique_ptr<Skill> make_help_skill(SkillContext& context, const BuiltinOptions&) {
  return std::make_unique<HelpSkill>(context);
}

}  // namespace hark::skills
