#include "client/testing.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <system_error>
#include <thread>

extern char** environ;

namespace hark::testing {
namespace {

using Clock = std::chrono::steady_clock;

int remaining_ms(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return static_cast<int>(std::max<std::int64_t>(left.count(), 0));
}

[[noreturn]] void throw_errno(std::string_view what) {
  throw std::system_error(errno, std::generic_category(), std::string(what));
}

// The parent's environment with `overrides` ("NAME=value") replacing variables of the same name.
std::vector<std::string> merged_environment(const std::vector<std::string>& overrides) {
  std::vector<std::string> merged = overrides;
  for (char** entry = environ; *entry; ++entry) {
    std::string_view variable(*entry);
    auto name = variable.substr(0, variable.find('=') + 1);
    bool overridden = std::any_of(overrides.begin(), overrides.end(),
                                  [&](const std::string& o) { return o.starts_with(name); });
    if (!overridden) merged.emplace_back(variable);
  }
  return merged;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (auto& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

bool accepts_connections(unsigned short port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return ok;
}

int exit_code_of(int wait_status) {
  return WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 128 + WTERMSIG(wait_status);
}

// The full path of `program` on $PATH; empty when it is not there.
std::string find_program(std::string_view program) {
  const char* path = std::getenv("PATH");
  std::string_view folders = path ? path : "/usr/bin:/bin";
  while (!folders.empty()) {
    auto end = folders.find(':');
    auto candidate = std::filesystem::path(folders.substr(0, end)) / program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    if (end == std::string_view::npos) break;
    folders.remove_prefix(end + 1);
  }
  return "";
}

}  // namespace

Process::Process(std::vector<std::string> argv, std::vector<std::string> environment,
                 bool capture) {
  std::array<int, 2> out{-1, -1}, err{-1, -1};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (capture) {
    if (::pipe2(out.data(), O_CLOEXEC) != 0 || ::pipe2(err.data(), O_CLOEXEC) != 0) {
      throw_errno("pipe2");
    }
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
  }
  auto env = merged_environment(environment);
  auto argv_pointers = c_strings(argv);
  auto env_pointers = c_strings(env);
  int failed = ::posix_spawnp(&pid_, argv_pointers[0], &actions, nullptr, argv_pointers.data(),
                              env_pointers.data());
  posix_spawn_file_actions_destroy(&actions);
  if (capture) {
    ::close(out[1]);
    ::close(err[1]);
    out_fd_ = out[0];
    err_fd_ = err[0];
  }
  if (failed) {
    pid_ = -1;
    throw std::system_error(failed, std::generic_category(), "cannot start " + argv.at(0));
  }
}

Process::~Process() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  if (out_fd_ >= 0) ::close(out_fd_);
  if (err_fd_ >= 0) ::close(err_fd_);
}

void Process::signal(int number) {
  if (pid_ > 0) ::kill(pid_, number);
}

bool Process::running() {
  int status = 0;
  if (pid_ <= 0 || ::waitpid(pid_, &status, WNOHANG) == 0) return pid_ > 0;
  result_.exit_code = exit_code_of(status);
  pid_ = -1;
  return false;
}

bool Process::read_some(Clock::time_point deadline) {
  std::array<pollfd, 2> fds{};
  nfds_t count = 0;
  for (int fd : {out_fd_, err_fd_}) {
    if (fd >= 0) fds[count++] = {fd, POLLIN, 0};
  }
  if (count == 0 || ::poll(fds.data(), count, remaining_ms(deadline)) <= 0) return false;
  for (nfds_t i = 0; i < count; ++i) {
    if (!fds[i].revents) continue;
    std::array<char, 4096> buffer;
    ssize_t n = ::read(fds[i].fd, buffer.data(), buffer.size());
    int& fd = fds[i].fd == out_fd_ ? out_fd_ : err_fd_;
    std::string& text = fds[i].fd == out_fd_ ? result_.out : result_.err;
    if (n > 0) {
      text.append(buffer.data(), static_cast<std::size_t>(n));
    } else {
      ::close(fd);
      fd = -1;
    }
  }
  return true;
}

bool Process::wait_for(const std::string& output, std::string_view text,
                       std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (output.find(text) == std::string::npos) {
    if (!read_some(deadline)) return false;
  }
  return true;
}

bool Process::wait_for_stderr(std::string_view text, std::chrono::milliseconds timeout) {
  return wait_for(result_.err, text, timeout);
}

bool Process::wait_for_stdout(std::string_view text, std::chrono::milliseconds timeout) {
  return wait_for(result_.out, text, timeout);
}

Finished Process::finish(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (read_some(deadline)) {
  }
  if (pid_ > 0) {
    // Waits on a pidfd so that the deadline holds without polling waitpid.
    int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
    if (pidfd >= 0) {
      pollfd exited{pidfd, POLLIN, 0};
      if (::poll(&exited, 1, remaining_ms(deadline)) <= 0) ::kill(pid_, SIGKILL);
      ::close(pidfd);
    } else {
      ::kill(pid_, SIGKILL);
    }
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    result_.exit_code = exit_code_of(status);
  }
  return result_;
}

Finished run(std::vector<std::string> argv, std::vector<std::string> environment,
             std::chrono::milliseconds timeout) {
  return Process(std::move(argv), std::move(environment), true).finish(timeout);
}

// The kernel picks an unused port; the bus takes it over a moment later.
unsigned short free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw_errno("socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(fd);
    throw_errno("bind to a free port");
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

std::string hark_binary() {
  const char* path = std::getenv("HARK_BINARY");
  return path ? path : "";
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (!condition()) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

std::string_view name_of(BusKind kind) {
  return kind == BusKind::Hark ? "hark" : "ovos_python";
}

bool available(BusKind kind, std::string* reason) {
  if (kind == BusKind::Hark) {
    if (!hark_binary().empty()) return true;
    *reason = "HARK_BINARY is not set (run the tests through ctest)";
    return false;
  }
  auto probe = run({HARK_SYSTEM_PYTHON, "-c", "import tornado"}, {}, std::chrono::seconds(10));
  if (probe.exit_code == 0) return true;
  *reason = fmt::format("{} cannot import tornado: {}", HARK_SYSTEM_PYTHON, probe.err);
  return false;
}

TempHome::TempHome() {
  std::string pattern = (std::filesystem::temp_directory_path() / "hark-test-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw_errno("mkdtemp");
  path_ = pattern;
  std::filesystem::create_directories(user_config_file().parent_path());
  std::filesystem::create_directories(path_ / "run");
}

TempHome::~TempHome() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::filesystem::path TempHome::user_config_file() const {
  return path_ / "config" / "mycroft" / "mycroft.conf";
}

void TempHome::write_user_config(const std::string& text) const {
  std::ofstream(user_config_file()) << text;
}

std::vector<std::string> TempHome::environment() const {
  return {
      "HOME=" + path_.string(),
      "XDG_CONFIG_HOME=" + (path_ / "config").string(),
      "XDG_RUNTIME_DIR=" + (path_ / "run").string(),
      "MYCROFT_SYSTEM_CONFIG=" + (path_ / "absent").string(),
      "OVOS_DISTRIBUTION_CONFIG=" + (path_ / "absent").string(),
  };
}

TestBus::TestBus(BusKind kind, Json user_config)
    : kind_(kind), port_(free_port()), user_config_(std::move(user_config)) {
  user_config_["websocket"]["port"] = port_;
  home_.write_user_config(user_config_.dump(2));
  launch();
}

TestBus::~TestBus() {
  if (process_) {
    process_->signal(SIGTERM);
    process_->finish(std::chrono::seconds(5));
  }
}

void TestBus::kill() {
  process_->signal(SIGKILL);
  process_->finish(std::chrono::seconds(5));
  process_.reset();
}

void TestBus::restart() {
  if (process_) kill();
  launch();
}

void TestBus::launch() {
  std::vector<std::string> argv;
  if (kind_ == BusKind::Hark) {
    argv = {hark_binary(), "bus"};
  } else {
    argv = {HARK_SYSTEM_PYTHON, HARK_OVOS_PYTHON_BUS, "--port", std::to_string(port_)};
  }
  process_ = std::make_unique<Process>(argv, home_.environment(), false);
  auto ready = [&] {
    if (!process_->running()) {
      throw std::runtime_error(fmt::format("the {} bus exited with code {} instead of listening",
                                           name_of(kind_), process_->finish({}).exit_code));
    }
    return accepts_connections(port_);
  };
  if (!eventually(ready, std::chrono::seconds(10))) {
    throw std::runtime_error(
        fmt::format("the {} bus did not listen on port {} within 10 s", name_of(kind_), port_));
  }
}

bool PulseServer::available(std::string* reason) {
  for (auto program : {"pulseaudio", "pactl"}) {
    if (find_program(program).empty()) {
      *reason = fmt::format("no {} binary in PATH (Debian packages pulseaudio, pulseaudio-utils)",
                            program);
      return false;
    }
  }
  return true;
}

PulseServer::PulseServer(std::vector<std::string> sinks) {
  std::vector<std::string> argv = {
      "pulseaudio",
      "--daemonize=no",
      "--exit-idle-time=-1",
      "--system=false",
      "-n",
      "--use-pid-file=no",
      "--log-target=stderr",
      "--log-level=error",
      fmt::format("--load=module-native-protocol-unix socket={} auth-anonymous=1",
                  (home_.path() / "native").string())};
  for (const auto& sink : sinks) {
    argv.push_back(fmt::format("--load=module-null-sink sink_name={}", sink));
  }
  // Its own HOME and XDG_RUNTIME_DIR, so it neither finds nor disturbs the user's server.
  process_ = std::make_unique<Process>(argv, home_.environment(), false);
  auto answers = [&] {
    if (!process_->running()) {
      throw std::runtime_error(fmt::format("pulseaudio exited with code {} instead of serving",
                                           process_->finish({}).exit_code));
    }
    return run({"pactl", "info"}, environment(), std::chrono::seconds(5)).exit_code == 0;
  };
  if (!eventually(answers, std::chrono::seconds(10))) {
    throw std::runtime_error("pulseaudio did not answer pactl info within 10 s");
  }
}

PulseServer::~PulseServer() {
  process_->signal(SIGTERM);
  process_->finish(std::chrono::seconds(5));
}

std::string PulseServer::server() const {
  return "unix:" + (home_.path() / "native").string();
}

std::vector<std::string> PulseServer::environment() const {
  auto environment = home_.environment();
  environment.push_back("PULSE_SERVER=" + server());
  return environment;
}

std::string PulseServer::pactl(std::vector<std::string> args) const {
  args.insert(args.begin(), "pactl");
  auto result = run(args, environment(), std::chrono::seconds(5));
  if (result.exit_code != 0) {
    throw std::runtime_error(
        fmt::format("pactl {} failed ({}): {}", args.at(1), result.exit_code, result.err));
  }
  return result.out;
}

}  // namespace hark::testing
