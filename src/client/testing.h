// Test support: child processes with captured output, and a real bus on a free port.
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
// wait_for_output(); without, they go where the test's own output goes.
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
  // Reads stderr until `text` appears in it; false when the deadline passes first.
  bool wait_for_stderr(std::string_view text, std::chrono::milliseconds timeout);
  // Reads the output to its end and reaps the child; kills it when `timeout` passes first.
  Finished finish(std::chrono::milliseconds timeout);

 private:
  bool read_some(std::chrono::steady_clock::time_point deadline);

  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  Finished result_;
};

// Runs a command to its end.
Finished run(std::vector<std::string> argv, std::vector<std::string> environment,
             std::chrono::milliseconds timeout);

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

// A PulseAudio server of the test's own (machine-notes 2): no sound card needed, two null sinks,
// "spk" (the default, what services play on) and "mic"; each has a ".monitor" source to record
// what was played. Anonymous clients may connect through server(). Stopped by the destructor.
class PulseServer {
 public:
  // False (with the reason) when the pulseaudio binary is not installed.
  static bool available(std::string* reason);

  // Ready to accept clients when it returns; throws when it does not start within 10 s.
  PulseServer();
  ~PulseServer();
  PulseServer(const PulseServer&) = delete;
  PulseServer& operator=(const PulseServer&) = delete;

  // For PULSE_SERVER: "unix:/tmp/.../native".
  std::string server() const;

 private:
  TempHome home_;
  std::filesystem::path socket_;
  std::unique_ptr<Process> process_;
};

}  // namespace hark::testing
