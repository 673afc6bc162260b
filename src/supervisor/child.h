// Starting a supervised child: in a process group of its own (so whatever it starts stops with
// it), killed by the kernel when the supervisor dies however it dies (PR_SET_PDEATHSIG, so a
// kill -9 of `hark up` leaves no orphans holding ports or lock files), with stdout and stderr in
// one pipe that the supervisor reads line by line.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace hark::supervisor {

struct Child {
  pid_t pid = -1;   // also its process group id
  int pidfd = -1;   // readable once it has exited (pidfd_open(2))
  int output = -1;  // its stdout and stderr; end of file once it and its group have closed them
};

// Runs argv[0] (searched in PATH when it has no slash). The caller owns the two descriptors.
// A program that cannot be executed exits with code 127 after saying why on its output.
// Throws std::system_error when no process could be made.
Child spawn_child(const std::vector<std::string>& argv);

struct ChildResult {
  int wait_status = 0;     // as waitpid(2) gives it
  bool timed_out = false;  // killed (the whole group, SIGKILL) when the timeout passed
};

// Runs argv to its end with spawn_child, passing each line it writes (stdout and stderr) to
// `on_line`. With a timeout, the child's group is killed once it passes, whether the child is
// still writing or has closed its output and hangs. Throws as spawn_child does.
ChildResult run_child(const std::vector<std::string>& argv,
                      const std::function<void(const std::string& line)>& on_line,
                      std::optional<std::chrono::milliseconds> timeout = std::nullopt);

// SIGTERM, SIGKILL, ... to the child's whole process group; gone already is fine.
void signal_group(pid_t pid, int signal_number);

// "exit code 3", "killed by SIGKILL"; `wait_status` as waitpid(2) gives it.
std::string describe_exit(int wait_status);

}  // namespace hark::supervisor
