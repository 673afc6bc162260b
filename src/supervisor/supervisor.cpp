#include "supervisor/supervisor.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <optional>
#include <utility>

#include "supervisor/child.h"
#include "supervisor/notify.h"
#include "supervisor/restart_policy.h"

namespace hark::supervisor {
namespace asio = boost::asio;
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// How often services that have not reported ready yet are asked, in case their announcement
// went by while the supervisor's client was reconnecting.
constexpr milliseconds kReadyPoll{200};
// How often a starting bus is tried before the supervisor's client is started.
constexpr milliseconds kListenProbe{5};

enum class State { Waiting, Starting, Ready, Stopping, Backoff, Failed, Stopped };

std::string_view name_of(State state) {
  switch (state) {
    case State::Waiting:
      return "waiting";
    case State::Starting:
      return "starting";
    case State::Ready:
      return "ready";
    case State::Stopping:
      return "stopping";
    case State::Backoff:
      return "backoff";
    case State::Failed:
      return "failed";
    case State::Stopped:
      return "stopped";
  }
  return "?";
}

long long elapsed_ms(Clock::time_point since) {
  return std::chrono::duration_cast<milliseconds>(Clock::now() - since).count();
}

}  // namespace

struct Supervisor::Impl : std::enable_shared_from_this<Impl> {
  struct Service {
    Service(asio::io_context& io, ServiceSpec s, RestartLimits limits)
        : spec(std::move(s)), policy(limits), timer(io), ready_timer(io) {}

    ServiceSpec spec;
    State state = State::Waiting;
    pid_t pid = -1;
    std::unique_ptr<asio::posix::stream_descriptor> exited;  // the pidfd
    std::unique_ptr<asio::posix::stream_descriptor> output;
    std::string partial_line;
    Clock::time_point started;
    int restarts = 0;
    std::string last_exit;
    RestartPolicy policy;
    asio::steady_timer timer;        // backoff before a restart, or SIGKILL after SIGTERM
    asio::steady_timer ready_timer;  // bring-up moves on when it expires
    std::function<void()> on_stopped;
  };

  Impl(asio::io_context& context, SupervisorOptions opts, OutputSink sink)
      : io(context),
        options(std::move(opts)),
        output(std::move(sink)),
        poll_timer(io),
        probe_timer(io) {
    for (const auto& spec : options.settings.services) {
      services.push_back(std::make_unique<Service>(io, spec, options.settings.restart));
    }
    client::BusClientOptions client_options;
    client_options.name = "up";
    // A restarted bus is seen as ready as soon as it listens.
    client_options.reconnect_initial = milliseconds(10);
    client_options.reconnect_max = milliseconds(100);
    bus = std::make_unique<client::BusClient>(options.bus, client_options);
  }

  // Subscriptions capture a weak pointer: a message may arrive while the supervisor goes away.
  void subscribe() {
    std::weak_ptr<Impl> weak = shared_from_this();
    auto on_io = [this, weak](std::function<void(Impl&)> work) {
      asio::post(io, [weak, work = std::move(work)] {
        if (auto self = weak.lock()) work(*self);
      });
    };
    bus->on_connected([on_io] {
      on_io([](Impl& self) {
        for (auto& s : self.services) {
          if (s->spec.readiness == Readiness::BusAccepts) self.mark_ready(*s);
        }
        self.poll_readiness();
      });
    });
    for (auto& service : services) {
      if (service->spec.readiness != Readiness::Status) continue;
      Service* s = service.get();
      std::string prefix = "mycroft." + s->spec.status_name;
      bus->on(prefix + ".ready",
              [on_io, s](const Message&) { on_io([s](Impl& self) { self.mark_ready(*s); }); });
      bus->on(prefix + ".is_ready.response", [on_io, s](const Message& answer) {
        if (answer.data().value("status", false) != true) return;
        on_io([s](Impl& self) { self.mark_ready(*s); });
      });
    }
  }

  std::vector<std::string> command_of(const Service& s) const {
    if (!s.spec.command.empty()) return s.spec.command;
    std::vector<std::string> argv = options.hark_command;
    argv.push_back(s.spec.name);
    argv.insert(argv.end(), options.pass_through.begin(), options.pass_through.end());
    if (!s.spec.log_level.empty()) {
      argv.push_back("--log-level");
      argv.push_back(s.spec.log_level);
    }
    return argv;
  }

  void launch(Service& s) {
    Child child;
    try {
      child = spawn_child(command_of(s));
    } catch (const std::exception& e) {
      spdlog::error("cannot start {}: {}", s.spec.name, e.what());
      s.last_exit = e.what();
      crashed(s);
      return;
    }
    s.pid = child.pid;
    s.state = State::Starting;
    s.started = Clock::now();
    s.partial_line.clear();
    s.exited = std::make_unique<asio::posix::stream_descriptor>(io, child.pidfd);
    s.output = std::make_unique<asio::posix::stream_descriptor>(io, child.output);
    spdlog::debug("{} started, pid {}", s.spec.name, s.pid);
    read_output(s, s.output.get());
    std::weak_ptr<Impl> weak = shared_from_this();
    s.exited->async_wait(asio::posix::stream_descriptor::wait_read,
                         [weak, &s](boost::system::error_code ec) {
                           auto self = weak.lock();
                           if (!ec && self) self->reap(s);
                         });
    if (s.spec.readiness == Readiness::BusAccepts) start_client_when_listening(s);
    if (s.spec.readiness == Readiness::Started) mark_ready(s);
    poll_readiness();
  }

  void read_output(Service& s, asio::posix::stream_descriptor* stream) {
    auto buffer = std::make_shared<std::array<char, 4096>>();
    std::weak_ptr<Impl> weak = shared_from_this();
    stream->async_read_some(
        asio::buffer(*buffer),
        [weak, &s, stream, buffer](boost::system::error_code ec, std::size_t n) {
          auto self = weak.lock();
          if (!self) return;
          // A restarted service has a new stream; what the old one still holds is flushed here.
          s.partial_line.append(buffer->data(), n);
          std::size_t start = 0;
          for (auto end = s.partial_line.find('\n'); end != std::string::npos;
               end = s.partial_line.find('\n', start)) {
            self->output(s.spec.name, s.partial_line.substr(start, end - start));
            start = end + 1;
          }
          s.partial_line.erase(0, start);
          if (ec) {
            if (!s.partial_line.empty()) self->output(s.spec.name, s.partial_line);
            s.partial_line.clear();
            return;
          }
          self->read_output(s, stream);
        });
  }

  void reap(Service& s) {
    // Whatever it started goes with it; before the wait, while the unreaped child still holds
    // its pid and so its group id.
    signal_group(s.pid, SIGKILL);
    int status = 0;
    ::waitpid(s.pid, &status, 0);
    s.exited.reset();
    s.pid = -1;
    s.last_exit = describe_exit(status);
    s.timer.cancel();
    if (s.state == State::Stopping) {
      spdlog::info("{} stopped ({})", s.spec.name, s.last_exit);
      s.state = State::Stopped;
      if (auto done = std::exchange(s.on_stopped, nullptr)) done();
      return;
    }
    crashed(s);
  }

  void crashed(Service& s) {
    if (stopping) {
      s.state = State::Stopped;
      return;
    }
    auto delay = s.policy.crashed(Clock::now());
    if (!delay) {
      s.state = State::Failed;
      const auto& limits = options.settings.restart;
      spdlog::error(
          "{} crashed {} times within {} s (last: {}): giving up on it; `hark restart "
          "{}` tries again",
          s.spec.name, s.policy.recent_crashes(), limits.window.count() / 1000, s.last_exit,
          s.spec.name);
      bus->emit(Message(
          "hark.service.failed",
          {{"name", s.spec.name}, {"exit", s.last_exit}, {"crashes", s.policy.recent_crashes()}}));
      s.ready_timer.cancel();
      bring_up_after(s);
      return;
    }
    spdlog::warn("{} exited ({}); restarting in {} ms", s.spec.name, s.last_exit, delay->count());
    s.state = State::Backoff;
    s.timer.expires_after(*delay);
    std::weak_ptr<Impl> weak = shared_from_this();
    s.timer.async_wait([weak, &s](boost::system::error_code ec) {
      auto self = weak.lock();
      if (ec || !self || self->stopping) return;
      ++s.restarts;
      self->launch(s);
    });
  }

  void mark_ready(Service& s) {
    if (s.state != State::Starting) return;
    s.state = State::Ready;
    s.ready_timer.cancel();
    spdlog::info("{} ready in {} ms (pid {})", s.spec.name, elapsed_ms(s.started), s.pid);
    bring_up_after(s);
  }

  // The first bring-up moves on from `s` when it is the one being waited for.
  void bring_up_after(Service& s) {
    if (next_to_start == 0 || services[next_to_start - 1].get() != &s) return;
    start_next();
  }

  void start_next() {
    if (stopping) return;
    if (next_to_start == services.size()) {
      spdlog::info("all {} services started", services.size());
      notify_systemd("READY=1");
      return;
    }
    Service& s = *services[next_to_start++];
    if (s.spec.readiness != Readiness::Started) {
      s.ready_timer.expires_after(options.settings.ready_timeout);
      std::weak_ptr<Impl> weak = shared_from_this();
      s.ready_timer.async_wait([weak, &s](boost::system::error_code ec) {
        auto self = weak.lock();
        if (ec || !self || s.state == State::Ready) return;
        spdlog::warn("{} not ready after {} s; starting the next service", s.spec.name,
                     self->options.settings.ready_timeout.count() / 1000.0);
        self->bring_up_after(s);
      });
    }
    launch(s);
  }

  // The supervisor's client starts once the bus listens, so that its first attempt succeeds
  // instead of logging a refusal at every start. Later it reconnects by itself.
  void start_client_when_listening(Service& bus_service) {
    if (client_started || bus_service.state != State::Starting) return;
    boost::system::error_code ec;
    asio::ip::tcp::resolver resolver(io);
    auto addresses = resolver.resolve(options.bus.host, std::to_string(options.bus.port), ec);
    asio::ip::tcp::socket probe(io);
    if (!ec) asio::connect(probe, addresses, ec);
    if (!ec) {
      client_started = true;
      bus->start();
      return;
    }
    probe_timer.expires_after(kListenProbe);
    std::weak_ptr<Impl> weak = shared_from_this();
    probe_timer.async_wait([weak, &bus_service](boost::system::error_code error) {
      auto self = weak.lock();
      if (!error && self) self->start_client_when_listening(bus_service);
    });
  }

  // Asks those still starting whether they are ready, until none is.
  void poll_readiness() {
    if (polling || stopping) return;
    bool waiting = false;
    for (auto& s : services) {
      if (s->state != State::Starting || s->spec.readiness != Readiness::Status) continue;
      waiting = true;
      // Queued while the bus is away, they would only pile up.
      if (bus->connected()) bus->emit(Message("mycroft." + s->spec.status_name + ".is_ready"));
    }
    if (!waiting) return;
    polling = true;
    poll_timer.expires_after(kReadyPoll);
    std::weak_ptr<Impl> weak = shared_from_this();
    poll_timer.async_wait([weak](boost::system::error_code ec) {
      auto self = weak.lock();
      if (ec || !self) return;
      self->polling = false;
      self->poll_readiness();
    });
  }

  void stop_service(Service& s, std::function<void()> done) {
    s.ready_timer.cancel();
    if (s.pid < 0) {
      s.timer.cancel();  // a pending restart
      if (s.state != State::Waiting) s.state = State::Stopped;
      done();
      return;
    }
    s.state = State::Stopping;
    s.on_stopped = std::move(done);
    signal_group(s.pid, SIGTERM);
    s.timer.expires_after(options.settings.stop_timeout);
    std::weak_ptr<Impl> weak = shared_from_this();
    s.timer.async_wait([weak, &s](boost::system::error_code ec) {
      auto self = weak.lock();
      if (ec || !self || s.pid < 0) return;
      spdlog::warn("{} still running {} s after SIGTERM: SIGKILL", s.spec.name,
                   self->options.settings.stop_timeout.count() / 1000.0);
      signal_group(s.pid, SIGKILL);
    });
  }

  void stop_from(std::size_t count, std::function<void()> done) {
    if (count == 0) return done();
    Service& s = *services[count - 1];
    std::weak_ptr<Impl> weak = shared_from_this();
    stop_service(s, [weak, count, done = std::move(done)]() mutable {
      if (auto self = weak.lock()) self->stop_from(count - 1, std::move(done));
    });
  }

  Service* find(const std::string& name) {
    for (auto& s : services) {
      if (s->spec.name == name) return s.get();
    }
    return nullptr;
  }

  asio::io_context& io;
  SupervisorOptions options;
  OutputSink output;
  std::vector<std::unique_ptr<Service>> services;
  std::unique_ptr<client::BusClient> bus;
  asio::steady_timer poll_timer;
  asio::steady_timer probe_timer;
  bool client_started = false;
  bool polling = false;
  bool stopping = false;
  std::size_t next_to_start = 0;
};

Supervisor::Supervisor(asio::io_context& io, SupervisorOptions options, OutputSink output)
    : impl_(std::make_shared<Impl>(io, std::move(options), std::move(output))) {
  impl_->subscribe();
}

Supervisor::~Supervisor() {
  impl_->bus->stop();
  for (auto& s : impl_->services) signal_group(s->pid, SIGKILL);
}

void Supervisor::start() {
  if (impl_->services.empty()) {
    spdlog::warn("hark.up.services lists nothing to run");
    return;
  }
  // Without a bus service the bus is someone else's; the client is needed for readiness anyway.
  if (!impl_->find("bus")) {
    impl_->client_started = true;
    impl_->bus->start();
  }
  impl_->start_next();
}

void Supervisor::stop(std::function<void()> done) {
  if (impl_->stopping) return;
  impl_->stopping = true;
  notify_systemd("STOPPING=1");
  impl_->poll_timer.cancel();
  impl_->probe_timer.cancel();
  // Before the bus goes, so that the client does not spend the shutdown reconnecting.
  impl_->bus->stop();
  impl_->stop_from(impl_->services.size(), std::move(done));
}

Json Supervisor::status() const {
  Json list = Json::array();
  for (const auto& s : impl_->services) {
    bool running = s->pid > 0;
    list.push_back({{"name", s->spec.name},
                    {"state", name_of(s->state)},
                    {"pid", running ? Json(s->pid) : Json(nullptr)},
                    {"uptime", running ? Json(elapsed_ms(s->started) / 1000.0) : Json(nullptr)},
                    {"restarts", s->restarts},
                    {"ready", s->state == State::Ready},
                    {"last_exit", s->last_exit.empty() ? Json(nullptr) : Json(s->last_exit)}});
  }
  return {{"services", list}};
}

std::string Supervisor::restart(const std::string& name) {
  auto* s = impl_->find(name);
  if (!s) return fmt::format("no service named '{}'", name);
  if (impl_->stopping) return "shutting down";
  if (s->state == State::Waiting) return fmt::format("{} has not been started yet", name);
  spdlog::info("restarting {} as asked", name);
  std::weak_ptr<Impl> weak = impl_;
  impl_->stop_service(*s, [weak, s] {
    auto self = weak.lock();
    if (!self || self->stopping) return;
    s->policy.reset();
    ++s->restarts;
    self->launch(*s);
  });
  return "";
}

}  // namespace hark::supervisor
