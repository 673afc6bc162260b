#include "audio/service.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <optional>

#include "audio/settings.h"
#include "audio/speaker.h"
#include "client/bus_client.h"
#include "client/process_status.h"
#include "config/watcher.h"
#include "core/lock_file.h"
#include "core/log.h"

namespace hark::audio {
namespace asio = boost::asio;
namespace {

// ovos-audio voices only the device's own session; remote sessions hear answers through
// HiveMind.
bool in_default_session(const Message& message) {
  const Json* id = config::find_path(message.context(), "session.session_id");
  return !id || *id == "default";
}

const Message& origin_of(const Answer& answer) {
  return std::any_cast<const Message&>(answer.origin);
}

std::unique_ptr<AudioSink> make_sink(const AudioSettings& s) {
  if (!s.wav_dir.empty()) {
    spdlog::info("writing speech to WAV files in {}", s.wav_dir.string());
    return make_wav_sink(s.wav_dir);
  }
  auto pulse = make_pulse_sink({.device = s.device, .latency_ms = s.latency_ms});
  // Says now, not at the first answer, when PulseAudio cannot be reached.
  if (pulse->open(16000)) pulse->discard_and_close();
  return pulse;
}

// Bad messages are answered with a log line, not a crash; a client repeating one cannot flood
// the log.
void reject(const Message& message, std::string_view why) {
  static log::RateLimit limit(5, std::chrono::seconds(10));
  std::uint64_t suppressed = 0;
  if (!limit.allow(suppressed)) return;
  spdlog::warn("ignoring '{}': {}{}", message.type(), why,
               suppressed ? fmt::format(" ({} more like it suppressed)", suppressed) : "");
}

// The answer a `speak` message asks for, or std::nullopt (logged) when it is malformed.
std::optional<Answer> answer_from(const Message& message) {
  const Json& data = message.data();
  auto utterance = data.find("utterance");
  if (utterance == data.end() || !utterance->is_string()) {
    reject(message, "data.utterance must be a string");
    return std::nullopt;
  }
  Answer answer{.text = utterance->get<std::string>(), .origin = message};
  for (const char* key : {"expect_response", "listen"}) {
    auto flag = data.find(key);
    if (flag == data.end() || flag->is_null()) continue;
    if (!flag->is_boolean()) {
      reject(message, fmt::format("data.{} must be true or false", key));
      return std::nullopt;
    }
    answer.listen = answer.listen || flag->get<bool>();
  }
  return answer;
}

void wire(client::BusClient& bus, Speaker& speaker) {
  bus.on("speak", [&](const Message& message) {
    if (!in_default_session(message)) return;
    if (auto answer = answer_from(message)) {
      spdlog::info("speak: {}", answer->text);
      speaker.speak(std::move(*answer));
    }
  });
  auto stop = [&](const Message& message) {
    if (speaker.stop()) {
      spdlog::info("{}: speech stopped", message.type());
      bus.emit(message.forward("mycroft.stop.handled", {{"by", "TTS"}}));
    }
  };
  bus.on("mycroft.audio.speech.stop", stop);
  bus.on("mycroft.stop", stop);
  bus.on("mycroft.audio.speak.status", [&](const Message& message) {
    bus.emit(message.reply("mycroft.audio.is_speaking", {{"speaking", speaker.speaking()}}));
  });
}

Speaker::Events bus_events(client::BusClient& bus) {
  return {
      .output_started =
          [&bus](const Answer& first) {
            bus.emit(origin_of(first).forward("recognizer_loop:audio_output_start"));
          },
      .output_ended =
          [&bus](const Answer& last, bool stopped) {
            const Message& origin = origin_of(last);
            bus.emit(origin.forward("recognizer_loop:audio_output_end"));
            if (last.listen && !stopped) bus.emit(origin.forward("mycroft.mic.listen"));
          },
  };
}

void apply_change(Speaker& speaker, const Json& before, const Json& after) {
  for (auto path : config::changed(before, after, settings())) {
    for (const auto& s : settings()) {
      if (s.path == path && s.apply == config::Apply::Restart) {
        spdlog::warn("{} changed: restart hark audio to apply it", path);
      }
    }
  }
  auto previous = AudioSettings::from(before);
  auto next = AudioSettings::from(after);
  if (next.log_level != previous.log_level && !log::set_level(next.log_level)) {
    spdlog::warn("unknown log_level '{}'", next.log_level);
  }
  if (next.engine.module == previous.engine.module && next.engine.voice == previous.engine.voice) {
    return;
  }
  try {
    speaker.set_engine(make_engine(next.engine));
    spdlog::info("TTS is now {} with voice '{}'", next.engine.module, next.engine.voice);
  } catch (const TtsError& e) {
    spdlog::error("keeping the previous TTS: {}", e.what());
  }
}

}  // namespace

int run(const config::Sources& sources) {
  asio::io_context io(1);
  log::init("audio");
  // Taken first, so that a SIGTERM during start-up is a clean stop once io runs.
  asio::signal_set stop_signals(io, SIGTERM, SIGINT);
  stop_signals.async_wait([&](boost::system::error_code ec, int signal) {
    if (ec) return;
    spdlog::info("{}: stopping", signal == SIGTERM ? "SIGTERM" : "SIGINT");
    io.stop();
  });
  std::optional<config::LiveConfig> conf;
  if (!config::LiveConfig::open(conf, io, sources, validate)) return 1;
  AudioSettings initial = AudioSettings::from(conf->current());
  log::set_level(initial.log_level);

  std::optional<LockFile> lock;
  std::shared_ptr<TtsEngine> engine;
  client::Endpoint endpoint;
  try {
    endpoint = client::Endpoint::from_config(conf->current());
    lock.emplace(LockFile::runtime_dir() / fmt::format("audio-{}.lock", endpoint.port));
    engine = make_engine(initial.engine);
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }
  auto cache = initial.cache_max_bytes > 0
                   ? std::make_shared<TtsCache>(initial.cache_dir, initial.cache_max_bytes)
                   : nullptr;
  auto sink = make_sink(initial);

  client::BusClient bus(endpoint, client::BusClientOptions::from_config(conf->current(), "audio"));
  client::ProcessStatus status(bus, "audio");
  Speaker speaker(engine, cache, std::move(sink), bus_events(bus));
  wire(bus, speaker);
  bus.start();
  spdlog::info("TTS {} with voice '{}'; cache {}", initial.engine.module, engine->voice(),
               cache ? cache->dir().string() : "off");
  status.set_ready();

  conf->on_change(
      [&](const Json& before, const Json& after) { apply_change(speaker, before, after); });
  conf->reload_on_hangup();

  io.run();
  speaker.stop();
  bus.stop();
  return 0;
}

}  // namespace hark::audio
