// The intent service of `hark core`: takes the registrations of every skill (built-in or
// standalone, in any language) from the bus and turns each `recognizer_loop:utterance` into one
// skill's intent message, through the pipeline of stages.h (protocols.md §2.2-§2.9, §3).
//
//   client::BusClient bus(endpoint, {.name = "core"});
//   pipeline::IntentService intents(bus, config);   // subscribes; before bus.start()
//   bus.start();
//
// Every message it takes is queued to one worker thread, in arrival order, so a registration
// is in place before the utterance that follows it, and the engines are never touched from two
// threads. Stages that must ask skills (stop, converse, fallback) wait for their answers there,
// at most kPingWait each, as OVOS does.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "client/bus_client.h"
#include "core/json.h"

namespace hark::pipeline {

class IntentService {
 public:
  // How long a stage waits for skills to answer a ping (OVOS: 0.5 s).
  static constexpr std::chrono::milliseconds kPingWait{500};

  IntentService(client::BusClient& bus, const Json& config);
  // Finishes the message being handled, drops the rest.
  ~IntentService();
  IntentService(const IntentService&) = delete;
  IntentService& operator=(const IntentService&) = delete;

  // The pipeline, thresholds, blacklists and converse timeout of a new configuration.
  void reconfigure(const Json& config);
  // The skills shipped with the core, loaded or not (blacklisted), for skillmanager.list and
  // so that skillmanager.* knows them before they register anything.
  void set_builtin_skills(std::map<std::string, bool> loaded_by_id);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hark::pipeline
