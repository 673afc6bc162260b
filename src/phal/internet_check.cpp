#include "phal/internet_check.h"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

namespace hark::phal {
namespace asio = boost::asio;

InternetCheck::InternetCheck(client::BusClient& bus, asio::io_context& io, PhalSettings settings)
    : bus_(bus), timer_(io), settings_(std::move(settings)) {}

void InternetCheck::apply(PhalSettings next) {
  std::chrono::milliseconds before = settings().internet_interval;
  {
    std::lock_guard lock(settings_mutex_);
    settings_ = std::move(next);
  }
  if (settings().internet_interval != before) {
    // The timer belongs to the io thread; configuration changes arrive there too.
    timer_.cancel();
    schedule();
  }
}

PhalSettings InternetCheck::settings() {
  std::lock_guard lock(settings_mutex_);
  return settings_;
}

void InternetCheck::subscribe() {
  bus_.on("ovos.PHAL.internet_check", [this](const Message& request) {
    asio::post(worker_, [this, request] { check(request); });
  });
}

void InternetCheck::start() {
  if (settings().internet_interval.count() > 0) {
    asio::post(worker_, [this] { check(std::nullopt); });
  }
  schedule();
}

void InternetCheck::stop() {
  timer_.cancel();
  worker_.stop();
  worker_.join();
}

void InternetCheck::schedule() {
  auto interval = settings().internet_interval;
  if (interval.count() == 0) return;
  timer_.expires_after(interval);
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    asio::post(worker_, [this] { check(std::nullopt); });
    schedule();
  });
}

void InternetCheck::check(const std::optional<Message>& request) {
  PhalSettings current = settings();
  bool network = has_default_route();
  bool internet = !current.internet_hosts.empty() &&
                  any_reachable(current.internet_hosts, current.internet_timeout);
  // Reaching a host is being on a network, whatever the routing table says (a host on the LAN).
  State now = internet ? State::Internet : network ? State::Network : State::None;
  if (now != state_) {
    announce(state_, now, request.value_or(Message("ovos.PHAL.internet_check")));
    state_ = now;
  }
  if (request) {
    bus_.emit(request->response(
        {{"internet_connected", internet}, {"network_connected", internet || network}}));
  }
}

// What ovos-PHAL-plugin-connectivity-events emits for the same change.
void InternetCheck::announce(State before, State now, const Message& cause) {
  auto emit = [&](const char* type, Json data = Json::object()) {
    bus_.emit(cause.reply(type, std::move(data)));
  };
  bool had_network = before == State::Network || before == State::Internet;
  spdlog::info("connectivity: {}", now == State::Internet  ? "internet"
                                   : now == State::Network ? "network, no internet"
                                                           : "no network");
  if (now == State::Internet) {
    if (!had_network) emit("mycroft.network.connected");
    emit("mycroft.internet.connected");
  } else if (now == State::Network) {
    if (!had_network) emit("mycroft.network.connected");
    if (before == State::Internet) {
      emit("mycroft.internet.disconnected");
      emit("enclosure.notify.no_internet");
    }
  } else {
    if (before == State::Internet) emit("mycroft.internet.disconnected");
    if (had_network) emit("mycroft.network.disconnected");
    emit("enclosure.notify.no_internet");
  }
  auto state = [](bool connected) {
    return Json{{"state", connected ? "connected" : "disconnected"}};
  };
  emit("mycroft.internet.state", state(now == State::Internet));
  emit("mycroft.network.state", state(now != State::None));
}

}  // namespace hark::phal
