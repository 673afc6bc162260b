#include "bus/settings.h"

#include "config/config.h"

namespace hark::bus {
namespace {

using config::Apply;
using config::Setting;
using config::Type;

constexpr double kMiB = 1024.0 * 1024.0;

constexpr Setting kSettings[] = {
    {"websocket.host", Type::String,
     "address to listen on; anything but loopback requires websocket.token", 1, 255,
     Apply::Restart},
    {"websocket.port", Type::Integer, "TCP port", 1, 65535, Apply::Restart},
    {"websocket.route", Type::String, "URL path clients connect to, e.g. /core", 1, 255,
     Apply::Restart},
    {.path = "websocket.ssl",
     .type = Type::Boolean,
     .help = "serve wss:// with ssl_cert and ssl_key",
     .apply = Apply::Restart},
    {"websocket.ssl_cert", Type::String, "PEM certificate chain file (with ssl)", 0, 4096,
     Apply::Restart},
    {"websocket.ssl_key", Type::String, "PEM private key file (with ssl)", 0, 4096, Apply::Restart},
    {"websocket.max_msg_size", Type::Number,
     "largest message in MiB; a larger one closes its sender with code 1009", 0.001, 1024},
    {"websocket.max_client_queue", Type::Number,
     "MiB that may wait to be written to one client before it is dropped as too slow", 0.001, 4096},
    {"websocket.max_clients", Type::Integer, "connections open at once; more are refused", 1,
     1000000},
    {"websocket.token", Type::String,
     "shared secret clients present as ?token= or Authorization: Bearer; empty = none", 0, 4096},
    {"websocket.handshake_timeout", Type::Number,
     "seconds a new connection has to complete its WebSocket handshake", 0.1, 3600},
    {"log_level", Type::String, "DEBUG, INFO, WARNING, ERROR or CRITICAL", 1, 16},
};

template <class T>
T get(const Json& config, std::string_view path) {
  const Json* value = config::find_path(config, path);
  return value ? value->get<T>() : T{};
}

}  // namespace

std::span<const config::Setting> settings() {
  return kSettings;
}

std::vector<std::string> validate(const Json& config) {
  auto problems = config::validate(config, kSettings);
  if (!problems.empty()) return problems;
  auto s = BusSettings::from(config);
  if (!s.route.starts_with('/')) problems.push_back("websocket.route: must start with /");
  if (s.ssl && (s.ssl_cert.empty() || s.ssl_key.empty())) {
    problems.push_back("websocket.ssl: needs websocket.ssl_cert and websocket.ssl_key");
  }
  if (s.max_client_queue_bytes < s.max_message_bytes) {
    problems.push_back(
        "websocket.max_client_queue: must be at least websocket.max_msg_size, or a client could "
        "never receive the largest message");
  }
  return problems;
}

BusSettings BusSettings::from(const Json& config) {
  BusSettings s;
  s.host = get<std::string>(config, "websocket.host");
  s.port = static_cast<unsigned short>(get<int>(config, "websocket.port"));
  s.route = get<std::string>(config, "websocket.route");
  s.ssl = get<bool>(config, "websocket.ssl");
  s.ssl_cert = get<std::string>(config, "websocket.ssl_cert");
  s.ssl_key = get<std::string>(config, "websocket.ssl_key");
  s.max_message_bytes =
      static_cast<std::size_t>(get<double>(config, "websocket.max_msg_size") * kMiB);
  s.max_client_queue_bytes =
      static_cast<std::size_t>(get<double>(config, "websocket.max_client_queue") * kMiB);
  s.max_clients = get<std::size_t>(config, "websocket.max_clients");
  s.token = get<std::string>(config, "websocket.token");
  s.log_level = get<std::string>(config, "log_level");
  s.handshake_timeout = std::chrono::milliseconds(
      static_cast<long>(get<double>(config, "websocket.handshake_timeout") * 1000));
  return s;
}

}  // namespace hark::bus
