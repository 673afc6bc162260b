// The whole voice loop as real processes, for the listener's end-to-end test and the
// voice_latency bench: a PulseAudio server of its own with null sinks "mic" and "spk", `hark bus`
// (its user mycroft.conf editable), `hark core`, and on request `hark listener` recording
// mic.monitor and `hark audio` speaking into spk, whose monitor is recorded. Speech is played
// into mic as a microphone would hear it. Failures throw std::runtime_error saying what did not
// start; every wait has a deadline.
//
//   if (!VoiceStack::available(&why)) skip(why);
//   VoiceStack stack({{"listener", {{"silence_end", 0.5}}}});
//   stack.start_audio();
//   stack.start_listener();
//   stack.say(testing::command("hey mycroft, what time is it"));
//   stack.seen().wait_for_count("recognizer_loop:audio_output_end", 1, 30s);
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "audio/test_pulse.h"
#include "client/testing.h"

namespace hark::listener::testing {

// The messages of the given types, in order, each with the moment this process received it.
class Seen {
 public:
  struct Received {
    Message message;
    std::chrono::steady_clock::time_point at;
  };

  Seen(client::BusClient& bus, std::initializer_list<const char*> types);

  // The types seen, only those of `only` when given.
  std::vector<std::string> types(std::span<const char* const> only = {});
  std::vector<std::string> utterances();
  // The first message of `type`, or the one after `nth` others.
  std::optional<Received> find(std::string_view type, std::size_t nth = 0);
  std::size_t count(std::string_view type);
  bool wait_for_count(std::string_view type, std::size_t n, std::chrono::milliseconds timeout);
  // Forgets what was seen: the next command starts afresh.
  void clear();

 private:
  std::mutex mutex_;
  std::vector<Received> received_;
};

// Every message type of the voice loop, for Seen.
inline constexpr std::initializer_list<const char*> kVoiceLoopMessages = {
    "recognizer_loop:wakeword",
    "recognizer_loop:record_begin",
    "recognizer_loop:record_end",
    "recognizer_loop:utterance",
    "recognizer_loop:speech.recognition.unknown",
    "speak",
    "recognizer_loop:audio_output_start",
    "recognizer_loop:audio_output_end",
    "mycroft.stop",
    "mycroft.stop.handled",
    "hark.listener.enroll.prompt",
    "hark.listener.enroll.done"};

// "hey mycroft, ..." as a voice says it: 0.3 s of silence first, 1.5 s after.
std::vector<std::int16_t> command(const std::string& text, const char* voice = "en-us+m3");

class VoiceStack {
 public:
  // False (with the reason) when this machine has no PulseAudio to start.
  static bool available(std::string* reason);

  // PulseAudio, the bus and `hark core` (ready when this returns); `config` is the user
  // mycroft.conf (the port, listener.device and listener.records_dir are added).
  explicit VoiceStack(Json config = Json::object());
  ~VoiceStack();
  VoiceStack(const VoiceStack&) = delete;
  VoiceStack& operator=(const VoiceStack&) = delete;

  // `hark audio` on spk, and the recorder of spk.monitor.
  void start_audio();
  // `hark listener` on mic.monitor, returning once it listens with the core's intents.
  void start_listener();
  // SIGTERM to the listener; what it printed and its exit code.
  hark::testing::Finished stop_listener();

  // Plays 16 kHz audio into the microphone; returns once it has been played.
  void say(const std::vector<std::int16_t>& samples);
  // Rewrites the user mycroft.conf with these listener keys changed.
  void edit_listener_config(const Json& changes);
  // Asks `mycroft.<name>.is_ready` until the answer is true.
  bool ready(const std::string& name);

  Seen& seen() { return *seen_; }
  client::BusClient& client() { return *client_; }
  audio::testing::Recorder& speaker() { return *speaker_; }
  hark::testing::Process& listener() { return *listener_; }
  const hark::testing::PulseServer& pulse() const { return *pulse_; }
  const hark::testing::TempHome& home() const { return bus_->home(); }
  // The environment of the stack's `hark` processes: the bus's home and PULSE_SERVER.
  const std::vector<std::string>& environment() const { return env_; }
  // Where the listener saves recordings (listener.records_dir).
  std::filesystem::path records() const { return home().path() / "records"; }
  // The user mycroft.conf now.
  Json& config() { return config_; }
  void write_config() const;

 private:
  std::unique_ptr<hark::testing::Process> start(const std::string& service);

  std::unique_ptr<hark::testing::PulseServer> pulse_;
  Json config_;
  std::unique_ptr<hark::testing::TestBus> bus_;
  std::vector<std::string> env_;
  std::unique_ptr<client::BusClient> client_;
  std::unique_ptr<Seen> seen_;
  std::unique_ptr<hark::testing::Process> core_;
  std::unique_ptr<audio::testing::Recorder> speaker_;
  std::unique_ptr<hark::testing::Process> audio_;
  std::unique_ptr<hark::testing::Process> listener_;
};

}  // namespace hark::listener::testing
