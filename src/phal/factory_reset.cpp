#include "phal/factory_reset.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include "config/config.h"
#include "phal/this_device.h"

namespace hark::phal {
namespace fs = std::filesystem;
namespace {

bool flag(const Json& data, const char* name) {
  auto found = data.find(name);
  return found == data.end() || !found->is_boolean() || found->get<bool>();
}

}  // namespace

ResetFolders ResetFolders::of_this_user() {
  const auto cache = config::user_cache_dir();
  const auto data = config::user_data_dir();
  const auto state = config::user_state_dir();
  const auto config = config::user_config_dir();
  return {.cache = {cache / "hark", cache / "mycroft"},
          .data = {data / "hark", data / "mycroft"},
          .logs = {state / "hark", state / "mycroft"},
          // The skills' settings and saved state (timers) live beside mycroft.conf.
          .configs = {config::user_config_file(), config / "skills"}};
}

WipeResult wipe(const std::vector<fs::path>& paths) {
  WipeResult result;
  for (const auto& path : paths) {
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(path, ec))) continue;
    // A symbolic link goes, not what it points to.
    fs::remove_all(path, ec);
    if (ec) {
      result.errors.push_back(fmt::format("{}: {}", path.string(), ec.message()));
    } else {
      result.removed.push_back(path.string());
    }
  }
  return result;
}

FactoryReset::FactoryReset(client::BusClient& bus, boost::asio::io_context& io,
                           ResetFolders folders, std::chrono::milliseconds hardware_timeout)
    : bus_(bus),
      folders_(std::move(folders)),
      hardware_timeout_(hardware_timeout),
      hardware_wait_(io) {}

void FactoryReset::subscribe() {
  auto on_io = [this](auto work) { boost::asio::post(hardware_wait_.get_executor(), work); };
  bus_.on("system.factory.reset.register", [this, on_io](const Message& m) {
    auto id = m.data().find("skill_id");
    if (id == m.data().end() || !id->is_string() || id->get<std::string>().empty()) {
      spdlog::warn("system.factory.reset.register without a skill_id: ignored");
      return;
    }
    on_io([this, skill_id = id->get<std::string>()] { registered_.insert(skill_id); });
  });
  bus_.on("system.factory.reset.phal.complete", [this, on_io](const Message& m) {
    if (auto id = m.data().find("skill_id"); id != m.data().end() && id->is_string()) {
      on_io([this, skill_id = id->get<std::string>()] { hardware_done(skill_id); });
    }
  });
  bus_.on("system.factory.reset", [this, on_io](const Message& m) {
    if (for_this_device(m)) on_io([this, m] { start(m); });
  });
  // Plugins that started before this service register now.
  bus_.on_connected([this] { bus_.emit(Message("system.factory.reset.ping")); });
}

void FactoryReset::start(const Message& request) {
  if (request_) {
    spdlog::warn("system.factory.reset: a reset is in progress already");
    return;
  }
  spdlog::warn("factory reset: {}", request.data().dump());
  request_ = request;
  bus_.emit(request.forward("system.factory.reset.start"));
  bus_.emit(request.forward("system.factory.reset.ping"));
  const Json& data = request.data();
  result_ = {};
  for (auto [name, paths] : {std::pair{"wipe_cache", &folders_.cache},
                             {"wipe_data", &folders_.data},
                             {"wipe_logs", &folders_.logs},
                             {"wipe_configs", &folders_.configs}}) {
    if (!flag(data, name)) continue;
    auto wiped = wipe(*paths);
    result_.removed.insert(result_.removed.end(), wiped.removed.begin(), wiped.removed.end());
    result_.errors.insert(result_.errors.end(), wiped.errors.begin(), wiped.errors.end());
  }
  for (const auto& error : result_.errors) spdlog::error("factory reset: cannot remove {}", error);
  if (!flag(data, "reset_hardware") || registered_.empty()) {
    finish();
    return;
  }
  waiting_for_ = registered_;
  bus_.emit(request.forward("system.factory.reset.phal", data));
  hardware_wait_.expires_after(hardware_timeout_);
  hardware_wait_.async_wait([this](boost::system::error_code ec) {
    if (ec || !request_) return;
    spdlog::warn("factory reset: no system.factory.reset.phal.complete from {} within {} s",
                 fmt::join(waiting_for_, ", "),
                 std::chrono::duration<double>(hardware_timeout_).count());
    finish();
  });
}

void FactoryReset::hardware_done(const std::string& skill_id) {
  if (!request_ || !waiting_for_.erase(skill_id) || !waiting_for_.empty()) return;
  hardware_wait_.cancel();
  finish();
}

void FactoryReset::finish() {
  Message request = std::move(*request_);
  request_.reset();
  waiting_for_.clear();
  spdlog::warn("factory reset: removed {}", fmt::join(result_.removed, ", "));
  bus_.emit(request.forward("system.factory.reset.complete",
                            {{"removed", result_.removed}, {"errors", result_.errors}}));
  // phal-admin reboots when its allowlist lets it.
  if (flag(request.data(), "reboot")) bus_.emit(request.forward("system.reboot"));
}

}  // namespace hark::phal
