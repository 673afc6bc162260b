// `hark audio` against a real bus and a real PulseAudio server with null sinks: what it plays is
// recorded from the speaker sink's monitor and measured.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <mutex>

#include "audio/test_pulse.h"
#include "audio/wav.h"
#include "client/testing.h"

namespace hark::audio {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using hark::testing::eventually;

using testing::Recorder;
using testing::sound_span;
constexpr int kRate = testing::kRecordRate;

// Every message of the given types seen on the bus, in order.
class Seen {
 public:
  Seen(client::BusClient& bus, std::initializer_list<std::string> types) {
    for (const auto& type : types) {
      bus.on(type, [this](const Message& m) {
        std::lock_guard hold(mutex_);
        messages_.push_back(m);
      });
    }
  }
  std::vector<std::string> types() {
    std::lock_guard hold(mutex_);
    std::vector<std::string> out;
    for (const auto& m : messages_) out.push_back(m.type());
    return out;
  }
  std::optional<Message> find(std::string_view type) {
    std::lock_guard hold(mutex_);
    for (const auto& m : messages_) {
      if (m.type() == type) return m;
    }
    return std::nullopt;
  }
  bool wait_for(std::string_view type, std::chrono::milliseconds timeout = 10s) {
    return eventually([&] { return find(type).has_value(); }, timeout);
  }

 private:
  std::mutex mutex_;
  std::vector<Message> messages_;
};

Message speak(std::string text, bool expect_response = false) {
  return Message("speak", {{"utterance", std::move(text)}, {"expect_response", expect_response}},
                 {{"source", "test"}, {"destination", Json::array({"audio"})}});
}

class AudioService : public ::testing::Test {
 protected:
  // `hark audio` with the given audio section, on a fresh bus; PULSE_SERVER as given.
  void start(Json audio, const std::string& pulse_server) {
    write_config(std::move(audio));
    auto env = bus_->home().environment();
    env.push_back("PULSE_SERVER=" + pulse_server);
    service_ = std::make_unique<hark::testing::Process>(
        std::vector<std::string>{hark::testing::hark_binary(), "audio"}, env, true);
    client_ = std::make_unique<client::BusClient>(bus_->endpoint());
    seen_ = std::make_unique<Seen>(
        *client_, std::initializer_list<std::string>{"recognizer_loop:audio_output_start",
                                                     "recognizer_loop:audio_output_end",
                                                     "mycroft.mic.listen", "mycroft.stop.handled"});
    client_->start();
    ASSERT_TRUE(client_->wait_connected(5s));
    ASSERT_TRUE(eventually(
        [&] {
          auto answer = client_->wait_for_response(Message("mycroft.audio.is_ready"), 200ms);
          return answer && answer->data().value("status", false);
        },
        15s))
        << "hark audio never said it was ready";
  }
  void write_config(Json audio, Json tts = Json::object()) {
    audio["cache_dir"] = (bus_->home().path() / "cache").string();
    Json config = {{"websocket", {{"port", bus_->port()}}}, {"audio", audio}, {"tts", tts}};
    bus_->home().write_user_config(config.dump(2));
  }
  int count(std::string_view type) {
    auto types = seen_->types();
    return static_cast<int>(std::count(types.begin(), types.end(), type));
  }
  bool speaking() {
    auto answer = client_->wait_for_response(Message("mycroft.audio.speak.status"),
                                             "mycroft.audio.is_speaking", 2s);
    if (!answer) throw std::runtime_error("no mycroft.audio.is_speaking");
    return answer->data().value("speaking", false);
  }
  // Stops the service and returns its log.
  std::string stop_service() {
    client_->stop();
    service_->signal(SIGTERM);
    auto finished = service_->finish(10s);
    EXPECT_EQ(finished.exit_code, 0) << finished.err;
    return finished.err;
  }

  std::unique_ptr<hark::testing::TestBus> bus_ =
      std::make_unique<hark::testing::TestBus>(hark::testing::BusKind::Hark);
  std::unique_ptr<hark::testing::Process> service_;
  std::unique_ptr<client::BusClient> client_;
  std::unique_ptr<Seen> seen_;
};

class AudioServiceOnPulse : public AudioService {
 protected:
  void SetUp() override {
    std::string reason;
    if (!hark::testing::PulseServer::available(&reason)) GTEST_SKIP() << reason;
    pulse_ = std::make_unique<hark::testing::PulseServer>();
    recorder_ = std::make_unique<Recorder>(pulse_->server(), "spk.monitor");
    start({{"output", "pulse"}}, pulse_->server());
  }
  void TearDown() override {
    if (service_) stop_service();
  }

  std::unique_ptr<hark::testing::PulseServer> pulse_;
  std::unique_ptr<Recorder> recorder_;
};

TEST_F(AudioServiceOnPulse, SpeaksAnAnswerAndAsksTheMicToListen) {
  std::size_t before = recorder_->count();
  client_->emit(speak("The quick brown fox jumps over the lazy dog.", true));
  ASSERT_TRUE(seen_->wait_for("recognizer_loop:audio_output_start"));
  EXPECT_TRUE(speaking());
  ASSERT_TRUE(seen_->wait_for("recognizer_loop:audio_output_end"));
  ASSERT_TRUE(seen_->wait_for("mycroft.mic.listen"));
  EXPECT_THAT(seen_->types(),
              ::testing::ElementsAre("recognizer_loop:audio_output_start",
                                     "recognizer_loop:audio_output_end", "mycroft.mic.listen"));
  EXPECT_FALSE(speaking());
  ASSERT_TRUE(recorder_->record_for(0.3));
  auto all = recorder_->samples();
  std::vector<std::int16_t> heard(all.begin() + static_cast<long>(before), all.end());
  auto [first, last] = sound_span(heard);
  double seconds = static_cast<double>(last - first) / kRate;
  std::printf("heard %.2f s of speech, peak %d\n", seconds, testing::peak(heard));
  EXPECT_GT(seconds, 1.2);
  EXPECT_LT(seconds, 6.0);
  EXPECT_GT(testing::peak(heard), 3000);
  EXPECT_GT(testing::rms(std::span(heard).subspan(first, last - first)), 300);
  // The forwarded messages keep the speak message's context, reversed for the answer.
  auto start = seen_->find("recognizer_loop:audio_output_start");
  EXPECT_EQ(start->context().value("source", ""), "test");
}

TEST_F(AudioServiceOnPulse, SpeechStopCutsTheSoundOffAtOnce) {
  client_->emit(
      speak("This answer is long on purpose. It goes on for a good many seconds, so that there "
            "is time to interrupt it. Nobody should hear this last sentence at all."));
  ASSERT_TRUE(seen_->wait_for("recognizer_loop:audio_output_start"));
  ASSERT_TRUE(eventually([&] { return recorder_->heard_sound(); }, 5s));
  ASSERT_TRUE(recorder_->record_for(0.5));
  std::size_t at_stop = recorder_->count();
  client_->emit(Message("mycroft.audio.speech.stop"));
  ASSERT_TRUE(seen_->wait_for("mycroft.stop.handled"));
  EXPECT_EQ(seen_->find("mycroft.stop.handled")->data().value("by", ""), "TTS");
  ASSERT_TRUE(seen_->wait_for("recognizer_loop:audio_output_end"));
  ASSERT_TRUE(recorder_->record_for(1.0));
  auto all = recorder_->samples();
  auto [first, last] = sound_span(all);
  // Includes the stop message's trip through the bus and the recording's own lag (its 10 ms
  // fragments), so what a listener hears is less. Idle, it measures under 20 ms; the bound
  // leaves room for a CI machine busy compiling, under sanitizers.
  double after_stop_ms = (static_cast<double>(last) - static_cast<double>(at_stop)) * 1000 / kRate;
  std::printf("sound went on for at most %.0f ms after the stop\n", after_stop_ms);
  EXPECT_LT(after_stop_ms, 100);
  EXPECT_FALSE(speaking());
  EXPECT_FALSE(seen_->find("mycroft.mic.listen"));
}

TEST_F(AudioServiceOnPulse, GlobalStopEndsQueuedAnswersInOneBusyPeriod) {
  client_->emit(speak("First answer, which is fairly long so the others must wait for it."));
  client_->emit(speak("Second answer."));
  ASSERT_TRUE(seen_->wait_for("recognizer_loop:audio_output_start"));
  ASSERT_TRUE(eventually([&] { return recorder_->heard_sound(); }, 5s));
  client_->emit(Message("mycroft.stop"));
  ASSERT_TRUE(seen_->wait_for("mycroft.stop.handled"));
  ASSERT_TRUE(seen_->wait_for("recognizer_loop:audio_output_end"));
  ASSERT_TRUE(recorder_->record_for(0.5));
  // The second answer is dropped: no second start. The stop's answer and the end are sent from
  // two threads, in either order.
  auto types = seen_->types();
  EXPECT_THAT(types, ::testing::UnorderedElementsAre("recognizer_loop:audio_output_start",
                                                     "mycroft.stop.handled",
                                                     "recognizer_loop:audio_output_end"));
  EXPECT_EQ(types.front(), "recognizer_loop:audio_output_start");
  EXPECT_FALSE(speaking());
}

class AudioServiceWithoutPulse : public AudioService {};

TEST_F(AudioServiceWithoutPulse, WavOutputWritesEachDefaultSessionAnswerToAFile) {
  fs::path out = bus_->home().path() / "speech";
  start({{"output", "wav:" + out.string()}}, "unix:/nonexistent/pulse/native");
  Message remote = speak("Not for this device.");
  remote.context()["session"] = {{"session_id", "remote-satellite"}};
  client_->emit(remote);
  client_->emit(speak("Hello from a file."));
  ASSERT_TRUE(seen_->wait_for("recognizer_loop:audio_output_end"));
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(out)) files.push_back(entry.path());
  ASSERT_EQ(files.size(), 1u) << "only the default session's answer is voiced";
  Pcm pcm = read_wav(files[0]);
  EXPECT_EQ(pcm.sample_rate, 22050);
  EXPECT_GT(pcm.seconds(), 0.7);
  EXPECT_LT(pcm.seconds(), 4.0);
  EXPECT_GT(testing::peak(pcm.samples), 3000);
  // The second time the sentence comes from the cache, and sounds the same.
  EXPECT_EQ(std::distance(fs::directory_iterator(bus_->home().path() / "cache" / "espeak-ng"),
                          fs::directory_iterator()),
            1);
  client_->emit(speak("Hello from a file."));
  ASSERT_TRUE(eventually([&] { return count("recognizer_loop:audio_output_end") == 2; }));
  for (const auto& entry : fs::directory_iterator(out)) {
    if (entry.path() != files[0]) {
      EXPECT_EQ(read_wav(entry.path()).samples, pcm.samples);
    }
  }
  stop_service();
}

TEST_F(AudioServiceWithoutPulse, TtsChangeAppliesFromTheNextAnswer) {
  fs::path out = bus_->home().path() / "speech";
  Json audio = {{"output", "wav:" + out.string()}};
  start(audio, "unix:/nonexistent");
  write_config(audio, {{"module", "flite"}, {"flite", {{"voice", "kal"}}}});
  // The file watcher settles for 100 ms before reloading: ask until an answer comes at 8 kHz.
  int answers = 0;
  auto heard_kal = [&] {
    client_->emit(speak("Which voice is this?"));
    ++answers;
    if (!eventually([&] { return count("recognizer_loop:audio_output_end") == answers; })) {
      return false;
    }
    for (const auto& entry : fs::directory_iterator(out)) {
      if (read_wav(entry.path()).sample_rate == 8000) return true;
    }
    return false;
  };
  EXPECT_TRUE(eventually(heard_kal, 10s));
  stop_service();
}

TEST_F(AudioServiceWithoutPulse, UnreachablePulseAudioIsReportedOnceAndTheBusStillAnswered) {
  start({{"output", "pulse"}}, "unix:/nonexistent/pulse/native");
  client_->emit(speak("One.", true));
  ASSERT_TRUE(seen_->wait_for("mycroft.mic.listen"));
  client_->emit(speak("Two."));
  ASSERT_TRUE(eventually([&] { return count("recognizer_loop:audio_output_end") == 2; }));
  EXPECT_FALSE(speaking());
  std::string log = stop_service();
  std::size_t reports = 0;
  for (auto at = log.find("cannot play speech"); at != std::string::npos;
       at = log.find("cannot play speech", at + 1)) {
    ++reports;
  }
  EXPECT_EQ(reports, 1u) << log;
  EXPECT_THAT(log, ::testing::HasSubstr("PULSE_SERVER=unix:/nonexistent/pulse/native"));
}

TEST_F(AudioServiceWithoutPulse, MalformedSpeakIsLoggedAndIgnored) {
  fs::path out = bus_->home().path() / "speech";
  start({{"output", "wav:" + out.string()}}, "unix:/nonexistent");
  client_->emit(Message("speak", {{"utterance", 42}}));
  client_->emit(Message("speak", {{"utterance", "ok"}, {"expect_response", "yes"}}));
  client_->emit(speak("Still here."));
  ASSERT_TRUE(seen_->wait_for("recognizer_loop:audio_output_end"));
  std::string log = stop_service();
  EXPECT_THAT(log, ::testing::HasSubstr("data.utterance must be a string"));
  EXPECT_THAT(log, ::testing::HasSubstr("data.expect_response must be true or false"));
}

TEST_F(AudioServiceWithoutPulse, UnknownVoiceStopsItWithAnErrorNamingTheKey) {
  Json config = {{"websocket", {{"port", bus_->port()}}},
                 {"tts", {{"ovos-tts-plugin-espeakng", {{"voice", "no-such-voice"}}}}}};
  bus_->home().write_user_config(config.dump(2));
  auto finished =
      hark::testing::run({hark::testing::hark_binary(), "audio"}, bus_->home().environment(), 10s);
  EXPECT_EQ(finished.exit_code, 1);
  EXPECT_THAT(finished.err, ::testing::HasSubstr("tts.ovos-tts-plugin-espeakng.voice: espeak-ng "
                                                 "has no voice 'no-such-voice'"));
}

// As every service does with a configuration file that does not validate: it says where and
// what, and runs without that file.
TEST_F(AudioServiceWithoutPulse, UnknownModuleIsReportedNamingTheKey) {
  Json config = {{"websocket", {{"port", bus_->port()}}},
                 {"tts", {{"module", "ovos-tts-plugin-server"}}}};
  bus_->home().write_user_config(config.dump(2));
  hark::testing::Process service({hark::testing::hark_binary(), "audio"},
                                 bus_->home().environment(), true);
  EXPECT_TRUE(service.wait_for_stderr(
      "tts.module: unknown TTS module 'ovos-tts-plugin-server' (known: ovos-tts-plugin-espeakng",
      10s));
  service.signal(SIGTERM);
  EXPECT_EQ(service.finish(10s).exit_code, 0);
}

}  // namespace
}  // namespace hark::audio
