// Live configuration: the merged mycroft.conf of a running service, re-read when any layer's
// file changes (inotify on the folders, so editors that replace files are seen too), validated
// before it replaces the last good one.
//
//   hark::config::LiveConfig conf(io, layers, overrides, validator);
//   conf.on_change([](const hark::Json& before, const hark::Json& after) { ... });
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace hark::config {

// Calls `on_change` once things settle (after `debounce`) whenever one of `files` is created,
// written, moved or removed, including files whose folder does not exist yet.
class FileWatcher {
 public:
  FileWatcher(boost::asio::io_context& io, std::vector<std::filesystem::path> files,
              std::function<void()> on_change,
              std::chrono::milliseconds debounce = std::chrono::milliseconds(100));
  ~FileWatcher();
  FileWatcher(const FileWatcher&) = delete;
  FileWatcher& operator=(const FileWatcher&) = delete;

 private:
  void watch_folders();
  void read_events();

  std::vector<std::filesystem::path> files_;
  std::function<void()> on_change_;
  std::chrono::milliseconds debounce_;
  boost::asio::posix::stream_descriptor inotify_;
  boost::asio::steady_timer settle_;
  std::array<char, 8192> buffer_{};
};

class LiveConfig {
 public:
  // Returns the problems of a candidate configuration; empty means it may be applied.
  using Validator = std::function<std::vector<std::string>(const Json&)>;
  using Listener = std::function<void(const Json& before, const Json& after)>;

  // Loads now and starts watching. A layer that does not parse is left out; a setting that fails
  // validation keeps the value of the layers below it; both are logged. Throws when the
  // overrides (environment, command line) are invalid.
  LiveConfig(boost::asio::io_context& io, std::vector<Layer> layers, Json overrides,
             Validator validator);

  // A service's start: constructs `conf` from the sources, or logs why it cannot (critical) and
  // returns false, for the service to exit with 1.
  static bool open(std::optional<LiveConfig>& conf, boost::asio::io_context& io,
                   const Sources& sources, Validator validator);

  const Json& current() const noexcept { return current_; }
  void on_change(Listener listener) { listeners_.push_back(std::move(listener)); }

  // Re-reads every layer. A layer that does not parse leaves the whole last good configuration
  // in place; a setting that fails validation keeps its last good value while the valid ones
  // apply. Either is logged (where and what) and returns false. Listeners run only when
  // something changed.
  bool reload();

  // Reloads on every SIGHUP too (`kill -HUP`, `systemctl reload`), as daemons do.
  void reload_on_hangup();

 private:
  enum class Validity { Valid, Repaired, Invalid };
  // Gives each setting of `candidate` (files only, no overrides) that fails validation its value
  // in `fallback`, logging what was wrong in `origin`. Invalid: a problem that names no setting
  // or that the fallback values do not mend; `candidate` is then unchanged.
  Validity keep_valid_settings(Json& candidate, const Json& fallback,
                               std::string_view origin) const;
  Json with_overrides(Json files) const;
  std::vector<std::string> problems_of(const Json& config) const;
  void await_hangup();

  std::vector<Layer> layers_;
  Json overrides_;
  Validator validator_;
  Json current_;
  std::vector<Listener> listeners_;
  FileWatcher watcher_;
  boost::asio::signal_set hangup_;
};

}  // namespace hark::config
