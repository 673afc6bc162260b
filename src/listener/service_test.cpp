// `hark listener` against a real PulseAudio server, a real bus and a real `hark core` (whose
// intents make the speech grammar): espeak-ng speech is played into the null sink "mic", and the
// listener records its monitor, as it would a microphone. The VoiceLoop tests add `hark audio`,
// which speaks the core's answers into the null sink "spk", whose monitor the test records: the
// whole loop from a spoken question to a spoken answer.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <mutex>

#include "audio/test_pulse.h"
#include "audio/tts_engine.h"
#include "audio/wav.h"
#include "client/testing.h"
#include "listener/test_speech.h"
#include "listener/test_stt_server.h"

namespace hark::listener {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using audio::testing::Recorder;
using audio::testing::sound_span;
using hark::testing::eventually;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::SttServer;

// Commands take a few seconds to say and to transcribe; a machine busy compiling doubles that.
constexpr auto kHeardWithin = 30s;

const char* const kListenerMessages[] = {"recognizer_loop:wakeword", "recognizer_loop:record_begin",
                                         "recognizer_loop:record_end", "recognizer_loop:utterance",
                                         "recognizer_loop:speech.recognition.unknown"};

// The messages of the given types, in order.
class Seen {
 public:
  Seen(client::BusClient& bus, std::initializer_list<const char*> types) {
    for (const char* type : types) {
      bus.on(type, [this](const Message& m) {
        std::lock_guard hold(mutex_);
        messages_.push_back(m);
      });
    }
  }
  // The types seen, only those of `only` when given.
  std::vector<std::string> types(std::span<const char* const> only = {}) {
    std::lock_guard hold(mutex_);
    std::vector<std::string> out;
    for (const auto& m : messages_) {
      if (only.empty() || std::find(only.begin(), only.end(), m.type()) != only.end()) {
        out.push_back(m.type());
      }
    }
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
  std::size_t count(std::string_view type) {
    auto all = types();
    return static_cast<std::size_t>(std::count(all.begin(), all.end(), type));
  }
  bool wait_for_count(std::string_view type, std::size_t n,
                      std::chrono::milliseconds timeout = kHeardWithin) {
    return eventually([&] { return count(type) >= n; }, timeout);
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

// A private PulseAudio server, a bus whose user mycroft.conf the test can edit, `hark core`.
class Listener : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string reason;
    if (!hark::testing::PulseServer::available(&reason)) GTEST_SKIP() << reason;
    pulse_ = std::make_unique<hark::testing::PulseServer>();
    config_ = {{"listener", {{"device", "mic.monitor"}, {"save_utterances", true}}}};
    bus_ = std::make_unique<hark::testing::TestBus>(hark::testing::BusKind::Hark, config_);
    config_["websocket"]["port"] = bus_->port();
    config_["listener"]["records_dir"] = records().string();
    bus_->home().write_user_config(config_.dump(2));
    env_ = bus_->home().environment();
    env_.push_back("PULSE_SERVER=" + pulse_->server());
    client_ = std::make_unique<client::BusClient>(bus_->endpoint());
    seen_ = std::make_unique<Seen>(
        *client_, std::initializer_list<const char*>{
                      "recognizer_loop:wakeword", "recognizer_loop:record_begin",
                      "recognizer_loop:record_end", "recognizer_loop:utterance",
                      "recognizer_loop:speech.recognition.unknown", "speak",
                      "recognizer_loop:audio_output_start", "recognizer_loop:audio_output_end",
                      "mycroft.stop", "mycroft.stop.handled"});
    client_->start();
    ASSERT_TRUE(client_->wait_connected(5s));
    core_ = start("core");
    ASSERT_TRUE(ready("skills")) << "hark core never said it was ready";
  }
  void TearDown() override {
    if (listener_) {
      listener_->signal(SIGTERM);
      auto finished = listener_->finish(10s);
      EXPECT_EQ(finished.exit_code, 0) << finished.err;
    }
  }

  std::unique_ptr<hark::testing::Process> start(const std::string& service) {
    return std::make_unique<hark::testing::Process>(
        std::vector<std::string>{hark::testing::hark_binary(), service}, env_, true);
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
    listener_ = start("listener");
    ASSERT_TRUE(ready("voice")) << "hark listener never said it was ready";
    ASSERT_TRUE(listener_->wait_for_stderr("speech grammar:", 20s));
    ASSERT_TRUE(listener_->wait_for_stderr("listening for 'hey mycroft' on mic.monitor", 20s));
  }

  // Says `text` into the microphone; returns once it has been played.
  void say(const std::string& text) {
    audio::testing::play(pulse_->server(), "mic", command(text));
  }

  // Rewrites the user mycroft.conf with these listener keys changed.
  void edit_listener_config(const Json& changes) {
    config_["listener"].update(changes);
    bus_->home().write_user_config(config_.dump(2));
  }

  // The listener's messages for one wake word and the command after it. The words heard are
  // printed, not compared: how often espeak-ng's commands are transcribed exactly is
  // voice_bench's figure (today "what time is it" often comes out as "what are you").
  void expect_one_command(const std::string& said) {
    EXPECT_THAT(seen_->types(kListenerMessages),
                ElementsAre("recognizer_loop:wakeword", "recognizer_loop:record_begin",
                            "recognizer_loop:record_end", "recognizer_loop:utterance"));
    auto heard = seen_->utterances();
    ASSERT_EQ(heard.size(), 1u);
    EXPECT_NE(heard[0], "");
    std::printf("said '%s', heard '%s'\n", said.c_str(), heard[0].c_str());
  }

  fs::path records() const { return bus_->home().path() / "records"; }

  // `text` as espeak-ng's en-us+m3 says it, then a second of silence, as a 22050 Hz WAV file (the
  // listener resamples it).
  fs::path spoken_wav(const std::string& text) {
    auto wav = bus_->home().path() / "command.wav";
    auto pcm = audio::make_espeak_engine("en-us+m3")->synthesize(text);
    pcm.samples.resize(pcm.samples.size() + static_cast<std::size_t>(pcm.sample_rate), 0);
    audio::write_wav(wav, pcm);
    return wav;
  }

  bool muted() {
    auto answer = client_->wait_for_response(Message("mycroft.mic.get_status"), 3s);
    if (!answer) throw std::runtime_error("no mycroft.mic.get_status.response");
    return answer->data().value("muted", false);
  }

  std::unique_ptr<hark::testing::PulseServer> pulse_;
  Json config_;
  std::unique_ptr<hark::testing::TestBus> bus_;
  std::vector<std::string> env_;
  std::unique_ptr<client::BusClient> client_;
  std::unique_ptr<Seen> seen_;
  std::unique_ptr<hark::testing::Process> core_;
  std::unique_ptr<hark::testing::Process> listener_;
};

TEST_F(Listener, WakeWordThenCommandBecomesTheUtterance) {
  start_listener();
  say("hey mycroft, what time is it");
  ASSERT_TRUE(seen_->wait_for_count("recognizer_loop:utterance", 1));
  expect_one_command("what time is it");
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
  say("hey mycroft, what is the date");
  client_->emit(Message("mycroft.mic.unmute"));
  ASSERT_TRUE(eventually([&] { return !muted(); }));
  say("hey mycroft, what time is it");
  ASSERT_TRUE(seen_->wait_for_count("recognizer_loop:utterance", 1));
  // Audio is heard in order, so a wake while muted would have come first.
  EXPECT_EQ(seen_->count("recognizer_loop:utterance"), 1);
  EXPECT_EQ(seen_->count("recognizer_loop:wakeword"), 1);
}

TEST_F(Listener, ListenRecordsWithoutTheWakeWord) {
  start_listener();
  client_->emit(Message("mycroft.mic.listen"));
  say("what is the date");
  ASSERT_TRUE(seen_->wait_for_count("recognizer_loop:utterance", 1));
  EXPECT_THAT(seen_->types(kListenerMessages),
              ElementsAre("recognizer_loop:record_begin", "recognizer_loop:record_end",
                          "recognizer_loop:utterance"));
  EXPECT_EQ(seen_->utterances().size(), 1u);
}

TEST_F(Listener, ConfigurationEditsNeverLeaveItDeaf) {
  start_listener();
  // A pronunciation pocketsphinx refuses: the running engines stay.
  edit_listener_config({{"extra_words", {{"mycroft", "M AY K R AO F T"}, {"zork", "QQ ZZ"}}}});
  ASSERT_TRUE(listener_->wait_for_stderr("keeping the previous listener settings", 20s));
  say("hey mycroft, what time is it");
  ASSERT_TRUE(seen_->wait_for_count("recognizer_loop:utterance", 1));
  // A valid edit: new engines replace the old ones, and they hear the next command.
  edit_listener_config({{"extra_words", {{"mycroft", "M AY K R AO F T"}}},
                        {"silence_end", 0.6},
                        {"wake_word_threshold", 1e-45}});
  ASSERT_TRUE(listener_->wait_for_stderr("listener settings applied", 20s));
  say("hey mycroft, what is the date");
  ASSERT_TRUE(seen_->wait_for_count("recognizer_loop:utterance", 2));
  EXPECT_EQ(seen_->count("recognizer_loop:wakeword"), 2);
}

TEST_F(Listener, TranscribesAWavFileAndExits) {
  auto wav = spoken_wav("hey mycroft, set a timer for five minutes");
  auto finished = hark::testing::run(
      {hark::testing::hark_binary(), "listener", "--input", wav.string()}, env_, 60s);
  EXPECT_EQ(finished.exit_code, 0) << finished.err;
  // One line: what it heard (voice_bench measures how often that is exactly what was said).
  EXPECT_EQ(std::count(finished.out.begin(), finished.out.end(), '\n'), 1) << finished.err;
  ASSERT_TRUE(seen_->wait_for_count("recognizer_loop:utterance", 1));
  expect_one_command("set a timer for five minutes");
}

TEST_F(Listener, AnSttServerTranscribesTheCommand) {
  SttServer server(boost::beast::http::status::ok, "what is the weather like in lisbon");
  config_["stt"] = {{"module", "ovos-stt-plugin-server"},
                    {"ovos-stt-plugin-server", {{"url", server.url()}}}};
  bus_->home().write_user_config(config_.dump(2));
  auto wav = spoken_wav("hey mycroft, set a timer for five minutes");
  auto finished = hark::testing::run(
      {hark::testing::hark_binary(), "listener", "--input", wav.string()}, env_, 60s);
  EXPECT_EQ(finished.exit_code, 0) << finished.err;
  ASSERT_TRUE(seen_->wait_for_count("recognizer_loop:utterance", 1));
  EXPECT_THAT(seen_->utterances(), ElementsAre("what is the weather like in lisbon"));
  // The server got the command after the wake word: a WAV file of 1 to 4 s at 16 kHz.
  auto sent = server.seen();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_THAT(sent[0].target, HasSubstr("lang=en-US"));
  EXPECT_GT(sent[0].body.size(), 44u + 2 * 16000);
  EXPECT_LT(sent[0].body.size(), 44u + 2 * 16000 * 4);
}

TEST_F(Listener, ABadWavFileIsNamed) {
  auto wav = bus_->home().path() / "empty.wav";
  audio::write_wav(wav, {{}, 16000});
  auto finished = hark::testing::run(
      {hark::testing::hark_binary(), "listener", "--input", wav.string()}, env_, 30s);
  EXPECT_EQ(finished.exit_code, 1);
  EXPECT_THAT(finished.err, HasSubstr("empty.wav: holds no audio"));
}

// The whole loop: `hark audio` speaks the answers into "spk", recorded by the test.
class VoiceLoop : public Listener {
 protected:
  void SetUp() override {
    Listener::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    speaker_ = std::make_unique<Recorder>(pulse_->server(), "spk.monitor");
    audio_ = start("audio");
    ASSERT_TRUE(ready("audio")) << "hark audio never said it was ready";
    start_listener();
  }

  // Seconds of sound recorded from sample `from` on.
  double seconds_of_sound(std::size_t from) {
    auto all = speaker_->samples();
    std::vector<std::int16_t> heard(all.begin() + static_cast<std::ptrdiff_t>(from), all.end());
    auto [first, last] = sound_span(heard);
    return static_cast<double>(last - first) / audio::testing::kRecordRate;
  }

  // How long hark audio's voice (espeak-ng en-us, the default) takes to say `text`.
  static double seconds_to_say(const std::string& text) {
    auto pcm = audio::make_espeak_engine("en-us")->synthesize(text);
    auto [first, last] = sound_span(resample_to_16k(pcm.samples, pcm.sample_rate));
    return static_cast<double>(last - first) / kSampleRate;
  }

  std::unique_ptr<Recorder> speaker_;
  std::unique_ptr<hark::testing::Process> audio_;
};

TEST_F(VoiceLoop, ASpokenQuestionIsAnsweredOnTheSpeaker) {
  auto before = speaker_->count();
  say("hey mycroft, what time is it");
  ASSERT_TRUE(seen_->wait_for_count("recognizer_loop:audio_output_end", 1));
  expect_one_command("what time is it");
  auto answer = seen_->find("speak");
  ASSERT_TRUE(answer);
  std::string text = answer->data()["utterance"];
  ASSERT_TRUE(speaker_->record_for(0.3));
  // The answer's own sound, as long as saying it takes: not silence, not a click, not noise.
  double heard = seconds_of_sound(before);
  double expected = seconds_to_say(text);
  std::printf("'%s': heard %.2f s of sound, the voice takes %.2f s\n", text.c_str(), heard,
              expected);
  EXPECT_NEAR(heard, expected, 0.3 * expected + 0.2);
}

TEST_F(VoiceLoop, StopCutsTheSpokenAnswerOff) {
  std::atomic<std::size_t> at_stop = 0;
  say("hey mycroft, what can you do");
  ASSERT_TRUE(seen_->wait_for_count("recognizer_loop:audio_output_start", 1));
  ASSERT_TRUE(eventually([&] { return speaker_->heard_sound(); }, 10s));
  at_stop = speaker_->count();
  client_->emit(Message("mycroft.stop"));
  // hark audio answers only when it was speaking or had speech queued: cut mid-answer.
  ASSERT_TRUE(seen_->wait_for_count("mycroft.stop.handled", 1));
  EXPECT_EQ(seen_->find("mycroft.stop.handled")->data().value("by", ""), "TTS");
  ASSERT_TRUE(seen_->wait_for_count("recognizer_loop:audio_output_end", 1));
  ASSERT_TRUE(speaker_->record_for(1.0));
  auto last = sound_span(speaker_->samples()).second;
  double after_stop = (static_cast<double>(last) - static_cast<double>(at_stop.load())) /
                      audio::testing::kRecordRate;
  std::printf("sound until %.3f s after the stop\n", after_stop);
  EXPECT_LT(after_stop, 0.3);
}

}  // namespace
}  // namespace hark::listener
