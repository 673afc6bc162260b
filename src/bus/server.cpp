#include "bus/server.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <optional>

#include "bus/hub.h"
#include "bus/listener.h"
#include "bus/settings.h"
#include "config/watcher.h"
#include "core/lock_file.h"
#include "core/log.h"

namespace hark::bus {
namespace asio = boost::asio;
namespace {

// How long clients get to receive their close frame on shutdown, and how often to look whether
// they all have.
constexpr auto kShutdownGrace = std::chrono::seconds(1);
constexpr auto kShutdownPoll = std::chrono::milliseconds(5);

std::string exposure_problem(const asio::ip::tcp::endpoint& endpoint, const BusSettings& s) {
  if (endpoint.address().is_loopback() || !s.token.empty()) return "";
  return fmt::format(
      "refusing to listen on {} without websocket.token: anyone who can reach it could make "
      "this device speak, listen or reboot. Set websocket.token (clients then add ?token=...) "
      "or keep websocket.host at 127.0.0.1",
      endpoint.address().to_string());
}

// Applies what can change while running, and says which changes wait for a restart.
void apply_change(Hub& hub, const asio::ip::tcp::endpoint& bound, const Json& before,
                  const Json& after) {
  BusSettings next = BusSettings::from(after);
  for (auto path : config::changed(before, after, settings())) {
    for (const auto& s : settings()) {
      if (s.path == path && s.apply == config::Apply::Restart) {
        spdlog::warn("{} changed: restart hark bus to apply it", path);
      }
    }
  }
  if (auto problem = exposure_problem(bound, next); !problem.empty()) {
    spdlog::error("not removing websocket.token while listening beyond loopback");
    next.token = hub.settings().token;
  }
  // Settings that need a restart keep their running values.
  const BusSettings& running = hub.settings();
  next.host = running.host;
  next.port = running.port;
  next.route = running.route;
  next.ssl = running.ssl;
  next.ssl_cert = running.ssl_cert;
  next.ssl_key = running.ssl_key;
  if (next.log_level != running.log_level && !log::set_level(next.log_level)) {
    spdlog::warn("unknown log_level '{}'", next.log_level);
  }
  hub.apply(std::move(next));
  hub.broadcast(Message("configuration.updated"));
}

}  // namespace

int run(const config::Sources& sources) {
  // Declared before the io_context: sessions still queued in it when it is destroyed leave
  // the hub on their way out.
  std::optional<Hub> hub;
  asio::io_context io(1);
  log::init("bus");
  std::optional<config::LiveConfig> conf;
  if (!config::LiveConfig::open(conf, io, sources, validate)) return 1;
  BusSettings initial = BusSettings::from(conf->current());
  log::set_level(initial.log_level);

  std::optional<LockFile> lock;
  std::optional<Listener> listener;
  asio::ip::tcp::endpoint endpoint;
  try {
    endpoint = resolve_bind_address(io, initial.host, initial.port);
    if (auto problem = exposure_problem(endpoint, initial); !problem.empty()) {
      spdlog::critical("{}", problem);
      return 1;
    }
    lock.emplace(LockFile::runtime_dir() / fmt::format("bus-{}.lock", initial.port));
    hub.emplace(initial);
    listener.emplace(io, endpoint,
                     initial.ssl ? tls_sessions(*hub, initial) : plain_sessions(*hub));
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }
  listener->start();
  spdlog::info("listening on {}://{}:{}{}{}", initial.ssl ? "wss" : "ws",
               endpoint.address().to_string(), listener->local_endpoint().port(), initial.route,
               endpoint.address().is_loopback() ? " (loopback only)" : " (token required)");

  conf->on_change(
      [&](const Json& before, const Json& after) { apply_change(*hub, endpoint, before, after); });

  std::chrono::steady_clock::time_point give_up;
  asio::steady_timer grace(io);
  std::function<void()> await_closed = [&] {
    if (hub->session_count() == 0 || std::chrono::steady_clock::now() >= give_up) return io.stop();
    grace.expires_after(kShutdownPoll);
    grace.async_wait([&](boost::system::error_code ec) {
      if (!ec) await_closed();
    });
  };
  asio::signal_set stop_signals(io, SIGTERM, SIGINT);
  stop_signals.async_wait([&](boost::system::error_code ec, int signal) {
    if (ec) return;
    spdlog::info("{}: closing {} clients", signal == SIGTERM ? "SIGTERM" : "SIGINT",
                 hub->client_count());
    listener->stop();
    hub->close_all(CloseCode::going_away, "bus shutting down");
    give_up = std::chrono::steady_clock::now() + kShutdownGrace;
    await_closed();
  });
  conf->reload_on_hangup();

  io.run();
  spdlog::info("stopped: {}", json_dump(hub->stats_json()));
  return 0;
}

}  // namespace hark::bus
