// Test support: child processes with captured output, a real bus on a free port, and a private
// PulseAudio server with null sinks.
//
//   hark::testing::TestBus bus(hark::testing::BusKind::Hark);   // `hark bus`, ready to connect
//   hark::client::BusClient client(bus.endpoint());
//   auto result = hark::testing::run({hark_binary(), "send", "x"}, bus.home().environment(), 5s);
//
// Every wait has a deadline; nothing sleeps for a fixed time.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "client/bus_client.h"

namespace hark::testing {

struct Finished {
  int exit_code = -1;  // 128 + signal number when killed by a signal
  std::string out;
  std::string err;
};

// A child process. With `capture`, its stdout and stderr are read by finish() and
// wait_for_stderr() and wait_for_stdout(); without, they go where the test's own output goes.
class Process {
 public:
  Process(std::vector<std::string> argv, std::vector<std::string> environment, bool capture);
  // Kills the child (SIGKILL) if it is still running.
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  void signal(int number);
  // False once the child has exited (it is then reaped, and finish() returns at once).
  bool running();
  // Reads stderr (stdout) until `text` appears in it; false when the deadline passes first.
  bool wait_for_stderr(std::string_view text, std::chrono::milliseconds timeout);
  bool wait_for_stdout(std::string_view text, std::chrono::milliseconds timeout);
  // Reads the output to its end and reaps the child; kills it when `timeout` passes first.
  Finished finish(std::chrono::milliseconds timeout);

 private:
  bool read_some(std::chrono::steady_clock::time_point deadline);
  bool wait_for(const std::string& output, std::string_view text,
                std::chrono::milliseconds timeout);

  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  Finished result_;
};

// Runs a command to its end.
Finished run(std::vector<std::string> argv, std::vector<std::string> environment,
             std::chrono::milliseconds timeout);

// A loopback TCP port nobody listens on now (the kernel's pick), for a server the test starts.
unsigned short free_port();

// The built `hark` binary, from $HARK_BINARY (set by ctest).
std::string hark_binary();

// Polls until `condition` holds; false when the deadline passes first.
bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds timeout = std::chrono::seconds(5));

enum class BusKind {
  Hark,        // `hark bus`
  OvosPython,  // bench/baseline/ovos_python_bus.py, behaving as ovos-messagebus does
};
std::string_view name_of(BusKind kind);
// False (with the reason) when this machine cannot run that bus, e.g. no Python with tornado.
bool available(BusKind kind, std::string* reason);

// A temporary HOME with its own XDG folders, for a child `hark` that must not see this machine's
// configuration: the user mycroft.conf is the only layer besides the built-in defaults.
class TempHome {
 public:
  TempHome();
  ~TempHome();
  TempHome(const TempHome&) = delete;
  TempHome& operator=(const TempHome&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path user_config_file() const;
  void write_user_config(const std::string& text) const;
  // HOME, XDG_CONFIG_HOME and XDG_RUNTIME_DIR inside it; system and distribution layers absent.
  std::vector<std::string> environment() const;

 private:
  std::filesystem::path path_;
};

// A bus on a free loopback port, in its own TempHome whose user mycroft.conf is `user_config`
// plus the port, ready when the constructor returns; stopped with SIGTERM by the destructor.
class TestBus {
 public:
  explicit TestBus(BusKind kind, Json user_config = Json::object());
  ~TestBus();
  TestBus(const TestBus&) = delete;
  TestBus& operator=(const TestBus&) = delete;

  // SIGKILL, as a crash would end it.
  void kill();
  // Starts it again on the same port and waits until it accepts connections.
  void restart();

  unsigned short port() const { return port_; }
  // Read from the user configuration, as a service would.
  client::Endpoint endpoint() const { return client::Endpoint::from_config(user_config_); }
  // For a child `hark` that should talk to this bus.
  const TempHome& home() const { return home_; }

 private:
  void launch();

  BusKind kind_;
  TempHome home_;
  unsigned short port_;
  Json user_config_;
  std::unique_ptr<Process> process_;
};

// A PulseAudio server of the test's own, with null sinks (the first is the default sink), reached
// through a unix socket in a temporary folder. Ready when the constructor returns; killed by the
// destructor.
//
//   if (!hark::testing::PulseServer::available(&why)) GTEST_SKIP() << why;
//   hark::testing::PulseServer pulse({"spk"});
//   auto volume = pulse.pactl({"get-sink-volume", "spk"});   // pactl against this server
class PulseServer {
 public:
  // False (with the reason) when the pulseaudio or pactl binary is missing.
  static bool available(std::string* reason);

  explicit PulseServer(std::vector<std::string> sinks = {"spk", "mic"});
  ~PulseServer();
  PulseServer(const PulseServer&) = delete;
  PulseServer& operator=(const PulseServer&) = delete;

  // "unix:/tmp/.../native", the value for PULSE_SERVER.
  std::string server() const;
  // PULSE_SERVER, for a child that should play or record through this server.
  std::vector<std::string> environment() const;
  // Runs pactl against this server; throws std::runtime_error when it fails.
  std::string pactl(std::vector<std::string> args) const;

 private:
  TempHome home_;
  std::unique_ptr<Process> process_;
};

}  // namespace hark::testing
