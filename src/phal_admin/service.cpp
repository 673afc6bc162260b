#include "phal_admin/service.h"

#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include <mutex>
#include <optional>

#include "client/bus_client.h"
#include "client/process_status.h"
#include "client/service_connection.h"
#include "config/watcher.h"
#include "core/log.h"
#include "phal_admin/actions.h"
#include "phal_admin/settings.h"
#include "supervisor/child.h"

namespace hark::phal_admin {
namespace asio = boost::asio;
namespace {

// The device's own session; messages of another (a HiveMind satellite, a remote client) never
// act on this machine.
bool for_this_device(const Message& message) {
  const Json* id = config::find_path(message.context(), "session.session_id");
  return !id || !id->is_string() || *id == "default";
}

void log_allowed(const std::set<std::string>& allowed) {
  if (allowed.empty()) {
    spdlog::info(
        "allowed: nothing, every request is refused (PHAL.admin.ovos-PHAL-plugin-system"
        ".allow)");
  } else {
    spdlog::info("allowed: {}", fmt::join(allowed, ", "));
  }
}

class SystemActions {
 public:
  SystemActions(client::BusClient& bus, AdminSettings settings)
      : bus_(bus), settings_(std::move(settings)) {}

  void apply(AdminSettings next) {
    std::lock_guard lock(settings_mutex_);
    settings_ = std::move(next);
  }

  void subscribe() {
    for (const auto& action : system_actions()) {
      bus_.on(std::string(action.request), [this, action](const Message& message) {
        // Commands may take seconds (or never return, as a reboot); the bus client's thread
        // must keep serving, so they run one after another on the worker.
        asio::post(worker_, [this, action, message] { handle(action, message); });
      });
    }
  }

  // Waits for the running action, if any, and drops the queued ones.
  void stop() {
    worker_.stop();
    worker_.join();
  }

 private:
  AdminSettings settings() {
    std::lock_guard lock(settings_mutex_);
    return settings_;
  }

  void handle(const SystemAction& action, const Message& request) {
    AdminSettings current = settings();
    if (!for_this_device(request)) {
      return refuse(action, request, "refused: the request is not from this device's session");
    }
    if (!current.allowed.contains(std::string(action.name))) {
      return refuse(action, request,
                    fmt::format("refused: '{}' is not allowed (PHAL.admin.ovos-PHAL-plugin-system."
                                "allow lists what phal-admin may run)",
                                action.name));
    }
    auto argv = current.command_of(std::string(action.name));
    if (argv.empty()) {
      return refuse(
          action, request,
          fmt::format("no command for '{}' in PHAL.admin.ovos-PHAL-plugin-system.commands",
                      action.name));
    }
    if (!action.starting.empty()) {
      bus_.emit(request.forward(std::string(action.starting), request.data()));
    }
    spdlog::info("{}: running {}", action.name, fmt::join(argv, " "));
    std::string last_line;
    supervisor::ChildResult result;
    try {
      result = supervisor::run_child(
          argv,
          [&](const std::string& line) {
            spdlog::info("{}: | {}", action.name, line);
            if (!line.empty()) last_line = line;
          },
          current.timeout);
    } catch (const std::exception& e) {
      return refuse(action, request, fmt::format("could not start {}: {}", argv[0], e.what()));
    }
    int status = result.wait_status;
    if (result.timed_out) {
      return refuse(action, request,
                    fmt::format("{} did not finish within {:g} s and was killed", argv[0],
                                current.timeout.count() / 1000.0));
    }
    bool exited = WIFEXITED(status);
    if (action.reports_enabled && exited && WEXITSTATUS(status) != 127) {
      bool enabled = WEXITSTATUS(status) == 0;
      spdlog::info("{}: {}", action.name, enabled ? "enabled" : "not enabled");
      bus_.emit(request.response({{"enabled", enabled}}));
      return;
    }
    if (!exited || WEXITSTATUS(status) != 0) {
      return refuse(action, request,
                    fmt::format("{} failed: {}{}", argv[0], supervisor::describe_exit(status),
                                last_line.empty() ? "" : " (" + last_line + ")"));
    }
    spdlog::info("{}: done", action.name);
    if (!action.done.empty()) bus_.emit(request.forward(std::string(action.done), request.data()));
  }

  // Says why on the bus, to whoever asked, and in the log.
  void refuse(const SystemAction& action, const Message& request, const std::string& why) {
    spdlog::error("{} ({}): {}", request.type(), action.name, why);
    bus_.emit(request.reply(std::string(action.request) + ".failed",
                            {{"action", action.name}, {"error", why}}));
  }

  client::BusClient& bus_;
  std::mutex settings_mutex_;
  AdminSettings settings_;
  asio::thread_pool worker_{1};
};

}  // namespace

int run(const config::Sources& sources) {
  asio::io_context io(1);
  log::init("phal-admin");
  std::optional<config::LiveConfig> conf;
  if (!config::LiveConfig::open(conf, io, sources, validate)) return 1;
  AdminSettings initial = AdminSettings::from(conf->current());
  log::set_level(initial.log_level);

  auto connection = client::ServiceConnection::open(conf->current(), "phal-admin");
  if (!connection) return 1;
  client::BusClient& bus = connection->bus;
  log_allowed(initial.allowed);
  if (::geteuid() != 0) spdlog::info("not running as root: actions run with this user's rights");

  client::ProcessStatus status(bus, "PHAL.admin");
  SystemActions actions(bus, initial);
  actions.subscribe();
  conf->on_change([&](const Json&, const Json& after) {
    AdminSettings next = AdminSettings::from(after);
    if (!log::set_level(next.log_level)) spdlog::warn("unknown log_level '{}'", next.log_level);
    log_allowed(next.allowed);
    actions.apply(std::move(next));
  });

  bus.start();
  status.set_ready();
  spdlog::info("ready on {}", client::Endpoint::from_config(conf->current()).url());

  conf->reload_on_hangup();
  client::run_until_stopped(io);
  bus.stop();
  actions.stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace hark::phal_admin
