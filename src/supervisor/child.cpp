#include "supervisor/child.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "supervisor/lines.h"

namespace hark::supervisor {
namespace {

[[noreturn]] void throw_errno(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

// Between fork and exec only async-signal-safe calls: this writes without formatting.
void write_text(int fd, const char* text) {
  [[maybe_unused]] auto written = ::write(fd, text, std::strlen(text));
}

}  // namespace

Child spawn_child(const std::vector<std::string>& argv) {
  std::vector<char*> pointers;
  for (const auto& part : argv) pointers.push_back(const_cast<char*>(part.c_str()));
  pointers.push_back(nullptr);

  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw_errno("pipe2");
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) {
    int saved = errno;
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    errno = saved;
    throw_errno("fork");
  }
  if (pid == 0) {
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    // The supervisor may have died before prctl took effect.
    if (::getppid() != parent) ::_exit(1);
    ::dup2(pipe_fds[1], STDOUT_FILENO);
    ::dup2(pipe_fds[1], STDERR_FILENO);
    ::close(STDIN_FILENO);
    ::open("/dev/null", O_RDONLY);
    // Signals the supervisor handles through asio are blocked in no thread, but reset them
    // anyway: a child must not inherit an ignored SIGPIPE or SIGTERM.
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execvp(pointers[0], pointers.data());
    write_text(STDERR_FILENO, "cannot execute ");
    write_text(STDERR_FILENO, pointers[0]);
    write_text(STDERR_FILENO, ": ");
    write_text(STDERR_FILENO, errno == ENOENT ? "no such file" : "permission denied or bad format");
    write_text(STDERR_FILENO, "\n");
    ::_exit(127);
  }
  // Both sides set the group, so that it exists before either relies on it.
  ::setpgid(pid, pid);
  ::close(pipe_fds[1]);
  Child child;
  child.pid = pid;
  child.output = pipe_fds[0];
  child.pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (child.pidfd < 0) {
    int saved = errno;
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    ::close(child.output);
    errno = saved;
    throw_errno("pidfd_open");
  }
  return child;
}

ChildResult run_child(const std::vector<std::string>& argv,
                      const std::function<void(const std::string& line)>& on_line,
                      std::optional<std::chrono::milliseconds> timeout) {
  Deadline deadline;
  if (timeout) deadline = std::chrono::steady_clock::now() + *timeout;
  Child child = spawn_child(argv);
  ChildResult result;
  // Its output closed, it may still run (it closed its descriptors itself, or handed them on).
  result.timed_out =
      !read_lines(child.output, on_line, deadline) || !wait_readable(child.pidfd, deadline);
  if (result.timed_out) signal_group(child.pid, SIGKILL);
  ::close(child.output);
  ::close(child.pidfd);
  while (::waitpid(child.pid, &result.wait_status, 0) < 0 && errno == EINTR) {
  }
  return result;
}

void signal_group(pid_t pid, int signal_number) {
  if (pid > 0) ::kill(-pid, signal_number);
}

std::string describe_exit(int wait_status) {
  if (WIFEXITED(wait_status)) return fmt::format("exit code {}", WEXITSTATUS(wait_status));
  if (WIFSIGNALED(wait_status)) {
    const char* name = sigabbrev_np(WTERMSIG(wait_status));
    return name ? fmt::format("killed by SIG{}", name)
                : fmt::format("killed by signal {}", WTERMSIG(wait_status));
  }
  return fmt::format("wait status {}", wait_status);
}

}  // namespace hark::supervisor
