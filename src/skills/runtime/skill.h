// A skill written in C++ that joins the bus exactly as an OVOS (ovos-workshop) skill does: it
// registers its .intent/.entity files with `padatious:register_*`, receives
// `<skill_id>:<name>.intent`, brackets its handler with mycroft.skill.handler.start/complete,
// answers in `.dialog` lines, and takes part in stop and converse pings. The core treats it
// like any standalone skill; only the process is shared.
//
//   class Hello : public Skill {
//    public:
//     explicit Hello(SkillContext& context) : Skill("hark-hello", "hello", context) {
//       on_intent("hello", [this](const Message& m) { speak_dialog(m, "hello"); });
//     }
//   };
//
// Handlers run on the context's io thread, one at a time: they may wait on the bus
// (wait_for_response) and may schedule timers on the io_context.
#pragma once

#include <boost/asio/io_context.hpp>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/bus_client.h"
#include "core/json.h"
#include "skills/dialog.h"
#include "skills/resources.h"

namespace hark::skills {

struct SkillContext {
  client::BusClient& bus;
  boost::asio::io_context& io;  // the skills' thread
  Json config;                  // merged mycroft.conf
  // Where skills keep settings and state: <dir>/<skill_id>/ (OVOS: ~/.config/mycroft/skills).
  std::filesystem::path data_dir;
};

class Skill {
 public:
  using Handler = std::function<void(const Message&)>;

  // `folder` is the skill's folder under builtin_skills_dir(); its resources are loaded for the
  // configured lang, problems logged with file and line.
  Skill(std::string skill_id, std::string_view folder, SkillContext& context);
  virtual ~Skill();
  Skill(const Skill&) = delete;
  Skill& operator=(const Skill&) = delete;

  const std::string& id() const { return id_; }
  // Example utterances (skill.json), for help and the homescreen.
  const std::vector<std::string>& examples() const { return resources_.examples; }

  // Sends the registrations; called at every (re)connection to the bus.
  void register_with_core();
  // detach_skill, as a skill shutting down does.
  void detach();

 protected:
  // The handler of <name>.intent.
  void on_intent(std::string name, Handler handler);
  // Makes the skill a fallback of this priority (protocols.md §2.6): the core offers it the
  // utterances no intent took; the handler says whether it answered.
  using FallbackHandler = std::function<bool(const Message&)>;
  void on_fallback(int priority, FallbackHandler handler);
  // Any other bus message, handled on the skills' thread.
  void on_message(std::string type, Handler handler);

  // Says `text` in reply to `origin` (its context carries the session and who asked).
  void speak(const Message& origin, const std::string& text, bool expect_response = false);
  void speak_dialog(const Message& origin, std::string_view dialog,
                    const Json& data = Json::object(), bool expect_response = false);
  std::string render(std::string_view dialog, const Json& data = Json::object());

  // A random .list / .value file of the skill's resources.
  const SkillResources& resources() const { return resources_; }

  // Persistent per-skill files: <data_dir>/<skill_id>/<name>, written atomically.
  Json load_json(const std::string& name) const;
  void save_json(const std::string& name, const Json& value) const;

  // Stop: whether the skill has something to stop now, and stopping it.
  virtual bool can_stop() const { return false; }
  virtual void stop() {}

  SkillContext& context_;

 private:
  void handle_intent(const std::string& name, const Handler& handler, const Message& message);

  std::string id_;
  std::string lang_;
  SkillResources resources_;
  DialogRenderer dialogs_;
  std::vector<std::string> intents_;  // registered .intent base names
  struct Fallback {
    int priority;
    FallbackHandler handler;
  };
  std::optional<Fallback> fallback_;
  std::vector<client::BusClient::HandlerId> subscriptions_;
};

}  // namespace hark::skills
