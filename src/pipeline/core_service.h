// `hark core`: the intent service and the built-in skills on one bus connection. Ready
// (mycroft.skills.is_ready) once every built-in skill has registered and the engines trained.
//
//   client::BusClient bus(endpoint, {.name = "core"});
//   boost::asio::io_context io;                  // the skills' thread runs io.run()
//   pipeline::CoreService core(bus, io, config);
//   bus.start();
#pragma once

#include <boost/asio/io_context.hpp>

#include <filesystem>
#include <memory>
#include <vector>

#include "client/bus_client.h"
#include "client/process_status.h"
#include "config/config.h"
#include "pipeline/intent_service.h"
#include "skills/builtin/builtin_skills.h"

namespace hark::pipeline {

class CoreService {
 public:
  // `data_dir` holds each skill's settings and state (OVOS: ~/.config/mycroft/skills).
  CoreService(client::BusClient& bus, boost::asio::io_context& io, const Json& config,
              std::filesystem::path data_dir, const skills::BuiltinOptions& options = {});
  ~CoreService();

  // What may change while running (pipeline, thresholds, formats); the rest is logged as
  // needing a restart. Call on the io thread.
  void reconfigure(const Json& before, const Json& after);
  // detach_skill for every skill, as skills shutting down do.
  void detach_all();

  bool ready() const { return status_.ready(); }

 private:
  client::BusClient& bus_;
  boost::asio::io_context& io_;
  client::ProcessStatus status_;
  IntentService intents_;
  skills::SkillContext context_;
  std::set<std::string, std::less<>> blacklisted_;
  std::vector<std::unique_ptr<skills::Skill>> skills_;
  std::vector<client::BusClient::HandlerId> subscriptions_;
  bool announced_ = false;
};

// Runs until SIGTERM or SIGINT; returns the exit code.
int run_core(const config::Sources& sources);

// $XDG_CONFIG_HOME/mycroft/skills (~/.config/mycroft/skills).
std::filesystem::path skills_data_dir();

}  // namespace hark::pipeline
