// The time, date and weekday in the configured time zone (location.timezone.code, else the
// system's), formatted per time_format ("half": 2:05 PM, "full": 14:05) and date_format (MDY,
// DMY, YMD).
#include <date/tz.h>
#include <spdlog/spdlog.h>

#include "config/config.h"
#include "skills/builtin/skill_factories.h"

namespace hark::skills {
namespace {

std::string setting(const Json& config, std::string_view path, std::string fallback) {
  auto* value = config::find_path(config, path);
  return value && value->is_string() && !value->get<std::string>().empty()
             ? value->get<std::string>()
             : std::move(fallback);
}

class DateTimeSkill : public Skill {
 public:
  DateTimeSkill(SkillContext& context, const BuiltinOptions& options)
      : Skill("hark-date-time", "date-time", context), now_(options.now) {
    on_intent("time", [this](const Message& m) { speak_dialog(m, "time", {{"time", time()}}); });
    on_intent("date", [this](const Message& m) { speak_dialog(m, "date", {{"date", date()}}); });
    on_intent("weekday", [this](const Message& m) {
      speak_dialog(m, "weekday", {{"weekday", weekday()}});
    });
  }

 private:
  date::zoned_time<std::chrono::seconds> local_now() const {
    const auto now = std::chrono::floor<std::chrono::seconds>(now_());
    const auto zone_name = setting(context_.config, "location.timezone.code", "");
    if (!zone_name.empty()) {
      try {
        return {date::locate_zone(zone_name), now};
      } catch (const std::exception& e) {
        spdlog::warn("hark-date-time: location.timezone.code '{}' unknown ({}); using the system's",
                     zone_name, e.what());
      }
    }
    try {
      return {date::current_zone(), now};
    } catch (const std::exception&) {
      return {date::locate_zone("UTC"), now};
    }
  }

  std::string time() const {
    const auto t = local_now();
    if (setting(context_.config, "time_format", "half") == "full") return date::format("%H:%M", t);
    auto text = date::format("%I:%M %p", t);
    if (text.starts_with('0')) text.erase(0, 1);
    return text;
  }

  std::string date() const {
    const auto t = local_now();
    const auto order = setting(context_.config, "date_format", "MDY");
    auto day = date::format("%d", t);
    if (day.starts_with('0')) day.erase(0, 1);
    const auto weekday_name = date::format("%A", t), month = date::format("%B", t),
               year = date::format("%Y", t);
    if (order == "DMY") return weekday_name + " " + day + " " + month + " " + year;
    if (order == "YMD") return year + " " + month + " " + day + ", " + weekday_name;
    return weekday_name + ", " + month + " " + day + ", " + year;
  }

  std::string weekday() const { return date::format("%A", local_now()); }

  std::function<std::chrono::system_clock::time_point()> now_;
};

}  // namespace

std::unique_ptr<Skill> make_date_time_skill(SkillContext& context, const BuiltinOptions& options) {
  return std::make_unique<DateTimeSkill>(context, options);
}

}  // namespace hark::skills
