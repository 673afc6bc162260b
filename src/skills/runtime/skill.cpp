#include "skills/runtime/skill.h"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include <fstream>
#include <random>

#include "config/config.h"
#include "core/files.h"
#include "skills/builtin_dir.h"
#include "skills/index.h"

namespace hark::skills {
namespace {

// Folder names are lowercase ("en-us"); index_resources compares them ignoring case anyway.
std::string configured_lang(const Json& config) {
  auto it = config.find("lang");
  return it != config.end() && it->is_string() ? it->get<std::string>() : "en-us";
}

SkillResources load_resources(const std::string& id, std::string_view folder,
                              const std::string& lang) {
  auto index = index_resources({builtin_skill_dir(folder), lang, user_resource_dir(id)});
  auto loaded = load_skill_resources(index.value);
  for (auto* errors : {&index.errors, &loaded.errors})
    for (const auto& e : *errors) spdlog::warn("{}: {}", id, e.str());
  // skill.json sits beside locale/, outside the index.
  if (auto json = builtin_skill_dir(folder) / "skill.json"; std::filesystem::exists(json)) {
    auto examples = load_skill_examples(json);
    loaded.value.examples = std::move(examples.value);
    for (const auto& e : examples.errors) spdlog::warn("{}: {}", id, e.str());
  }
  return std::move(loaded.value);
}

std::vector<std::string> raw_lines(const std::vector<TemplateLine>& lines) {
  std::vector<std::string> raw;
  for (const auto& line : lines) raw.push_back(line.raw);
  return raw;
}

}  // namespace

Skill::Skill(std::string skill_id, std::string_view folder, SkillContext& context)
    : context_(context),
      id_(std::move(skill_id)),
      lang_(configured_lang(context.config)),
      resources_(load_resources(id_, folder, lang_)),
      dialogs_(resources_.dialogs) {
  // ovos-workshop answers every ping, so the core never waits for a C++ skill.
  on_message(id_ + ".converse.ping", [this](const Message& m) {
    context_.bus.emit(m.reply("skill.converse.pong", {{"skill_id", id_}, {"can_handle", false}}));
  });
  on_message(id_ + ".stop.ping", [this](const Message& m) {
    context_.bus.emit(m.reply("skill.stop.pong", {{"skill_id", id_}, {"can_handle", can_stop()}}));
  });
  on_message(id_ + ".stop", [this](const Message& m) {
    const bool stopped = can_stop();
    stop();
    context_.bus.emit(m.reply(id_ + ".stop.response", {{"skill_id", id_}, {"result", stopped}}));
  });
  on_message("mycroft.stop", [this](const Message&) {
    if (can_stop()) stop();
  });
}

Skill::~Skill() {
  for (auto id : subscriptions_) context_.bus.off(id);
}

void Skill::on_message(std::string type, Handler handler) {
  subscriptions_.push_back(context_.bus.on(
      std::move(type), [this, handler = std::move(handler)](const Message& message) {
        boost::asio::post(context_.io, [handler, message] { handler(message); });
      }));
}

void Skill::on_intent(std::string name, Handler handler) {
  if (!resources_.intents.contains(name)) {
    spdlog::error("{}: no {}.intent; that intent is not registered", id_, name);
    return;
  }
  intents_.push_back(name);
  on_message(id_ + ":" + name + ".intent",
             [this, name, handler = std::move(handler)](const Message& message) {
               handle_intent(name, handler, message);
             });
}

void Skill::handle_intent(const std::string& name, const Handler& handler, const Message& message) {
  const Json handler_name = {{"name", id_ + "." + name}};
  auto& bus = context_.bus;
  bus.emit(message.forward("mycroft.skill.handler.start", handler_name));
  try {
    handler(message);
    bus.emit(message.forward("mycroft.skill.handler.complete", handler_name));
  } catch (const std::exception& e) {
    spdlog::error("{}: {} failed: {}", id_, name, e.what());
    Json error = handler_name;
    error["exception"] = e.what();
    bus.emit(message.forward("mycroft.skill.handler.error", error));
    speak(message, "An error occurred while processing a request in " + id_);
  }
  bus.emit(message.forward("ovos.utterance.handled"));
}

void Skill::register_with_core() {
  auto& bus = context_.bus;
  for (const auto& [base, entity] : resources_.entities) {
    bus.emit(Message(
        "padatious:register_entity",
        {{"name", id_ + ":" + base}, {"samples", raw_lines(entity.templates)}, {"lang", lang_}}));
  }
  for (const auto& base : intents_) {
    const auto& file = resources_.intents.at(base);
    bus.emit(Message("padatious:register_intent", {{"name", id_ + ":" + base + ".intent"},
                                                   {"samples", raw_lines(file.templates)},
                                                   {"file_name", base + ".intent"},
                                                   {"lang", lang_}}));
  }
  if (fallback_) {
    bus.emit(Message("ovos.skills.fallback.register",
                     {{"skill_id", id_}, {"priority", fallback_->priority}}));
  }
  if (!resources_.examples.empty()) {
    bus.emit(Message("homescreen.register.examples",
                     {{"skill_id", id_}, {"utterances", resources_.examples}, {"lang", lang_}}));
  }
}

void Skill::on_fallback(int priority, FallbackHandler handler) {
  fallback_.emplace(Fallback{priority, std::move(handler)});
  on_message("ovos.skills.fallback.ping", [this](const Message& m) {
    // The core asks the fallbacks of one priority band at a time.
    bool in_range = true;
    if (auto r = m.data().find("range"); r != m.data().end() && r->is_array() && r->size() == 2)
      in_range = fallback_->priority > (*r)[0].get<double>() &&
                 fallback_->priority <= (*r)[1].get<double>();
    if (in_range)
      context_.bus.emit(
          m.reply("ovos.skills.fallback.pong", {{"skill_id", id_}, {"can_handle", true}}));
  });
  const auto prefix = "ovos.skills.fallback." + id_;
  on_message(prefix + ".request", [this, prefix](const Message& m) {
    auto& bus = context_.bus;
    bus.emit(m.forward(prefix + ".start"));
    bool result = false;
    try {
      result = fallback_->handler(m);
    } catch (const std::exception& e) {
      spdlog::error("{}: fallback failed: {}", id_, e.what());
    }
    bus.emit(m.forward(prefix + ".response",
                       {{"result", result}, {"fallback_handler", id_ + ".fallback"}}));
    if (result) bus.emit(m.forward("ovos.utterance.handled"));
  });
}

void Skill::detach() {
  if (fallback_) {
    context_.bus.emit(Message("ovos.skills.fallback.deregister", {{"skill_id", id_}}));
  }
  context_.bus.emit(Message("detach_skill", {{"skill_id", id_}}));
}

std::string Skill::render(std::string_view dialog, const Json& data) {
  auto text = dialogs_.render(dialog, data).text;
  // A line may start with a slot ("{name} timer set"); the sentence still starts upper case.
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z')
    text[0] = static_cast<char>(text[0] - 'a' + 'A');
  return text;
}

void Skill::speak(const Message& origin, const std::string& text, bool expect_response) {
  Json data = {{"utterance", text},
               {"expect_response", expect_response},
               {"lang", origin.data().value("lang", lang_)},
               {"meta", {{"skill", id_}}}};
  context_.bus.emit(origin.forward("speak", std::move(data)));
}

void Skill::speak_dialog(const Message& origin, std::string_view dialog, const Json& data,
                         bool expect_response) {
  speak(origin, render(dialog, data), expect_response);
}

Json Skill::load_json(const std::string& name) const {
  const auto file = context_.data_dir / id_ / name;
  std::ifstream in(file);
  if (!in) return Json::object();
  try {
    return Json::parse(in);
  } catch (const std::exception& e) {
    spdlog::error("{}: {} is not JSON ({}); starting afresh", id_, file.string(), e.what());
    return Json::object();
  }
}

void Skill::save_json(const std::string& name, const Json& value) const {
  const auto file = context_.data_dir / id_ / name;
  std::error_code ec;
  replace_file(file, value.dump(2) + '\n', ec);
  if (ec) spdlog::error("{}: cannot write {}: {}", id_, file.string(), ec.message());
}

}  // namespace hark::skills
