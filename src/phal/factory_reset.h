// ovos-PHAL-plugin-system's factory reset: `system.factory.reset` removes what using Hark left in
// the user's folders, lets the hardware plugins that registered reset theirs, and asks for a
// reboot, so that the device starts as freshly installed (protocols.md 2.12).
//
//   system.factory.reset {wipe_cache, wipe_data, wipe_logs, wipe_configs, reset_hardware,
//                         reboot}          each true when absent, as in OVOS
//   -> system.factory.reset.start, system.factory.reset.ping (plugins answer .register)
//   -> system.factory.reset.phal        to the registered ones, each answering
//                                       .phal.complete {skill_id} (60 s at most in all)
//   -> system.factory.reset.complete {removed, errors}, then system.reboot
//
// Only the XDG folders named after Hark or mycroft are removed, never a folder mycroft.conf names
// (audio.cache_dir, listener.records_dir): those may hold anything. The provisioning scripts stay
// (they came with the installation); the record that they ran goes with the logs, so they run
// again at the next start.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "client/bus_client.h"

namespace hark::phal {

// What each of the request's wipe_* flags removes, from $HOME and the XDG_* variables.
struct ResetFolders {
  std::vector<std::filesystem::path> cache, data, logs, configs;
  static ResetFolders of_this_user();
};

struct WipeResult {
  std::vector<std::string> removed;  // the paths that existed and are gone
  std::vector<std::string> errors;   // "PATH: why", for those that could not be removed
};

// Removes each path (a file or a whole folder) that exists.
WipeResult wipe(const std::vector<std::filesystem::path>& paths);

class FactoryReset {
 public:
  // Registrations and requests arrive on the bus client's thread; the reset runs on `io`'s.
  FactoryReset(client::BusClient& bus, boost::asio::io_context& io, ResetFolders folders,
               std::chrono::milliseconds hardware_timeout = std::chrono::seconds(60));
  void subscribe();

 private:
  void start(const Message& request);
  void hardware_done(const std::string& skill_id);
  void finish();

  client::BusClient& bus_;
  ResetFolders folders_;
  std::chrono::milliseconds hardware_timeout_;
  boost::asio::steady_timer hardware_wait_;
  // On io's thread only.
  std::set<std::string> registered_;
  std::optional<Message> request_;  // the reset in progress
  std::set<std::string> waiting_for_;
  WipeResult result_;
};

}  // namespace hark::phal
