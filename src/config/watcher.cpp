#include "config/watcher.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
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
#include "config/settings.h"

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
  // At start there is no last good configuration yet, so each file layer is taken on top of the
  // ones below it setting by setting: a setting it gets wrong keeps the value from below (a typo
  // in the user file must neither stop the service nor undo the rest of that file).
  Json accepted = Json::object();
  for (const auto& layer : layers_) {
    if (layer.path.empty()) {
      deep_merge(accepted, builtin_defaults());
      continue;
    }
    Json candidate = accepted;
    try {
      auto content = read_file(layer.path);
      if (!content) continue;
      deep_merge(candidate, *content);
    } catch (const ConfigError& e) {
      spdlog::error("configuration ignored: {}", e.what());
      continue;
    }
    if (keep_valid_settings(candidate, accepted, layer.path.string()) != Validity::Invalid) {
      accepted = std::move(candidate);
    } else {
      spdlog::error("leaving out the {} configuration {}", layer.name, layer.path.string());
    }
  }
  current_ = with_overrides(std::move(accepted));
  if (auto problems = problems_of(current_); !problems.empty()) {
    throw std::runtime_error(fmt::format("invalid configuration (command line or environment?): {}",
                                         fmt::join(problems, "; ")));
  }
}

Json LiveConfig::with_overrides(Json files) const {
  deep_merge(files, overrides_);
  return files;
}

std::vector<std::string> LiveConfig::problems_of(const Json& config) const {
  return validator_ ? validator_(config) : std::vector<std::string>{};
}

LiveConfig::Validity LiveConfig::keep_valid_settings(Json& candidate, const Json& fallback,
                                                     std::string_view origin) const {
  auto problems = problems_of(with_overrides(candidate));
  if (problems.empty()) return Validity::Valid;
  Json repaired = candidate;
  bool named = true;
  for (const auto& problem : problems) {
    auto path = problem_path(problem);
    if (path.empty()) {
      named = false;
      break;
    }
    replace_path(repaired, path, find_path(fallback, path));
  }
  if (named && problems_of(with_overrides(repaired)).empty()) {
    for (const auto& problem : problems) {
      const Json* kept = find_path(fallback, problem_path(problem));
      spdlog::error("invalid setting in {}: {}; keeping {}", origin, problem,
                    kept ? json_dump(*kept) : "it unset");
    }
    candidate = std::move(repaired);
    return Validity::Repaired;
  }
  for (const auto& problem : problems) spdlog::error("invalid configuration: {}", problem);
  return Validity::Invalid;
}

bool LiveConfig::reload() {
  Json candidate;
  try {
    candidate = load(layers_);
  } catch (const ConfigError& e) {
    spdlog::error("configuration not reloaded, keeping the last good one: {}", e.what());
    return false;
  }
  const auto validity = keep_valid_settings(candidate, current_, "the edited configuration");
  if (validity == Validity::Invalid) {
    spdlog::error("configuration not reloaded, keeping the last good one");
    return false;
  }
  candidate = with_overrides(std::move(candidate));
  if (candidate != current_) {
    Json before = std::exchange(current_, std::move(candidate));
    spdlog::info("configuration reloaded");
    for (const auto& listener : listeners_) listener(before, current_);
  }
  return validity == Validity::Valid;
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
