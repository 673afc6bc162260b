#include "phal/service.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>

#include <cmath>
#include <mutex>
#include <optional>

#include "client/bus_client.h"
#include "client/process_status.h"
#include "client/service_connection.h"
#include "config/watcher.h"
#include "core/log.h"
#include "phal/factory_reset.h"
#include "phal/internet_check.h"
#include "phal/language.h"
#include "phal/mixer.h"
#include "phal/settings.h"
#include "phal/system_info.h"
#include "phal/this_device.h"

namespace hark::phal {
namespace asio = boost::asio;
namespace {

// "percent" is a 0-1 fraction despite its name, but one ovos-audio path sends 80: values above 1
// are read as percentages. Absent gives `fallback`; anything else not a number is an error.
double fraction(const Message& message, double fallback) {
  auto found = message.data().find("percent");
  if (found == message.data().end() || found->is_null()) return fallback;
  if (!found->is_number()) {
    throw std::invalid_argument(fmt::format("{}: percent must be a number from 0 to 1, got {}",
                                            message.type(), found->dump()));
  }
  double value = found->get<double>();
  if (value < 0) {
    throw std::invalid_argument(
        fmt::format("{}: percent must not be negative, got {}", message.type(), found->dump()));
  }
  return value > 1 ? value / 100 : value;
}

Json volume_data(const MixerState& state) {
  // Rounded as pactl shows it, so that 0.8 set is 0.8 read.
  return {{"percent", std::round(state.level * 100) / 100}, {"muted", state.muted}};
}

class VolumeService {
 public:
  VolumeService(client::BusClient& bus, PhalSettings settings)
      : bus_(bus), settings_(std::move(settings)), mixer_(settings_.pulse_server) {}

  void apply(PhalSettings next) {
    std::lock_guard lock(settings_mutex_);
    next.pulse_server = settings_.pulse_server;  // Apply::Restart
    settings_ = std::move(next);
  }

  // Says once, at start, whether there is a sound server to control.
  void probe() {
    try {
      auto state = mixer_.state();
      spdlog::info("volume of sink {}: {:.0f} %{}", state.sink, state.level * 100,
                   state.muted ? " (muted)" : "");
    } catch (const MixerError& e) {
      spdlog::warn("no sound server: {}; volume requests fail until one is reachable", e.what());
    }
  }

  void subscribe() {
    auto get = [this](const Message&) { return mixer_.state(); };
    auto set = [this](const Message& m) {
      return changed(m, mixer_.set_level(fraction(m, mixer_.state().level)));
    };
    handle("mycroft.volume.get", get);
    // The GUI's sliding panel asks without making the shell show its volume overlay.
    handle("mycroft.volume.get.sliding.panel", get);
    handle("mycroft.volume.set", set);
    handle("mycroft.volume.set.gui", set);
    handle("mycroft.volume.increase", [this](const Message& m) {
      double step = fraction(m, settings().volume_step);
      return changed(m, mixer_.set_level(mixer_.state().level + step));
    });
    handle("mycroft.volume.decrease", [this](const Message& m) {
      double step = fraction(m, settings().volume_step);
      return changed(m, mixer_.set_level(mixer_.state().level - step));
    });
    handle("mycroft.volume.mute", [this](const Message&) { return mixer_.set_muted(true); });
    handle("mycroft.volume.unmute", [this](const Message&) { return mixer_.set_muted(false); });
    handle("mycroft.volume.mute.toggle",
           [this](const Message&) { return mixer_.set_muted(!mixer_.state().muted); });
  }

 private:
  PhalSettings settings() {
    std::lock_guard lock(settings_mutex_);
    return settings_;
  }

  MixerState changed(const Message& request, MixerState state) {
    auto play = request.data().find("play_sound");
    std::string sound = settings().volume_sound;
    if (play != request.data().end() && play->is_boolean() && play->get<bool>() && !sound.empty()) {
      bus_.emit(request.forward("mycroft.audio.play_sound", {{"uri", sound}}));
    }
    return state;
  }

  // Every volume message is answered with the state after it, as OVOS's volume plugins do.
  void handle(std::string type, std::function<MixerState(const Message&)> act) {
    bus_.on(std::move(type), [this, act = std::move(act)](const Message& message) {
      if (!for_this_device(message)) return;
      try {
        bus_.emit(message.reply("mycroft.volume.get.response", volume_data(act(message))));
      } catch (const std::invalid_argument& e) {
        spdlog::warn("{}", e.what());
      } catch (const MixerError& e) {
        std::uint64_t suppressed = 0;
        if (error_log_.allow(suppressed)) {
          spdlog::error("{}: {}{}", message.type(), e.what(),
                        suppressed ? fmt::format(" (and {} more)", suppressed) : "");
        }
      }
    });
  }

  client::BusClient& bus_;
  std::mutex settings_mutex_;
  PhalSettings settings_;
  Mixer mixer_;  // used from the bus client's thread only
  log::RateLimit error_log_{5, std::chrono::seconds(10)};
};

// ovos-PHAL-plugin-system's system.configure.language: `lang` in the user's mycroft.conf, which
// every service watches (configuration.updated follows). Its .bash_profile LANG is left alone: a
// voice assistant has no business in the user's shell. A code that is missing defaults to en_US
// as OVOS's does; one that is not a language code, or a file that cannot be written (the
// read-only config mount of a container), is answered with .failed and changes nothing.
void configure_language(client::BusClient& bus, const Message& request) {
  const auto code = request.data().value("language_code", Json("en_US"));
  const auto language =
      code.is_string() ? normalized_language(code.get<std::string>()) : std::nullopt;
  std::string error;
  if (!language) {
    error = fmt::format("language_code must be a language code such as en_US or pt-br, got {}",
                        code.dump());
  } else {
    try {
      config::set_in_file(config::user_config_file(), "lang", *language);
      spdlog::info("language set to {} in {}", *language, config::user_config_file().string());
      bus.emit(request.forward("system.configure.language.complete", {{"lang", *language}}));
      return;
    } catch (const config::ConfigError& e) {
      error = e.what();
    }
  }
  spdlog::warn("system.configure.language: {}", error);
  bus.emit(request.forward("system.configure.language.failed", {{"error", error}}));
}

}  // namespace

int run(const config::Sources& sources) {
  asio::io_context io(1);
  log::init("phal");
  std::optional<config::LiveConfig> conf;
  if (!config::LiveConfig::open(conf, io, sources, validate)) return 1;
  PhalSettings initial = PhalSettings::from(conf->current());
  log::set_level(initial.log_level);

  auto connection = client::ServiceConnection::open(conf->current(), "phal");
  if (!connection) return 1;
  client::BusClient& bus = connection->bus;
  client::ProcessStatus status(bus, "PHAL");
  VolumeService volume(bus, initial);
  volume.subscribe();
  InternetCheck internet(bus, io, initial);
  internet.subscribe();
  bus.on("hark.system.info",
         [&](const Message& message) { bus.emit(message.response(system_info())); });
  bus.on("system.configure.language", [&](const Message& message) {
    if (for_this_device(message)) configure_language(bus, message);
  });
  FactoryReset factory_reset(bus, io, ResetFolders::of_this_user());
  factory_reset.subscribe();
  conf->on_change([&](const Json&, const Json& after) {
    PhalSettings next = PhalSettings::from(after);
    if (!log::set_level(next.log_level)) spdlog::warn("unknown log_level '{}'", next.log_level);
    internet.apply(next);
    volume.apply(std::move(next));
  });

  bus.start();
  volume.probe();
  internet.start();
  status.set_ready();
  spdlog::info("ready on {}", client::Endpoint::from_config(conf->current()).url());

  conf->reload_on_hangup();
  client::run_until_stopped(io);
  internet.stop();
  bus.stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace hark::phal
