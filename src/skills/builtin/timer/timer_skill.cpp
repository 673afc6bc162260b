// Several named timers: "set a pasta timer for 10 minutes", "how much time is left", "cancel the
// pasta timer". Each is announced when it ends; they are kept in timers.json in the skill's
// data folder, so a restart of the core keeps them (one that ended meanwhile is announced at
// start).
#include <spdlog/spdlog.h>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <list>

#include "intent/spoken_numbers.h"
#include "skills/builtin/skill_factories.h"

namespace hark::skills {
namespace {

using SystemClock = std::chrono::system_clock;

// A kitchen timer's range, and well within what a time point holds: "a million hours" from now
// would overflow the clock's nanoseconds.
constexpr std::chrono::hours kLongestTimer{100};

class TimerSkill : public Skill {
 public:
  TimerSkill(SkillContext& context, const BuiltinOptions& options)
      : Skill("hark-timer", "timer", context), now_(options.now) {
    on_intent("start_timer", [this](const Message& m) { start(m); });
    on_intent("cancel_timer", [this](const Message& m) { cancel(m); });
    on_intent("list_timers", [this](const Message& m) { list(m); });
    restore();
  }

 private:
  struct Timer {
    std::string name;  // empty: "the timer"
    SystemClock::time_point ends;
    std::unique_ptr<boost::asio::steady_timer> alarm;
  };

  void start(const Message& m) {
    auto duration = intent::parse_duration(m.data().value("duration", ""));
    if (!duration) return speak_dialog(m, "no_duration");
    if (*duration > kLongestTimer)
      return speak_dialog(m, "too_long", {{"longest", intent::spoken_duration(kLongestTimer)}});
    const auto name = m.data().value("name", "");
    if (auto existing = find(name); existing != timers_.end()) timers_.erase(existing);
    schedule(name, now_() + *duration);
    save();
    const Json data = {{"name", name}, {"duration", intent::spoken_duration(*duration)}};
    speak_dialog(m, name.empty() ? "started" : "started_named", data);
  }

  void cancel(const Message& m) {
    if (timers_.empty()) return speak_dialog(m, "no_timers");
    const auto name = m.data().value("name", "");
    const auto utterance = m.data().value("utterance", "");
    if (name.empty() && utterance.find("all") != std::string::npos && timers_.size() > 1) {
      const auto count = timers_.size();
      timers_.clear();
      save();
      return speak_dialog(m, "cancelled_all", {{"count", count}});
    }
    auto it = name.empty() ? soonest() : find(name);
    if (it == timers_.end()) return speak_dialog(m, "no_such_timer", {{"name", name}});
    const auto cancelled = it->name;
    timers_.erase(it);
    save();
    if (cancelled.empty()) return speak_dialog(m, "cancelled");
    speak_dialog(m, "cancelled_named", {{"name", cancelled}});
  }

  void list(const Message& m) {
    if (timers_.empty()) return speak_dialog(m, "no_timers");
    const auto name = m.data().value("name", "");
    if (!name.empty()) {
      auto it = find(name);
      if (it == timers_.end()) return speak_dialog(m, "no_such_timer", {{"name", name}});
      return speak_dialog(m, "remaining", {{"name", it->name}, {"remaining", remaining(*it)}});
    }
    if (timers_.size() == 1) {
      return speak_dialog(m, "remaining_one", {{"remaining", remaining(timers_.front())}});
    }
    std::vector<const Timer*> by_end;
    for (const auto& t : timers_) by_end.push_back(&t);
    std::sort(by_end.begin(), by_end.end(), [](auto* a, auto* b) { return a->ends < b->ends; });
    std::string text;
    for (const auto* t : by_end) {
      if (!text.empty()) text += " ";
      text += render("remaining", {{"name", t->name.empty() ? "The other" : t->name},
                                   {"remaining", remaining(*t)}});
    }
    speak(m, text);
  }

  std::string remaining(const Timer& timer) const {
    auto left = std::chrono::ceil<std::chrono::seconds>(timer.ends - now_());
    return intent::spoken_duration(std::max(left, std::chrono::seconds(0)));
  }

  std::list<Timer>::iterator find(const std::string& name) {
    return std::find_if(timers_.begin(), timers_.end(),
                        [&](const Timer& t) { return t.name == name; });
  }

  std::list<Timer>::iterator soonest() {
    return std::min_element(timers_.begin(), timers_.end(),
                            [](const Timer& a, const Timer& b) { return a.ends < b.ends; });
  }

  void schedule(const std::string& name, SystemClock::time_point ends) {
    auto& timer = timers_.emplace_back(
        Timer{name, ends, std::make_unique<boost::asio::steady_timer>(context_.io)});
    timer.alarm->expires_after(std::max(ends - now_(), SystemClock::duration::zero()));
    timer.alarm->async_wait([this, alarm = timer.alarm.get()](boost::system::error_code ec) {
      if (!ec) expire(alarm);
    });
  }

  void expire(const boost::asio::steady_timer* alarm) {
    auto it = std::find_if(timers_.begin(), timers_.end(),
                           [&](const Timer& t) { return t.alarm.get() == alarm; });
    if (it == timers_.end()) return;
    const auto name = it->name;
    timers_.erase(it);
    save();
    // Nobody asked just now: the announcement goes to the device's own (default) session.
    const Message origin("hark.timer.expired", {{"name", name}}, {{"skill_id", id()}});
    context_.bus.emit(origin);
    speak_dialog(origin, name.empty() ? "expired" : "expired_named", {{"name", name}});
  }

  void save() const {
    Json list = Json::array();
    for (const auto& t : timers_) {
      list.push_back(
          {{"name", t.name},
           {"ends", std::chrono::duration_cast<std::chrono::milliseconds>(t.ends.time_since_epoch())
                        .count()}});
    }
    save_json("timers.json", {{"timers", list}});
  }

  void restore() {
    const auto saved = load_json("timers.json");
    auto list = saved.find("timers");
    if (list == saved.end() || !list->is_array()) return;
    for (const auto& t : *list) {
      if (!t.is_object() || !t.contains("ends") || !t["ends"].is_number_integer()) continue;
      const auto ends =
          SystemClock::time_point(std::chrono::milliseconds(t["ends"].get<std::int64_t>()));
      schedule(t.value("name", ""), ends);
    }
    if (!timers_.empty()) spdlog::info("{}: {} timers restored", id(), timers_.size());
  }

  std::function<SystemClock::time_point()> now_;
  std::list<Timer> timers_;
};

}  // namespace

std::unique_ptr<Skill> make_timer_skill(SkillContext& context, const BuiltinOptions& options) {
  return std::make_unique<TimerSkill>(context, options);
}

}  // namespace hark::skills
