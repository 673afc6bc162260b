// hark bus | send | listen | ready | speak | utter | enroll
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>

#include "bus/server.h"
#include "cli/command.h"
#include "cli/service_module.h"
#include "client/bus_client.h"
#include "core/log.h"

namespace hark::cli {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;

constexpr double kDefaultTimeoutSeconds = 5;

milliseconds to_duration(double seconds) {
  return milliseconds(static_cast<milliseconds::rep>(seconds * 1000));
}

// Holds the main thread until finish() is called (from any thread), SIGINT or SIGTERM arrives, or
// the deadline set with expire_after() passes.
class Wait {
 public:
  enum class Outcome { Finished, Interrupted, TimedOut };

  Wait() {
    signals_.async_wait([this](boost::system::error_code ec, int) {
      if (!ec) end(Outcome::Interrupted);
    });
  }
  // From any thread; a later call moves the deadline.
  void expire_after(milliseconds timeout) {
    asio::post(io_, [this, timeout] {
      deadline_.expires_after(timeout);
      deadline_.async_wait([this](boost::system::error_code ec) {
        if (!ec) end(Outcome::TimedOut);
      });
    });
  }
  void finish() {
    asio::post(io_, [this] { end(Outcome::Finished); });
  }
  Outcome run() {
    io_.run();
    return outcome_;
  }

 private:
  void end(Outcome outcome) {
    outcome_ = outcome;
    io_.stop();
  }

  asio::io_context io_;
  asio::signal_set signals_{io_, SIGINT, SIGTERM};
  asio::steady_timer deadline_{io_};
  Outcome outcome_ = Outcome::Finished;
};

// A client connected to the configured bus, or a Failure that says which bus and why not.
std::unique_ptr<client::BusClient> connect(const Json& config, double timeout_seconds) {
  auto endpoint = client::Endpoint::from_config(config);
  auto bus = std::make_unique<client::BusClient>(
      endpoint, client::BusClientOptions::from_config(config, "hark-cli"));
  bus->start();
  if (!bus->wait_connected(to_duration(timeout_seconds))) {
    std::string why = bus->last_error();
    if (why.empty()) why = fmt::format("no connection within {:g} s", timeout_seconds);
    throw Failure(fmt::format("cannot reach the bus at {}: {}", endpoint.url(), why));
  }
  return bus;
}

void emit_one(const Json& config, const Message& message, double timeout_seconds) {
  auto bus = connect(config, timeout_seconds);
  bus->emit(message);
  bus->stop();  // sends it first
  if (bus->dropped_messages() > 0) {
    throw Failure(fmt::format("'{}' was not delivered: {}", message.type(), bus->last_error()));
  }
}

// The context OVOS's own command-line client gives its messages: "debug_cli" is one of the
// sources services treat as local (Audio.native_sources), and the device's own session.
Json cli_context(std::string_view destination) {
  return {{"client_name", "hark"},
          {"source", "debug_cli"},
          {"destination", Json::array({destination})},
          {"session", {{"session_id", "default"}}}};
}

std::string language(const Json& config, const std::string& given) {
  if (!given.empty()) return given;
  const Json* lang = config::find_path(config, "lang");
  return lang && lang->is_string() ? lang->get<std::string>() : "en-US";
}

bool in_default_session(const Message& message) {
  const Json* id = config::find_path(message.context(), "session.session_id");
  return !id || *id == "default";
}

void add_timeout_option(CLI::App& command, double& seconds, const std::string& what) {
  command.add_option("--timeout", seconds, what)
      ->type_name("SECONDS")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
}

struct SendArgs {
  std::string type;
  std::string data = "{}";
  std::string context = "{}";
  double timeout = kDefaultTimeoutSeconds;
};

int send(const SendArgs& args, const Globals& globals) {
  Message message(args.type, config::parse_text(args.data, "JSON_DATA"),
                  config::parse_text(args.context, "--context"));
  emit_one(load_config(globals, BrokenLayers::Skip), message, args.timeout);
  return 0;
}

struct ListenArgs {
  std::vector<std::string> types;
  int count = 0;
  double timeout = 0;
};

int listen(const ListenArgs& args, const Globals& globals) {
  // A lost bus is worth hearing about while listening: the client says when it reconnects.
  if (!globals.log_level_given) log::set_level("WARNING");
  Json config = load_config(globals, BrokenLayers::Skip);
  Wait wait;
  std::atomic<int> printed = 0;
  auto bus = connect(config, args.timeout > 0 ? args.timeout : kDefaultTimeoutSeconds);
  auto print = [&](const Message& message) {
    int number = ++printed;
    if (args.count > 0 && number > args.count) return;
    std::string line = message.serialize() + '\n';
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fflush(stdout);
    if (number == args.count) wait.finish();
  };
  if (args.types.empty()) {
    bus->on_any([print](const Message& message) {
      // The bus greets each new client with "connected"; it is not traffic.
      if (message.type() != "connected") print(message);
    });
  } else {
    for (const auto& type : args.types) bus->on(type, print);
  }
  std::fprintf(stderr, "listening on %s (Ctrl-C to stop)\n",
               client::Endpoint::from_config(config).url().c_str());
  if (args.timeout > 0) wait.expire_after(to_duration(args.timeout));
  auto outcome = wait.run();
  bus->stop();
  if (args.count > 0 && printed < args.count) {
    if (outcome == Wait::Outcome::Interrupted) return 130;
    throw Failure(fmt::format("saw {} of {} messages within {:g} s", printed.load(), args.count,
                              args.timeout));
  }
  return 0;
}

struct SpeakArgs {
  std::string text;
  std::string lang;
  double timeout = kDefaultTimeoutSeconds;
};

int speak(const SpeakArgs& args, const Globals& globals) {
  Json config = load_config(globals, BrokenLayers::Skip);
  Message message(
      "speak",
      {{"utterance", args.text}, {"expect_response", false}, {"lang", language(config, args.lang)}},
      cli_context("audio"));
  emit_one(config, message, args.timeout);
  return 0;
}

// Messages that say the core is done with an utterance.
constexpr std::string_view kUtteranceDone[] = {
    "ovos.utterance.handled", "mycroft.skill.handler.complete", "complete_intent_failure"};

int utter(const SpeakArgs& args, const Globals& globals) {
  Json config = load_config(globals, BrokenLayers::Skip);
  Wait wait;
  std::atomic<int> answers = 0;
  std::atomic<bool> not_understood = false;
  std::atomic<bool> handled = false;
  auto bus = connect(config, args.timeout);
  bus->on("speak", [&](const Message& message) {
    if (!in_default_session(message)) return;
    std::string line = message.data().value("utterance", "") + '\n';
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fflush(stdout);
    ++answers;
  });
  for (auto type : kUtteranceDone) {
    bus->on(std::string(type), [&](const Message& message) {
      if (!in_default_session(message)) return;
      if (message.type() == "complete_intent_failure") not_understood = true;
      handled = true;
      wait.finish();
    });
  }
  bus->emit(
      Message("recognizer_loop:utterance",
              {{"utterances", Json::array({args.text})}, {"lang", language(config, args.lang)}},
              cli_context("skills")));
  wait.expire_after(to_duration(args.timeout));
  auto outcome = wait.run();
  bus->stop();
  if (answers > 0) return 0;
  if (outcome == Wait::Outcome::Interrupted) return 130;
  if (not_understood) throw Failure(fmt::format("the core did not understand \"{}\"", args.text));
  // "stop", "mute": done, and rightly silent.
  if (handled) return 0;
  throw Failure(fmt::format("no spoken answer to \"{}\" within {:g} s (is the core running?)",
                            args.text, args.timeout));
}

struct EnrollArgs {
  std::optional<unsigned> wake_words;
  std::optional<unsigned> sentences;
  double timeout = kDefaultTimeoutSeconds;
};

// Each step of the listener waits 10 s for what it asked for, three times at most.
constexpr auto kEnrollmentStepSilence = std::chrono::seconds(60);

// Drives the running listener's enrollment (hark.listener.enroll; docs/listener.md): prints
// each thing to say as the listener asks for it, and what it learnt.
int enroll(const EnrollArgs& args, const Globals& globals) {
  Json config = load_config(globals, BrokenLayers::Skip);
  Wait wait;
  std::mutex mutex;
  std::optional<Json> done;
  std::atomic<bool> prompted = false;
  auto bus = connect(config, args.timeout);
  bus->on("hark.listener.enroll.prompt", [&](const Message& message) {
    const Json& step = message.data();
    std::string line;
    if (step.contains("again")) {
      line += fmt::format("    not learnt: {}; once more\n", step["again"].get<std::string>());
    }
    line +=
        fmt::format("[{}/{}] {} \"{}\"\n", step.value("step", 0), step.value("steps", 0),
                    step.value("kind", "") == "wake_word" ? "Say the wake word:" : "Read aloud:",
                    step.value("text", ""));
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fflush(stdout);
    prompted = true;
    wait.expire_after(kEnrollmentStepSilence);
  });
  bus->on("hark.listener.enroll.done", [&](const Message& message) {
    std::lock_guard hold(mutex);
    done = message.data();
    wait.finish();
  });
  Json request = Json::object();
  if (args.wake_words) request["wake_words"] = *args.wake_words;
  if (args.sentences) request["sentences"] = *args.sentences;
  // Before the request: each prompt moves the deadline on, in the order they were posted.
  wait.expire_after(to_duration(args.timeout));
  bus->emit(Message("hark.listener.enroll", request, cli_context("listener")));
  auto outcome = wait.run();
  if (outcome == Wait::Outcome::Interrupted) bus->emit(Message("hark.listener.enroll.stop"));
  bus->stop();  // sends the stop first
  std::lock_guard hold(mutex);
  if (outcome == Wait::Outcome::Interrupted) return 130;
  if (!done && !prompted) {
    throw Failure(
        fmt::format("no answer to hark.listener.enroll within {:g} s (is hark listener running?)",
                    args.timeout));
  }
  if (!done) {
    throw Failure(fmt::format("the listener stopped asking: nothing from it for {} s",
                              kEnrollmentStepSilence.count()));
  }
  // Refused at once, there is nothing learnt to speak of: the reason is the message.
  if (prompted) {
    std::printf("Learnt %d wake words and %d sentences.\n", done->value("wake_words", 0),
                done->value("sentences", 0));
  }
  if (!done->value("complete", false)) {
    throw Failure(fmt::format("enrollment incomplete: {}", done->value("error", "")));
  }
  return 0;
}

struct ReadyArgs {
  std::string name;
  double timeout = kDefaultTimeoutSeconds;
};

// A container health check that needs nothing but the bus: "bus" is ready when it accepts a
// client; any other name when it answers mycroft.<name>.is_ready with {status: true}.
int ready(const ReadyArgs& args, const Globals& globals) {
  if (!globals.log_level_given) log::set_level("ERROR");
  Json config = load_config(globals, BrokenLayers::Skip);
  auto bus = connect(config, args.timeout);
  if (args.name == "bus") return 0;
  auto answer = bus->wait_for_response(Message("mycroft." + args.name + ".is_ready"),
                                       to_duration(args.timeout));
  bus->stop();
  if (!answer) {
    throw Failure(
        fmt::format("no answer to mycroft.{}.is_ready within {:g} s", args.name, args.timeout));
  }
  if (answer->data().value("status", false) != true) {
    throw Failure(fmt::format("{} answers that it is not ready", args.name));
  }
  return 0;
}

void add_text_command(CLI::App& app, Command& selected,
                      int (*work)(const SpeakArgs&, const Globals&), const std::string& name,
                      const std::string& description, const std::string& timeout_help) {
  auto args = std::make_shared<SpeakArgs>();
  auto* command = app.add_subcommand(name, description);
  command->add_option("TEXT", args->text)->required();
  command->add_option("--lang", args->lang, "language tag (default: the lang setting)");
  add_timeout_option(*command, args->timeout, timeout_help);
  when_chosen(*command, selected,
              [args, work](const Globals& globals) { return work(*args, globals); });
}

}  // namespace

void add_bus_commands(CLI::App& app, Command& selected) {
  when_chosen(
      *app.add_subcommand("bus", "Run the message bus (ws://127.0.0.1:8181/core by default)"),
      selected, [](const Globals& globals) { return bus::run(globals.sources); });
  when_chosen(*app.add_subcommand("core", "Run the intent service and the built-in skills"),
              selected,
              [](const Globals& globals) { return run_service_module("core", globals.sources); });

  auto send_args = std::make_shared<SendArgs>();
  auto* send_command = app.add_subcommand("send", "Emit one message on the bus");
  send_command->add_option("TYPE", send_args->type, "message type")->required();
  send_command->add_option("JSON_DATA", send_args->data, "message data, a JSON object")
      ->capture_default_str();
  send_command->add_option("--context", send_args->context, "message context, a JSON object")
      ->type_name("JSON")
      ->capture_default_str();
  add_timeout_option(*send_command, send_args->timeout, "seconds to wait for the bus");
  when_chosen(*send_command, selected,
              [send_args](const Globals& globals) { return send(*send_args, globals); });

  auto listen_args = std::make_shared<ListenArgs>();
  auto* listen_command = app.add_subcommand(
      "listen", "Print the messages on the bus, one JSON line each, as they pass");
  listen_command->add_option("TYPE", listen_args->types, "only these message types");
  listen_command->add_option("--count", listen_args->count, "exit after this many messages")
      ->check(CLI::PositiveNumber);
  listen_command->add_option("--timeout", listen_args->timeout, "exit after this many seconds")
      ->type_name("SECONDS")
      ->check(CLI::PositiveNumber);
  when_chosen(*listen_command, selected,
              [listen_args](const Globals& globals) { return listen(*listen_args, globals); });

  auto ready_args = std::make_shared<ReadyArgs>();
  auto* ready_command = app.add_subcommand(
      "ready", "Exit 0 when NAME (bus, skills, audio, voice, PHAL) says it is ready");
  ready_command->add_option("NAME", ready_args->name, "bus, or the name in mycroft.NAME.is_ready")
      ->required();
  add_timeout_option(*ready_command, ready_args->timeout, "seconds to wait for the bus, then NAME");
  when_chosen(*ready_command, selected,
              [ready_args](const Globals& globals) { return ready(*ready_args, globals); });

  auto enroll_args = std::make_shared<EnrollArgs>();
  auto* enroll_command = app.add_subcommand(
      "enroll",
      "Teach the running listener your voice: say the wake word and read sentences as asked");
  enroll_command->add_option("--wake-words", enroll_args->wake_words,
                             "times to say the wake word (default 3)");
  enroll_command->add_option("--sentences", enroll_args->sentences,
                             "sentences to read, 0 to 19 (default 19)");
  add_timeout_option(*enroll_command, enroll_args->timeout,
                     "seconds to wait for the bus, then for the listener's first answer");
  when_chosen(*enroll_command, selected,
              [enroll_args](const Globals& globals) { return enroll(*enroll_args, globals); });

  add_text_command(app, selected, speak, "speak", "Have the device say TEXT",
                   "seconds to wait for the bus");
  add_text_command(app, selected, utter, "utter",
                   "Send TEXT as if the user had said it, and print the spoken answers",
                   "seconds to wait for the bus, then for the answer");
}

}  // namespace hark::cli
