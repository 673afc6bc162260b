#include "supervisor/up.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>

#include "client/bus_client.h"
#include "core/lock_file.h"
#include "core/log.h"
#include "supervisor/control.h"
#include "supervisor/log_hub.h"
#include "supervisor/provisioning.h"
#include "supervisor/settings.h"
#include "supervisor/supervisor.h"

namespace hark::supervisor {
namespace asio = boost::asio;
namespace {

// The supervisor's own messages go through the hub like every service's, as service "up".
void log_to(LogHub& hub, const std::string& level) {
  auto logger = std::make_shared<spdlog::logger>("up", std::make_shared<LogHubSink>(hub));
  logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ [%n] %v");
  spdlog::set_default_logger(logger);
  if (!log::set_level(level)) spdlog::warn("unknown log_level '{}', using INFO", level);
}

std::size_t name_width(const UpSettings& settings) {
  std::size_t width = std::string_view("provision").size();
  for (const auto& s : settings.services) width = std::max(width, s.name.size());
  return width;
}

// Where libpulse would look: $PULSE_SERVER when it names a unix socket, else the user's
// $XDG_RUNTIME_DIR/pulse/native. Empty when that is a TCP server, which only a connection tells.
std::string pulse_socket() {
  if (const char* server = std::getenv("PULSE_SERVER"); server && *server) {
    std::string_view text = server;
    if (text.starts_with("unix:")) return std::string(text.substr(5));
    return text.starts_with("/") ? std::string(text) : "";
  }
  const char* runtime = std::getenv("XDG_RUNTIME_DIR");
  return fmt::format("{}/pulse/native", runtime ? runtime : fmt::format("/run/user/{}", getuid()));
}

bool accepts_connections(const std::string& socket_path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (fd < 0 || socket_path.size() >= sizeof address.sun_path) {
    if (fd >= 0) ::close(fd);
    return false;
  }
  std::memcpy(address.sun_path, socket_path.c_str(), socket_path.size() + 1);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return ok;
}

// Said once for the whole stack: each service copes without sound on its own, and the text path
// (`hark utter`) answers all the same.
void say_whether_there_is_sound() {
  auto socket = pulse_socket();
  if (socket.empty() || accepts_connections(socket)) return;
  spdlog::warn(
      "no sound server at {}: nothing will be heard or recorded; text (hark utter) "
      "still gets answers",
      socket);
}

void run_provisioning(LogHub& hub) {
  auto folder = provisioning_folder();
  auto result = provision(folder, provisioning_record(),
                          [&](const std::string& script, const std::string& line) {
                            hub.line("provision", fmt::format("{}: {}", script, line));
                          });
  if (!result.failed.empty()) {
    spdlog::error("provisioning stopped at {}; it runs again at the next start", result.failed);
  } else if (result.ran > 0) {
    spdlog::info("provisioning: ran {} script(s) from {} ({} done before)", result.ran,
                 folder.string(), result.done_before);
  }
}

}  // namespace

int run_up(const UpOptions& options) {
  log::init("up");
  std::vector<config::ConfigError> skipped;
  Json config = config::load(options.sources.layers, options.sources.overrides, &skipped);
  for (const auto& error : skipped) spdlog::error("ignoring {}", error.what());
  if (auto problems = validate(config); !problems.empty()) {
    for (const auto& problem : problems) spdlog::critical("{}", problem);
    return 1;
  }
  std::vector<std::string> notes;
  UpSettings settings = UpSettings::from(config, options.has_subcommand, &notes);
  client::Endpoint bus;
  try {
    bus = client::Endpoint::from_config(config);
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }

  // One supervisor per bus: a second `hark up` would start a second stack on the same port.
  std::optional<LockFile> lock;
  try {
    lock.emplace(LockFile::runtime_dir() / fmt::format("up-{}.lock", bus.port));
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }

  LogHub hub(name_width(settings));
  log_to(hub, settings.log_level);
  for (const auto& note : notes) spdlog::info("{}", note);

  if (settings.provisioning) run_provisioning(hub);
  say_whether_there_is_sound();

  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) {
    spdlog::critical("cannot find this program (/proc/self/exe): {}", ec.message());
    return 1;
  }
  asio::io_context io(1);
  Supervisor supervisor(
      io, {settings, bus, {self.string()}, options.pass_through},
      [&](const std::string& service, const std::string& line) { hub.line(service, line); });
  std::optional<ControlServer> control;
  auto socket = control_socket_path(bus.port);
  try {
    control.emplace(io, socket, supervisor, hub);
  } catch (const std::exception& e) {
    spdlog::critical("cannot listen on {}: {}", socket.string(), e.what());
    return 1;
  }

  asio::signal_set stop_signals(io, SIGTERM, SIGINT);
  stop_signals.async_wait([&](boost::system::error_code error, int signal) {
    if (error) return;
    spdlog::info("{}: stopping the services, last first", signal == SIGTERM ? "SIGTERM" : "SIGINT");
    supervisor.stop([&] { io.stop(); });
  });
  spdlog::info("supervising {} service(s); control socket {}", settings.services.size(),
               socket.string());
  supervisor.start();
  io.run();
  spdlog::info("stopped");
  return 0;
}

}  // namespace hark::supervisor
