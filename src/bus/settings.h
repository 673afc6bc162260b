// The mycroft.conf keys `hark bus` reads: the `websocket` section plus log_level.
#pragma once

#include <chrono>
#include <span>
#include <string>
#include <vector>

#include "config/settings.h"

namespace hark::bus {

std::span<const config::Setting> settings();

// The table's checks plus those that span keys (route shape, ssl files, queue vs message size).
std::vector<std::string> validate(const Json& config);

// The values, read from a configuration that settings() has validated.
struct BusSettings {
  std::string host;
  unsigned short port;
  std::string route;
  bool ssl;
  std::string ssl_cert;
  std::string ssl_key;
  std::size_t max_message_bytes;
  std::size_t max_client_queue_bytes;
  std::size_t max_clients;
  std::string token;
  std::string log_level;
  std::chrono::milliseconds handshake_timeout;

  static BusSettings from(const Json& config);
};

}  // namespace hark::bus
