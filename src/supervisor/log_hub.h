// Where the lines of every service go: stdout, each prefixed with its service's name (as
// `docker compose up` does), a backlog for `hark logs`, and the `hark logs -f` followers.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include <spdlog/sinks/base_sink.h>

namespace hark::supervisor {

class LogHub {
 public:
  // Gets a formatted line ("bus   | ..."); returns false to be dropped.
  using Follower = std::function<bool(const std::string& line)>;

  // `width`: the longest service name, so that the bars line up.
  LogHub(std::size_t width, std::size_t backlog_lines = 2000);

  // Thread-safe: the supervisor's own log lines may come from the bus client's thread.
  void line(const std::string& service, const std::string& text);
  // The backlog of one service (all when `service` is empty), oldest first, formatted.
  std::vector<std::string> backlog(const std::string& service) const;
  // From now on every line of `service` (all when empty) goes to `follower` too.
  void follow(const std::string& service, Follower follower);

 private:
  struct Entry {
    std::string service;
    std::string formatted;
  };
  struct Subscription {
    std::string service;
    Follower follower;
  };

  mutable std::mutex mutex_;
  std::size_t width_;
  std::size_t capacity_;
  std::deque<Entry> backlog_;
  std::vector<Subscription> followers_;
};

// An spdlog sink that hands the supervisor's own messages to a LogHub as service "up".
class LogHubSink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit LogHubSink(LogHub& hub) : hub_(hub) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& message) override;
  void flush_() override {}

 private:
  LogHub& hub_;
};

}  // namespace hark::supervisor
