// The heart of `hark up`: starts the services in order, each once the one before reports ready
// on the bus, restarts those that crash (RestartPolicy), gives up on a crash loop and says so on
// the bus (hark.service.failed {name, exit, crashes}), and stops everything in reverse order.
//
//   Supervisor supervisor(io, {settings, endpoint, {"/usr/bin/hark"}, {}}, print_line);
//   supervisor.start();
//   ... io.run() ...; on SIGTERM: supervisor.stop([&] { io.stop(); });
//
// Everything runs on `io`'s thread; the bus client's handlers post to it.
#pragma once

#include <boost/asio/io_context.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "client/bus_client.h"
#include "core/json.h"
#include "supervisor/settings.h"

namespace hark::supervisor {

struct SupervisorOptions {
  UpSettings settings;
  client::Endpoint bus;  // where the bus service listens; the supervisor's own client goes there
  // A built-in service runs as hark_command + {name} + pass_through (+ --log-level LEVEL).
  std::vector<std::string> hark_command;
  std::vector<std::string> pass_through;
};

// Receives every line a child writes, with the service's name.
using OutputSink = std::function<void(const std::string& service, const std::string& line)>;

class Supervisor {
 public:
  Supervisor(boost::asio::io_context& io, SupervisorOptions options, OutputSink output);
  ~Supervisor();
  Supervisor(const Supervisor&) = delete;
  Supervisor& operator=(const Supervisor&) = delete;

  // Begins the bring-up with the first service.
  void start();
  // Stops every service, last first (SIGTERM, then SIGKILL after hark.up.stop_timeout), then
  // calls `done`. Nothing restarts from then on.
  void stop(std::function<void()> done);

  // {"services": [{name, state, pid, uptime, restarts, ready, last_exit}, ...]}; state is one of
  // waiting, starting, ready, stopping, backoff, failed, stopped.
  Json status() const;
  // Stops and starts one service now, clearing its crash count (also one given up on). Returns
  // what is wrong, or an empty string.
  std::string restart(const std::string& name);

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace hark::supervisor
