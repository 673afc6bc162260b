#include "pipeline/core_service.h"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>

#include <cstdlib>
#include <optional>

#include "config/watcher.h"
#include "core/log.h"
#include "pipeline/settings.h"

namespace hark::pipeline {
namespace asio = boost::asio;
namespace {

std::set<std::string, std::less<>> blacklisted_skills(const Json& config) {
  std::set<std::string, std::less<>> ids;
  if (auto* list = config::find_path(config, "skills.blacklisted_skills"); list && list->is_array())
    for (const auto& id : *list)
      if (id.is_string()) ids.insert(id.get<std::string>());
  return ids;
}

void apply_log_level(const Json& config) {
  if (auto* level = config::find_path(config, "log_level"); level && level->is_string())
    log::set_level(level->get<std::string>());
}

}  // namespace

std::filesystem::path skills_data_dir() {
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg)
    return std::filesystem::path(xdg) / "mycroft" / "skills";
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home ? home : "/tmp") / ".config" / "mycroft" / "skills";
}

CoreService::CoreService(client::BusClient& bus, asio::io_context& io, const Json& config,
                         std::filesystem::path data_dir, const skills::BuiltinOptions& options)
    : bus_(bus),
      io_(io),
      status_(bus, "skills"),
      intents_(bus, config),
      context_{bus, io, config, std::move(data_dir)},
      blacklisted_(blacklisted_skills(config)),
      skills_(skills::make_builtin_skills(context_, blacklisted_, options)) {
  std::map<std::string, bool> builtin;
  for (const auto& skill : skills_) builtin[skill->id()] = true;
  for (const auto& id : blacklisted_) builtin[id] = false;
  intents_.set_builtin_skills(std::move(builtin));
  // Training follows the registrations on the bus, so the intent service has them all when it
  // answers; from then on the core is ready.
  subscriptions_.push_back(bus_.on("mycroft.skills.trained", [this](const Message&) {
    if (status_.ready()) return;
    status_.set_ready();
    asio::post(io_, [this] {
      if (announced_) return;
      announced_ = true;
      bus_.emit(Message("mycroft.skills.initialized"));
      spdlog::info("ready: {} built-in skills", skills_.size());
    });
  }));
  // At every connection: a bus that restarted lost nothing, but a core started before its bus
  // has yet to register.
  bus_.on_connected([this] {
    asio::post(io_, [this] {
      for (const auto& skill : skills_) {
        skill->register_with_core();
        bus_.emit(Message("mycroft.skill.loaded", {{"skill_id", skill->id()}}));
      }
      bus_.emit(Message("mycroft.skills.train"));
    });
  });
}

CoreService::~CoreService() {
  for (auto id : subscriptions_) bus_.off(id);
}

void CoreService::reconfigure(const Json& before, const Json& after) {
  for (auto path : config::changed(before, after, settings())) {
    if (path == "skills.blacklisted_skills" || path == "lang")
      spdlog::warn("{} changed: restart hark core to load or unload built-in skills", path);
  }
  context_.config = after;
  intents_.reconfigure(after);
}

void CoreService::detach_all() {
  for (const auto& skill : skills_) skill->detach();
}

int run_core(const config::Sources& sources) {
  log::init("core");
  asio::io_context io(1);
  std::optional<config::LiveConfig> conf;
  if (!config::LiveConfig::open(conf, io, sources, validate)) return 1;
  apply_log_level(conf->current());

  client::BusClient bus(client::Endpoint::from_config(conf->current()),
                        client::BusClientOptions::from_config(conf->current(), "core"));
  CoreService core(bus, io, conf->current(), skills_data_dir());
  conf->on_change([&](const Json& before, const Json& after) {
    core.reconfigure(before, after);
    apply_log_level(after);
  });

  asio::signal_set stop_signals(io, SIGTERM, SIGINT);
  stop_signals.async_wait([&](boost::system::error_code ec, int) {
    if (ec) return;
    spdlog::info("stopping");
    core.detach_all();
    io.stop();
  });
  conf->reload_on_hangup();

  bus.start();
  io.run();
  // Sends the detach messages still queued.
  bus.stop();
  return 0;
}

}  // namespace hark::pipeline
