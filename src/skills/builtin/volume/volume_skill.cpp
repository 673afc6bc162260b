// Louder, quieter, a level, mute: through PHAL's mycroft.volume.* messages (protocols.md §2.12),
// so whichever process owns the mixer (hark phal, an OVOS PHAL plugin) does the work.
#include <algorithm>
#include <cmath>

#include "intent/spoken_numbers.h"
#include "skills/builtin/skill_factories.h"

namespace hark::skills {
namespace {

constexpr double kStep = 0.1;
constexpr std::chrono::milliseconds kMixerWait{1500};

class VolumeSkill : public Skill {
 public:
  explicit VolumeSkill(SkillContext& context) : Skill("hark-volume", "volume", context) {
    on_intent("volume_up", [this](const Message& m) { change(m, "mycroft.volume.increase"); });
    on_intent("volume_down", [this](const Message& m) { change(m, "mycroft.volume.decrease"); });
    on_intent("volume_set", [this](const Message& m) { set(m); });
    on_intent("volume_get", [this](const Message& m) { report(m); });
    on_intent("mute",
              [this](const Message& m) { context_.bus.emit(m.forward("mycroft.volume.mute")); });
    on_intent("unmute", [this](const Message& m) {
      context_.bus.emit(m.forward("mycroft.volume.unmute"));
      report(m);
    });
  }

 private:
  void change(const Message& m, const std::string& type) {
    context_.bus.emit(m.forward(type, {{"percent", kStep}, {"play_sound", false}}));
    report(m);
  }

  void set(const Message& m) {
    auto level = intent::parse_number(m.data().value("level", ""));
    if (!level || *level < 0 || *level > 100) return speak_dialog(m, "volume_bad_level");
    const int percent = static_cast<int>(std::lround(*level));
    context_.bus.emit(
        m.forward("mycroft.volume.set", {{"percent", percent / 100.0}, {"play_sound", false}}));
    speak_dialog(m, "volume_set", {{"level", percent}});
  }

  // Asks the mixer, which answers after any change sent before the question.
  void report(const Message& m) {
    auto answer = context_.bus.wait_for_response(m.forward("mycroft.volume.get"), kMixerWait);
    if (!answer) return speak_dialog(m, "volume_unknown");
    if (answer->data().value("muted", false)) return speak_dialog(m, "volume_muted");
    const double fraction = answer->data().value("percent", 0.0);
    // Some senders use 0-100 despite the protocol's 0-1 fraction.
    const double percent = fraction > 1.0 ? fraction : fraction * 100.0;
    speak_dialog(m, "volume_is", {{"level", static_cast<int>(std::lround(percent))}});
  }
};

}  // namespace

std::unique_ptr<Skill> make_volume_skill(SkillContext& context, const BuiltinOptions&) {
  return std::make_unique<VolumeSkill>(context);
}

}  // namespace hark::skills
