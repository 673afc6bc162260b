// voice_latency: how long after the end of a spoken command its answer starts on the speaker,
// through real processes (issue 4's "latency from end of speech to the first TTS sample leaving
// for the speaker", target 400 ms).
//
//   build/bench/voice_latency                                  # baseline settings, then current
//   build/bench/voice_latency --no-baseline --set listener.silence_end=0.4
//   build/bench/voice_latency --baseline listener.silence_end=0.8 --commands 20
//
// The stack is the end-to-end test's (listener/test_voice_stack.h): a PulseAudio server of its
// own with null sinks mic and spk, `hark bus`, `hark core`, `hark audio` speaking into spk,
// `hark listener` recording mic.monitor. Each command, "hey mycroft, <command>" in one of four
// espeak-ng voices, is played into mic. The bench records mic.monitor and spk.monitor itself and
// stamps each 10 ms read on arrival with the steady clock, the clock it also stamps each bus
// message with when its own client receives it. End of speech is the arrival of the command's
// last sample louder than silence on mic.monitor (what the listener hears, at the moment it can
// hear it); the answer starts with the first sample louder than silence on spk.monitor. Both are
// measured the same way, so the monitors' recording lag cancels out.
//
// The baseline is the same run with other settings (by default the end-pointing before the
// latency work: 0.8 s of silence, whatever was said), each in a fresh stack, so that both face
// the same machine load.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>

#include "audio/test_pulse.h"
#include "client/testing.h"
#include "listener/test_speech.h"
#include "listener/test_voice_stack.h"

namespace {

using Clock = std::chrono::steady_clock;
using hark::Json;
using hark::audio::testing::Recorder;
using hark::audio::testing::sound_span;
using hark::listener::testing::VoiceStack;
using namespace std::chrono_literals;

constexpr double kTargetMs = 400;
// A command is said, transcribed, answered and spoken within this on a busy machine.
constexpr auto kAnsweredWithin = 30s;
// After the command was played: the listener starts recording at the wake word, before the
// command is said, and the wake word check takes up to a second on a loaded machine.
constexpr auto kWokenWithin = 1s;

// Voices the wake word spotter finds at the default threshold (voice_bench's per-voice figures).
constexpr const char* kVoices[] = {"en-us+m3", "en-us", "en+f2", "en-gb-x-rp"};
// Commands of the built-in skills, each answered by speech.
constexpr const char* kCommands[] = {
    "what time is it", "what is the date", "set a timer for five minutes", "who are you",
    "what can you do", "how are you",      "what day is it today",         "hello"};

// The stages of one command, in milliseconds from the end of speech.
struct Trial {
  std::string voice;
  std::string said;
  std::string heard;
  bool said_again = false;  // the first wake word was refused (docs/listener.md, learnt)
  double record_end = 0;    // the listener's end-pointer decided
  double utterance = 0;     // speech to text done
  double speak = 0;         // the core answered
  double output_start = 0;  // hark audio has the first sentence's audio
  double sound = 0;         // the first sample at the speaker
};

double ms(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

// "listener.silence_end=0.4" as a JSON layer; the value is JSON when it parses, else a string.
void set_key(Json& config, const std::string& assignment) {
  auto eq = assignment.find('=');
  if (eq == std::string::npos) throw CLI::ValidationError("expected key=value: " + assignment);
  Json* at = &config;
  std::string path = assignment.substr(0, eq);
  for (std::size_t dot; (dot = path.find('.')) != std::string::npos; path.erase(0, dot + 1)) {
    at = &(*at)[path.substr(0, dot)];
  }
  auto value = assignment.substr(eq + 1);
  (*at)[path] = Json::accept(value) ? Json::parse(value) : Json(value);
}

// One command through the stack; nullopt (with a line saying where it stopped) when it was not
// answered on the speaker.
std::optional<Trial> measure(VoiceStack& stack, Recorder& mic, const char* voice,
                             const std::string& said) {
  auto& seen = stack.seen();
  seen.clear();
  auto mic_from = mic.count();
  auto speaker_from = stack.speaker().count();
  auto command = hark::listener::testing::command("hey mycroft, " + said, voice);
  stack.say(command);
  // Not woken (the listener's learnt wake words refuse a voice they do not know): a person says
  // it again, once, as the listener asks.
  bool said_again = !seen.wait_for_count("recognizer_loop:record_begin", 1, kWokenWithin);
  if (said_again) {
    seen.clear();
    mic_from = mic.count();
    speaker_from = stack.speaker().count();
    stack.say(command);
  }
  // A command heard as nothing is over at once: the next thing spoken (a timer an earlier
  // command set, going off) is no answer to it.
  hark::testing::eventually(
      [&] {
        return seen.count("recognizer_loop:audio_output_end") > 0 ||
               seen.count("recognizer_loop:speech.recognition.unknown") > 0;
      },
      kAnsweredWithin);
  if (seen.count("recognizer_loop:speech.recognition.unknown") > 0 ||
      seen.count("recognizer_loop:audio_output_end") == 0 || !stack.speaker().record_for(0.2)) {
    auto got = seen.types();
    fmt::print("  {}: '{}' not answered (seen: {})\n", voice, said, fmt::join(got, ", "));
    return std::nullopt;
  }
  auto spoken = mic.samples();
  auto [first_said, last_said] =
      sound_span({spoken.begin() + static_cast<std::ptrdiff_t>(mic_from), spoken.end()});
  auto answered = stack.speaker().samples();
  auto [first_heard, last_heard] =
      sound_span({answered.begin() + static_cast<std::ptrdiff_t>(speaker_from), answered.end()});
  if (last_said == 0 || last_heard == 0) {
    fmt::print("  {}: '{}': no sound recorded on the {}\n", voice, said,
               last_said == 0 ? "microphone" : "speaker");
    return std::nullopt;
  }
  auto end_of_speech = mic.time_of(mic_from + last_said - 1);
  auto at = [&](const char* type) { return ms(seen.find(type)->at - end_of_speech); };
  Trial t{voice, said, seen.utterances().empty() ? "" : seen.utterances().front(), said_again};
  t.record_end = at("recognizer_loop:record_end");
  t.utterance = at("recognizer_loop:utterance");
  t.speak = at("speak");
  t.output_start = at("recognizer_loop:audio_output_start");
  t.sound = ms(stack.speaker().time_of(speaker_from + first_heard) - end_of_speech);
  return t;
}

struct Spread {
  double p50, p90, max;
};

Spread spread(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  auto at = [&](double p) {
    return values[std::min(values.size() - 1,
                           static_cast<std::size_t>(p * static_cast<double>(values.size())))];
  };
  return {at(0.5), at(0.9), values.back()};
}

struct Run {
  std::string name;
  std::vector<Trial> trials;
  std::size_t tried = 0;
};

Run run_commands(const std::string& name, const Json& config, std::size_t commands,
                 bool show_listener_log) {
  fmt::print("{}: {}\n", name, config.dump());
  VoiceStack stack(config);
  stack.start_audio();
  stack.start_listener();
  Recorder mic(stack.pulse().server(), "mic.monitor");
  Run run{name, {}, commands};
  for (std::size_t i = 0; i < commands; ++i) {
    const char* voice = kVoices[i % std::size(kVoices)];
    std::string said = kCommands[i % std::size(kCommands)];
    auto trial = measure(stack, mic, voice, said);
    if (!trial) continue;
    fmt::print(
        "  {:<11} {:<30} heard {:<32} end-point {:4.0f}  stt {:4.0f}  core {:4.0f}  tts {:4.0f}  "
        "playback {:4.0f}  total {:4.0f} ms{}\n",
        trial->voice, trial->said, "'" + trial->heard + "'", trial->record_end,
        trial->utterance - trial->record_end, trial->speak - trial->utterance,
        trial->output_start - trial->speak, trial->sound - trial->output_start, trial->sound,
        trial->said_again ? " (said twice)" : "");
    run.trials.push_back(*trial);
  }
  auto listener_log = stack.stop_listener().err;
  if (show_listener_log) fmt::print("{}", listener_log);
  return run;
}

void report(const Run& run) {
  if (run.trials.empty()) {
    fmt::print("{}: no command was answered\n", run.name);
    return;
  }
  std::vector<double> record_end, stt, core, tts, playback, total;
  std::size_t exact = 0, twice = 0;
  for (const auto& t : run.trials) {
    twice += t.said_again;
    record_end.push_back(t.record_end);
    stt.push_back(t.utterance - t.record_end);
    core.push_back(t.speak - t.utterance);
    tts.push_back(t.output_start - t.speak);
    playback.push_back(t.sound - t.output_start);
    total.push_back(t.sound);
    exact += t.heard == t.said;
  }
  fmt::print("\n{}: {} of {} commands answered ({} said twice), {} heard exactly\n", run.name,
             run.trials.size(), run.tried, twice, exact);
  fmt::print("  {:<48} {:>8} {:>8} {:>8}\n", "ms", "p50", "p90", "max");
  auto row = [](const char* what, const std::vector<double>& values) {
    auto s = spread(values);
    fmt::print("  {:<48} {:8.0f} {:8.0f} {:8.0f}\n", what, s.p50, s.p90, s.max);
  };
  row("end of speech -> record_end (end-pointing)", record_end);
  row("record_end -> utterance (speech to text)", stt);
  row("utterance -> speak (core)", core);
  row("speak -> audio_output_start (TTS)", tts);
  row("audio_output_start -> first sound (playback)", playback);
  row("end of speech -> first sound at the speaker", total);
  auto s = spread(total);
  fmt::print("  against the {:.0f} ms target: p50 {:.2f}x, p90 {:.2f}x, max {:.2f}x\n", kTargetMs,
             s.p50 / kTargetMs, s.p90 / kTargetMs, s.max / kTargetMs);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"voice_latency: end of a spoken command to the first sound of its answer"};
  std::size_t commands = 16;
  std::vector<std::string> baseline = {"listener.silence_end=0.8",
                                       "listener.complete_silence_end=0.8"};
  std::vector<std::string> settings;
  bool no_baseline = false;
  bool show_listener_log = false;
  app.add_option("--commands", commands, "commands per run (voices and commands in turn)")
      ->check(CLI::Range(1, 1000));
  app.add_option("--baseline", baseline, "key=value of the baseline run (mycroft.conf keys)");
  app.add_option("--set", settings, "key=value of the measured run");
  app.add_flag("--no-baseline", no_baseline, "measure the current settings only");
  app.add_flag("--listener-log", show_listener_log, "print hark listener's log after each run");
  CLI11_PARSE(app, argc, argv);

  // A line per command as it is measured, also into a file.
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  // The services are this build's, as ctest gives them to the tests.
  setenv("HARK_BINARY", HARK_BINARY, 0);
  std::string why;
  if (!VoiceStack::available(&why)) {
    fmt::print(stderr, "voice_latency: {}\n", why);
    return 1;
  }
  try {
    std::vector<Run> runs;
    if (!no_baseline) {
      Json config = Json::object();
      for (const auto& b : baseline) set_key(config, b);
      runs.push_back(run_commands("baseline", config, commands, show_listener_log));
    }
    Json config = Json::object();
    for (const auto& s : settings) set_key(config, s);
    runs.push_back(run_commands("current", config, commands, show_listener_log));
    for (const auto& run : runs) report(run);
  } catch (const std::exception& e) {
    fmt::print(stderr, "voice_latency: {}\n", e.what());
    return 1;
  }
  return 0;
}
