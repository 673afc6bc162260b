// ovos.PHAL.internet_check on the bus, as ovos-PHAL-plugin-connectivity-events answers it
// (protocols.md 2.12): `.response {internet_connected, network_connected}`, and on every change
// mycroft.network.connected/disconnected, mycroft.internet.connected/disconnected,
// enclosure.notify.no_internet and the mycroft.internet.state / mycroft.network.state
// {state: "connected"|"disconnected"} pair. Checks run on a thread of their own (a connection may
// take its whole timeout), one at a time, when asked and every hark.phal.internet_check.interval.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <mutex>
#include <optional>

#include "client/bus_client.h"
#include "phal/settings.h"

namespace hark::phal {

class InternetCheck {
 public:
  // The periodic checks' timer runs on `io`.
  InternetCheck(client::BusClient& bus, boost::asio::io_context& io, PhalSettings settings);

  void apply(PhalSettings settings);
  // Answers ovos.PHAL.internet_check; before bus.start().
  void subscribe();
  // The first check, then one every interval.
  void start();
  // Waits for a running check and drops the rest.
  void stop();

 private:
  enum class State { Unknown, None, Network, Internet };

  PhalSettings settings();
  void schedule();
  // Checks, announces a change, and answers `request` when there is one.
  void check(const std::optional<Message>& request);
  void announce(State before, State now, const Message& cause);

  client::BusClient& bus_;
  boost::asio::steady_timer timer_;
  boost::asio::thread_pool worker_{1};
  std::mutex settings_mutex_;
  PhalSettings settings_;
  State state_ = State::Unknown;  // the worker's
};

}  // namespace hark::phal
