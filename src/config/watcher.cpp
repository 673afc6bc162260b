#include "config/watcher.h"

#include <spdlog/spdlog.h>
#include <sys/inotify.h>
#include <unistd.h>
#include <csignal>

#include <boost/asio/buffer.hpp>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include "config/config.h"

namespace hark::config {
namespace {

constexpr std::uint32_t kFolderEvents =
    IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_ATTRIB;

int open_inotify() {
  int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "inotify_init1");
  return fd;
}

// The folder that holds `file`, or its nearest ancestor that exists: watching that ancestor lets
// us see the folder being created, after which watch_folders() adds the folder itself.
std::filesystem::path nearest_existing_folder(const std::filesystem::path& file) {
  std::error_code ec;
  auto folder = file.parent_path();
  while (!folder.empty() && !std::filesystem::is_directory(folder, ec)) {
    if (folder == folder.root_path()) break;
    folder = folder.parent_path();
  }
  return folder;
}

}  // namespace

FileWatcher::FileWatcher(boost::asio::io_context& io, std::vector<std::filesystem::path> files,
                         std::function<void()> on_change, std::chrono::milliseconds debounce)
    : files_(std::move(files)),
      on_change_(std::move(on_change)),
      debounce_(debounce),
      inotify_(io, open_inotify()),
      settle_(io) {
  watch_folders();
  read_events();
}

FileWatcher::~FileWatcher() {
  boost::system::error_code ignored;
  settle_.cancel();
  inotify_.close(ignored);
}

void FileWatcher::watch_folders() {
  for (const auto& file : files_) {
    auto folder = nearest_existing_folder(file);
    if (folder.empty()) continue;
    // Adding a watch that exists already is harmless: inotify returns the same descriptor.
    if (inotify_add_watch(inotify_.native_handle(), folder.c_str(), kFolderEvents) < 0) {
      spdlog::warn("cannot watch {} for configuration changes: {}", folder.string(),
                   std::strerror(errno));
    }
  }
}

void FileWatcher::read_events() {
  inotify_.async_read_some(boost::asio::buffer(buffer_),
                           [this](boost::system::error_code ec, std::size_t) {
                             if (ec == boost::asio::error::operation_aborted) return;
                             if (ec) {
                               spdlog::error("configuration watcher stopped: {}", ec.message());
                               return;
                             }
                             // Folders may have appeared (mkdir -p ~/.config/mycroft); watch them
                             // too.
                             watch_folders();
                             settle_.expires_after(debounce_);
                             settle_.async_wait([this](boost::system::error_code wait_ec) {
                               if (wait_ec) return;
                               // `mkdir -p` may have made several levels faster than each could be
                               // watched in turn; watch whatever exists now, before on_change_
                               // reads the files.
                               watch_folders();
                               on_change_();
                             });
                             read_events();
                           });
}

bool LiveConfig::open(std::optional<LiveConfig>& conf, boost::asio::io_context& io,
                      const Sources& sources, Validator validator) {
  try {
    conf.emplace(io, sources.layers, sources.overrides, std::move(validator));
    return true;
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return false;
  }
}

LiveConfig::LiveConfig(boost::asio::io_context& io, std::vector<Layer> layers, Json overrides,
                       Validator validator)
    : layers_(std::move(layers)),
      overrides_(std::move(overrides)),
      validator_(std::move(validator)),
      watcher_(
          io,
          [this] {
            std::vector<std::filesystem::path> files;
            for (const auto& layer : layers_) {
              if (!layer.path.empty()) files.push_back(layer.path);
            }
            return files;
          }(),
          [this] { reload(); }),
      hangup_(io) {
  // At start there is no last good configuration to keep, so leave out what is broken, newest
  // layer first, until the rest is valid: a typo in the user file must not stop the service.
  std::vector<Layer> usable = layers_;
  while (true) {
    std::vector<ConfigError> skipped;
    current_ = load(usable, overrides_, &skipped);
    for (const auto& error : skipped) spdlog::error("configuration ignored: {}", error.what());
    auto problems = validator_ ? validator_(current_) : std::vector<std::string>{};
    if (problems.empty()) break;
    for (const auto& problem : problems) spdlog::error("invalid configuration: {}", problem);
    auto last_file = std::find_if(usable.rbegin(), usable.rend(),
                                  [](const Layer& l) { return !l.path.empty(); });
    if (last_file == usable.rend()) {
      throw std::runtime_error("the built-in configuration and overrides are invalid");
    }
    spdlog::error("leaving out the {} configuration {}", last_file->name, last_file->path.string());
    usable.erase(std::next(last_file).base());
  }
}

bool LiveConfig::reload() {
  Json candidate;
  try {
    candidate = load(layers_, overrides_);
  } catch (const ConfigError& e) {
    spdlog::error("configuration not reloaded, keeping the last good one: {}", e.what());
    return false;
  }
  if (validator_) {
    auto problems = validator_(candidate);
    if (!problems.empty()) {
      for (const auto& problem : problems) {
        spdlog::error("configuration not reloaded, keeping the last good one: {}", problem);
      }
      return false;
    }
  }
  if (candidate == current_) return true;
  Json before = std::exchange(current_, std::move(candidate));
  spdlog::info("configuration reloaded");
  for (const auto& listener : listeners_) listener(before, current_);
  return true;
}

void LiveConfig::reload_on_hangup() {
  hangup_.add(SIGHUP);
  await_hangup();
}

void LiveConfig::await_hangup() {
  hangup_.async_wait([this](boost::system::error_code ec, int) {
    if (ec) return;
    reload();
    await_hangup();
  });
}

}  // namespace hark::config
