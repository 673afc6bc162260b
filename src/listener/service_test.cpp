// `hark listener` against a real bus, a real `hark core` (whose intents make the speech grammar)
// and a real PulseAudio server: espeak-ng speech is played into the null sink "mic", and the
// listener records its monitor, as it would a microphone.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <pulse/error.h>
#include <pulse/simple.h>

#include <csignal>
#include <mutex>

#include "audio/wav.h"
#include "client/testing.h"
#include "listener/test_speech.h"

namespace hark::listener {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using hark::testing::eventually;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Plays 16 kHz audio on a sink and returns once it has been heard.
void play(const std::string& server, const std::string& sink,
          const std::vector<std::int16_t>& pcm) {
  pa_sample_spec spec{PA_SAMPLE_S16LE, kSampleRate, 1};
  pa_buffer_attr attr{};
  attr.maxlength = static_cast<std::uint32_t>(-1);
  // 50 ms, not the null sink's 2 s (machine-notes 2).
  attr.tlength = static_cast<std::uint32_t>(pa_usec_to_bytes(50'000, &spec));
  attr.prebuf = static_cast<std::uint32_t>(-1);
  attr.minreq = static_cast<std::uint32_t>(-1);
  int error = 0;
  pa_simple* stream = pa_simple_new(server.c_str(), "hark-test", PA_STREAM_PLAYBACK, sink.c_str(),
                                    "speech", &spec, nullptr, &attr, &error);
  if (!stream) throw std::runtime_error(std::string("play: ") + pa_strerror(error));
  pa_simple_write(stream, pcm.data(), pcm.size() * sizeof(std::int16_t), &error);
  pa_simple_drain(stream, &error);
  pa_simple_free(stream);
}

// The listener's messages, in order.
class Seen {
 public:
  explicit Seen(client::BusClient& bus) {
    for (const char* type :
         {"recognizer_loop:wakeword", "recognizer_loop:record_begin", "recognizer_loop:record_end",
          "recognizer_loop:utterance", "recognizer_loop:speech.recognition.unknown"}) {
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
  std::vector<std::string> utterances() {
    std::lock_guard hold(mutex_);
    std::vector<std::string> out;
    for (const auto& m : messages_) {
      if (m.type() == "recognizer_loop:utterance") out.push_back(m.data()["utterances"][0]);
    }
    return out;
  }
  std::optional<Message> find(std::string_view type) {
    std::lock_guard hold(mutex_);
    for (const auto& m : messages_) {
      if (m.type() == type) return m;
    }
    return std::nullopt;
  }
  bool wait_for_count(std::string_view type, std::size_t n,
                      std::chrono::milliseconds timeout = 20s) {
    return eventually(
        [&] {
          auto all = types();
          return static_cast<std::size_t>(std::count(all.begin(), all.end(), type)) >= n;
        },
        timeout);
  }

 private:
  std::mutex mutex_;
  std::vector<Message> messages_;
};

// en-us+m3: a voice whose "mycroft" the spotter finds at the default threshold (voice_bench).
std::vector<std::int16_t> command(const std::string& text) {
  return testing::join(
      {testing::silence(0.3), testing::speech(text, "en-us+m3"), testing::silence(1.5)});
}

class Listener : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string reason;
    if (!hark::testing::PulseServer::available(&reason)) GTEST_SKIP() << reason;
    pulse_ = std::make_unique<hark::testing::PulseServer>();
    bus_ = std::make_unique<hark::testing::TestBus>(
        hark::testing::BusKind::Hark,
        Json{{"listener", {{"device", "mic.monitor"}, {"save_utterances", true}}}});
    env_ = bus_->home().environment();
    env_.push_back("PULSE_SERVER=" + pulse_->server());
    client_ = std::make_unique<client::BusClient>(bus_->endpoint());
    seen_ = std::make_unique<Seen>(*client_);
    client_->start();
    ASSERT_TRUE(client_->wait_connected(5s));
    core_ = std::make_unique<hark::testing::Process>(
        std::vector<std::string>{hark::testing::hark_binary(), "core"}, env_, true);
    ASSERT_TRUE(ready("skills")) << "hark core never said it was ready";
  }
  void TearDown() override {
    if (listener_) {
      listener_->signal(SIGTERM);
      auto finished = listener_->finish(10s);
      EXPECT_EQ(finished.exit_code, 0) << finished.err;
    }
  }

  bool ready(const std::string& name) {
    return eventually(
        [&] {
          auto answer = client_->wait_for_response(Message("mycroft." + name + ".is_ready"), 200ms);
          return answer && answer->data().value("status", false);
        },
        20s);
  }

  void start_listener() {
    listener_ = std::make_unique<hark::testing::Process>(
        std::vector<std::string>{hark::testing::hark_binary(), "--set",
                                 "listener.records_dir=" + records().string(), "listener"},
        env_, true);
    ASSERT_TRUE(ready("voice")) << "hark listener never said it was ready";
    ASSERT_TRUE(listener_->wait_for_stderr("speech grammar:", 20s));
    ASSERT_TRUE(listener_->wait_for_stderr("listening for 'hey mycroft' on mic.monitor", 20s));
  }

  fs::path records() const { return bus_->home().path() / "records"; }

  bool muted() {
    auto answer = client_->wait_for_response(Message("mycroft.mic.get_status"), 3s);
    if (!answer) throw std::runtime_error("no mycroft.mic.get_status.response");
    return answer->data().value("muted", false);
  }

  std::unique_ptr<hark::testing::PulseServer> pulse_;
  std::unique_ptr<hark::testing::TestBus> bus_;
  std::vector<std::string> env_;
  std::unique_ptr<client::BusClient> client_;
  std::unique_ptr<Seen> seen_;
  std::unique_ptr<hark::testing::Process> core_;
  std::unique_ptr<hark::testing::Process> listener_;
};

TEST_F(Listener, WakeWordThenCommandBecomesTheUtterance) {
  start_listener();
  play(pulse_->server(), "mic", command("hey mycroft, what time is it"));
  ASSERT_TRUE(seen_->wait_for_count("recognizer_loop:utterance", 1));
  EXPECT_THAT(seen_->types(),
              ElementsAre("recognizer_loop:wakeword", "recognizer_loop:record_begin",
                          "recognizer_loop:record_end", "recognizer_loop:utterance"));
  EXPECT_THAT(seen_->utterances(), ElementsAre("what time is it"));
  auto utterance = seen_->find("recognizer_loop:utterance");
  EXPECT_EQ(utterance->data()["lang"], "en-US");
  EXPECT_EQ(seen_->find("recognizer_loop:wakeword")->data()["key_phrase"], "hey mycroft");
  // save_utterances: the command, without the wake word, as a 16 kHz WAV file.
  auto dir = records() / "utterances";
  ASSERT_TRUE(eventually([&] { return fs::exists(dir) && !fs::is_empty(dir); }));
  auto saved = audio::read_wav(fs::directory_iterator(dir)->path());
  EXPECT_EQ(saved.sample_rate, kSampleRate);
  EXPECT_GT(saved.seconds(), 1.0);
  EXPECT_LT(saved.seconds(), 4.0);
}

TEST_F(Listener, AMutedMicrophoneDoesNotWake) {
  start_listener();
  client_->emit(Message("mycroft.mic.mute"));
  ASSERT_TRUE(eventually([&] { return muted(); }));
  play(pulse_->server(), "mic", command("hey mycroft, what is the date"));
  client_->emit(Message("mycroft.mic.unmute"));
  ASSERT_TRUE(eventually([&] { return !muted(); }));
  play(pulse_->server(), "mic", command("hey mycroft, what time is it"));
  ASSERT_TRUE(seen_->wait_for_count("recognizer_loop:utterance", 1));
  // Audio is heard in order, so a wake while muted would have come first.
  EXPECT_THAT(seen_->utterances(), ElementsAre("what time is it"));
  EXPECT_EQ(std::count(seen_->types().begin(), seen_->types().end(), "recognizer_loop:wakeword"),
            1);
}

TEST_F(Listener, ListenRecordsWithoutTheWakeWord) {
  start_listener();
  client_->emit(Message("mycroft.mic.listen"));
  play(pulse_->server(), "mic", command("what is the date"));
  ASSERT_TRUE(seen_->wait_for_count("recognizer_loop:utterance", 1));
  EXPECT_THAT(seen_->types(),
              ElementsAre("recognizer_loop:record_begin", "recognizer_loop:record_end",
                          "recognizer_loop:utterance"));
  EXPECT_THAT(seen_->utterances(), ElementsAre("what is the date"));
}

TEST_F(Listener, TranscribesAWavFileAndExits) {
  auto wav = bus_->home().path() / "command.wav";
  auto pcm = audio::make_espeak_engine("en-us+m3")
                 ->synthesize("hey mycroft, set a timer for five minutes");
  pcm.samples.resize(pcm.samples.size() + static_cast<std::size_t>(pcm.sample_rate), 0);
  audio::write_wav(wav, pcm);  // 22050 Hz: the listener resamples it
  auto finished = hark::testing::run(
      {hark::testing::hark_binary(), "listener", "--input", wav.string()}, env_, 60s);
  EXPECT_EQ(finished.exit_code, 0) << finished.err;
  EXPECT_EQ(finished.out, "set a timer for five minutes\n") << finished.err;
  ASSERT_TRUE(seen_->wait_for_count("recognizer_loop:utterance", 1));
  EXPECT_THAT(seen_->types(),
              ElementsAre("recognizer_loop:wakeword", "recognizer_loop:record_begin",
                          "recognizer_loop:record_end", "recognizer_loop:utterance"));
}

TEST_F(Listener, ABadWavFileIsNamed) {
  auto wav = bus_->home().path() / "empty.wav";
  audio::write_wav(wav, {{}, 16000});
  auto finished = hark::testing::run(
      {hark::testing::hark_binary(), "listener", "--input", wav.string()}, env_, 30s);
  EXPECT_EQ(finished.exit_code, 1);
  EXPECT_THAT(finished.err, HasSubstr("empty.wav: holds no audio"));
}

}  // namespace
}  // namespace hark::listener
