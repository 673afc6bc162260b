// `hark phal` on a real bus, controlling a real PulseAudio server's null sink.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <future>
#include <iterator>

#include "client/bus_client.h"
#include "client/testing.h"

namespace hark::phal {
namespace {

using namespace std::chrono_literals;
using testing::PulseServer;

std::string contents_of(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class PhalServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    if (!PulseServer::available(&why)) GTEST_SKIP() << why;
    if (!testing::available(testing::BusKind::Hark, &why)) GTEST_SKIP() << why;
    pulse_ = std::make_unique<PulseServer>(std::vector<std::string>{"spk"});
    bus_ = std::make_unique<testing::TestBus>(testing::BusKind::Hark);
    start_phal(pulse_->server());
  }

  void start_phal(const std::string& pulse_server) {
    auto environment = bus_->home().environment();
    environment.push_back("PULSE_SERVER=" + pulse_server);
    // A factory reset must find only the test's folders, whatever the machine's are.
    for (const char* name : {"XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"}) {
      environment.push_back(fmt::format("{}={}", name, folder(name).string()));
    }
    phal_ = std::make_unique<testing::Process>(
        std::vector<std::string>{testing::hark_binary(), "phal"}, environment, true);
    client_ = std::make_unique<client::BusClient>(bus_->endpoint());
    client_->start();
    ASSERT_TRUE(testing::eventually([&] {
      auto answer = client_->wait_for_response(Message("mycroft.PHAL.is_ready"), 200ms);
      return answer && answer->data().value("status", false);
    })) << "hark phal never became ready";
  }

  // Sends a volume message and returns the mycroft.volume.get.response it gets.
  Json ask(const std::string& type, Json data = Json::object()) {
    auto answer = client_->wait_for_response(Message(type, std::move(data)),
                                             "mycroft.volume.get.response", 3s);
    EXPECT_TRUE(answer) << "no answer to " << type;
    return answer ? answer->data() : Json();
  }

  // XDG_DATA_HOME and the others of the phal under test.
  std::filesystem::path folder(std::string_view xdg_name) const {
    return bus_->home().path() / fmt::format("xdg-{}", xdg_name.substr(4));
  }

  std::string shown_volume() { return pulse_->pactl({"get-sink-volume", "spk"}); }

  std::unique_ptr<PulseServer> pulse_;
  std::unique_ptr<testing::TestBus> bus_;
  std::unique_ptr<testing::Process> phal_;
  std::unique_ptr<client::BusClient> client_;
};

TEST_F(PhalServiceTest, SetsAndReportsTheVolumeAsAFraction) {
  Json answer = ask("mycroft.volume.set", {{"percent", 0.8}});
  EXPECT_EQ(answer, Json({{"percent", 0.8}, {"muted", false}}));
  EXPECT_NE(shown_volume().find("/  80%"), std::string::npos) << shown_volume();
  EXPECT_EQ(ask("mycroft.volume.get"), Json({{"percent", 0.8}, {"muted", false}}));
  // The GUI's variants.
  EXPECT_EQ(ask("mycroft.volume.set.gui", {{"percent", 0.7}})["percent"], 0.7);
  EXPECT_EQ(ask("mycroft.volume.get.sliding.panel")["percent"], 0.7);
}

TEST_F(PhalServiceTest, PlaysTheVolumeSoundWhenAsked) {
  std::promise<Json> played;
  client_->on("mycroft.audio.play_sound", [&](const Message& m) { played.set_value(m.data()); });
  ask("mycroft.volume.increase", {{"play_sound", true}});
  auto sound = played.get_future();
  // It is emitted before the answer, so it is there already.
  ASSERT_EQ(sound.wait_for(1s), std::future_status::ready);
  EXPECT_EQ(sound.get()["uri"], "snd/blop-mark-diangelo.wav");
}

TEST_F(PhalServiceTest, ReadsPercentAbove1AsAPercentage) {
  EXPECT_EQ(ask("mycroft.volume.set", {{"percent", 45}})["percent"], 0.45);
  EXPECT_NE(shown_volume().find("/  45%"), std::string::npos) << shown_volume();
}

TEST_F(PhalServiceTest, IncreasesAndDecreases) {
  ask("mycroft.volume.set", {{"percent", 0.5}});
  EXPECT_EQ(ask("mycroft.volume.increase")["percent"], 0.6);  // hark.phal.volume_step
  EXPECT_EQ(ask("mycroft.volume.decrease", {{"percent", 0.25}})["percent"], 0.35);
  EXPECT_NE(shown_volume().find("/  35%"), std::string::npos) << shown_volume();
  ask("mycroft.volume.set", {{"percent", 0.95}});
  EXPECT_EQ(ask("mycroft.volume.increase")["percent"], 1.0);
}

TEST_F(PhalServiceTest, MutesUnmutesAndToggles) {
  EXPECT_EQ(ask("mycroft.volume.mute")["muted"], true);
  EXPECT_EQ(pulse_->pactl({"get-sink-mute", "spk"}), "Mute: yes\n");
  EXPECT_EQ(ask("mycroft.volume.mute.toggle")["muted"], false);
  EXPECT_EQ(pulse_->pactl({"get-sink-mute", "spk"}), "Mute: no\n");
  EXPECT_EQ(ask("mycroft.volume.mute.toggle")["muted"], true);
  EXPECT_EQ(ask("mycroft.volume.unmute")["muted"], false);
  EXPECT_EQ(pulse_->pactl({"get-sink-mute", "spk"}), "Mute: no\n");
}

TEST_F(PhalServiceTest, LeavesOtherSessionsAlone) {
  ask("mycroft.volume.set", {{"percent", 0.3}});
  client_->emit(Message("mycroft.volume.set", {{"percent", 0.9}},
                        {{"session", {{"session_id", "satellite-1"}}}}));
  // Handled in order: the answer to this one comes after the other was ignored.
  EXPECT_EQ(ask("mycroft.volume.get")["percent"], 0.3);
}

TEST_F(PhalServiceTest, ReportsABadPercentAndKeepsServing) {
  client_->emit(Message("mycroft.volume.set", {{"percent", "loud"}}));
  EXPECT_TRUE(phal_->wait_for_stderr(
      "mycroft.volume.set: percent must be a number from 0 to 1, got \"loud\"", 3s));
  EXPECT_EQ(ask("mycroft.volume.get")["percent"], 1.0);
}

TEST_F(PhalServiceTest, AnswersSystemInfo) {
  auto answer = client_->wait_for_response(Message("hark.system.info"), 3s);
  ASSERT_TRUE(answer);
  EXPECT_TRUE(answer->data()["hostname"].is_string());
  EXPECT_GT(answer->data()["cpus"].get<int>(), 0);
  EXPECT_GT(answer->data()["memory_mb"]["total"].get<long>(), 0);
  EXPECT_GT(answer->data()["uptime_seconds"].get<double>(), 0);
}

TEST_F(PhalServiceTest, WithoutASoundServerSaysSoAndStaysReady) {
  phal_.reset();
  client_.reset();
  start_phal("unix:/nonexistent/pulse/native");
  EXPECT_TRUE(phal_->wait_for_stderr("no sound server", 3s));
  EXPECT_TRUE(phal_->running());
}

// As ovos-PHAL-plugin-system: `lang` in the user's mycroft.conf, whose other settings stay.
TEST_F(PhalServiceTest, ConfiguresTheLanguageInTheUsersMycroftConf) {
  auto done =
      client_->wait_for_response(Message("system.configure.language", {{"language_code", "pt_BR"}}),
                                 "system.configure.language.complete", 3s);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->data(), Json({{"lang", "pt-br"}}));
  auto lang = testing::run({testing::hark_binary(), "config", "get", "lang"},
                           bus_->home().environment(), 5s);
  EXPECT_EQ(lang.out, "pt-br\n") << lang.err;
  auto port = testing::run({testing::hark_binary(), "config", "get", "websocket.port"},
                           bus_->home().environment(), 5s);
  EXPECT_EQ(port.out, std::to_string(bus_->endpoint().port) + "\n") << port.err;
}

TEST_F(PhalServiceTest, RefusesALanguageCodeThatIsNoneAndChangesNothing) {
  const auto before = contents_of(bus_->home().user_config_file());
  auto failed = client_->wait_for_response(
      Message("system.configure.language", {{"language_code", "../../etc/passwd"}}),
      "system.configure.language.failed", 3s);
  ASSERT_TRUE(failed);
  EXPECT_NE(failed->data()["error"].get<std::string>().find("must be a language code"),
            std::string::npos)
      << failed->data().dump();
  EXPECT_EQ(contents_of(bus_->home().user_config_file()), before);
  EXPECT_TRUE(phal_->running());
}

// As ovos-PHAL-plugin-system: what using Hark left in the user's folders goes, what came with the
// installation and what other programs keep there stays, and a reboot is asked for.
TEST_F(PhalServiceTest, AFactoryResetRemovesWhatHarkLeftAndAsksForAReboot) {
  namespace fs = std::filesystem;
  auto make = [](const fs::path& file) {
    fs::create_directories(file.parent_path());
    std::ofstream(file) << "x";
  };
  const auto config = bus_->home().path() / "config" / "mycroft";
  const std::vector<fs::path> gone{folder("XDG_CACHE_HOME") / "hark" / "tts" / "espeak" / "a.wav",
                                   folder("XDG_DATA_HOME") / "hark" / "listener" / "1.wav",
                                   folder("XDG_DATA_HOME") / "mycroft" / "resources" / "x.dialog",
                                   folder("XDG_STATE_HOME") / "hark" / "provisioned",
                                   config / "skills" / "timer.hark" / "timers.json"};
  const std::vector<fs::path> kept{config / "provisioning" / "10-setup.sh",
                                   folder("XDG_DATA_HOME") / "other-program" / "notes.txt"};
  for (const auto& file : gone) make(file);
  for (const auto& file : kept) make(file);
  std::promise<void> reboot;
  client_->on("system.reboot", [&](const Message&) { reboot.set_value(); });

  auto done = client_->wait_for_response(Message("system.factory.reset"),
                                         "system.factory.reset.complete", 5s);
  ASSERT_TRUE(done);
  for (const auto& file : gone) EXPECT_FALSE(fs::exists(file)) << file;
  EXPECT_FALSE(fs::exists(bus_->home().user_config_file()));
  for (const auto& file : kept) EXPECT_TRUE(fs::exists(file)) << file;
  EXPECT_EQ(done->data()["errors"], Json::array());
  EXPECT_EQ(done->data()["removed"].size(), 6u) << done->data().dump();
  EXPECT_EQ(reboot.get_future().wait_for(3s), std::future_status::ready);
  EXPECT_TRUE(phal_->running());
}

TEST_F(PhalServiceTest, AFactoryResetWaitsForTheHardwarePluginsThatRegistered) {
  std::promise<void> asked;
  std::promise<void> completed;
  client_->on("system.factory.reset.phal", [&](const Message&) { asked.set_value(); });
  client_->on("system.factory.reset.complete", [&](const Message&) { completed.set_value(); });
  client_->emit(Message("system.factory.reset.register", {{"skill_id", "led-ring"}}));
  client_->emit(Message("system.factory.reset", {{"wipe_configs", false}, {"reboot", false}}));
  ASSERT_EQ(asked.get_future().wait_for(3s), std::future_status::ready);
  auto complete = completed.get_future();
  EXPECT_EQ(complete.wait_for(300ms), std::future_status::timeout);
  client_->emit(Message("system.factory.reset.phal.complete", {{"skill_id", "led-ring"}}));
  EXPECT_EQ(complete.wait_for(3s), std::future_status::ready);
}

}  // namespace
}  // namespace hark::phal
