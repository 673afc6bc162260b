// A service's liveness and readiness on the bus, as OVOS's ProcessStatus answers them:
// `mycroft.<name>.is_alive` and `mycroft.<name>.is_ready` get `.response {status: bool}`.
// `hark up` and the container healthchecks ask exactly these questions.
//
//   client::BusClient bus(endpoint, {.name = "audio"});
//   client::ProcessStatus status(bus, "audio");   // before bus.start()
//   bus.start();
//   ... load engines ...
//   status.set_ready();                            // also announces mycroft.audio.ready
//
// OVOS names: "skills" (core), "audio", "voice" (listener), "PHAL", "gui_service".
#pragma once

#include <atomic>
#include <string>

#include "client/bus_client.h"

namespace hark::client {

class ProcessStatus {
 public:
  ProcessStatus(BusClient& bus, std::string name);
  ~ProcessStatus();
  ProcessStatus(const ProcessStatus&) = delete;
  ProcessStatus& operator=(const ProcessStatus&) = delete;

  // From then on is_ready answers true; emits `mycroft.<name>.ready` so that a waiting
  // supervisor need not poll.
  void set_ready();
  // Back to not ready (a subsystem restarting after a configuration change).
  void set_not_ready();
  bool ready() const { return ready_; }

 private:
  BusClient& bus_;
  std::string name_;
  std::atomic<bool> ready_{false};
  BusClient::HandlerId alive_handler_;
  BusClient::HandlerId ready_handler_;
};

}  // namespace hark::client
