#include "client/service_connection.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/signal_set.hpp>

namespace hark::client {

ServiceConnection::ServiceConnection(const Json& config, const std::string& name)
    : lock(LockFile::runtime_dir() /
           fmt::format("{}-{}.lock", name, Endpoint::from_config(config).port)),
      bus(Endpoint::from_config(config), BusClientOptions::from_config(config, name)) {}

std::unique_ptr<ServiceConnection> ServiceConnection::open(const Json& config,
                                                           const std::string& name) {
  try {
    return std::make_unique<ServiceConnection>(config, name);
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return nullptr;
  }
}

void run_until_stopped(boost::asio::io_context& io) {
  boost::asio::signal_set stop_signals(io, SIGTERM, SIGINT);
  stop_signals.async_wait([&](boost::system::error_code ec, int) {
    if (!ec) io.stop();
  });
  io.run();
}

}  // namespace hark::client
