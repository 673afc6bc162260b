// What a service holds while it runs: the lock that keeps it one per bus, and its client of
// that bus; and how it runs until it is told to stop.
//
//   auto connection = client::ServiceConnection::open(conf->current(), "phal");
//   if (!connection) return 1;                      // logged: who holds the lock, a bad key
//   client::BusClient& bus = connection->bus;
//   ...
//   client::run_until_stopped(io);
#pragma once

#include <boost/asio/io_context.hpp>

#include <memory>
#include <string>

#include "client/bus_client.h"
#include "core/lock_file.h"

namespace hark::client {

struct ServiceConnection {
  // Takes `<name>-<bus port>.lock` in LockFile::runtime_dir() (two of a service on one bus would
  // answer every request twice), then makes a client named `name` of the configured bus.
  ServiceConnection(const Json& config, const std::string& name);

  // The same, or nothing once it has logged (critical) why not.
  static std::unique_ptr<ServiceConnection> open(const Json& config, const std::string& name);

  LockFile lock;
  BusClient bus;
};

// Runs `io` until SIGTERM or SIGINT.
void run_until_stopped(boost::asio::io_context& io);

}  // namespace hark::client
