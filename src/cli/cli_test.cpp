// The `hark` binary as a user runs it, against a real `hark bus`.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <future>

#include "client/bus_client.h"
#include "client/testing.h"

namespace hark::cli {
namespace {

using namespace std::chrono_literals;
using testing::BusKind;
using testing::Finished;
using testing::TempHome;
using testing::TestBus;

std::vector<std::string> with(std::vector<std::string> environment, const std::string& variable) {
  environment.push_back(variable);
  return environment;
}

class CliTest : public ::testing::Test {
 protected:
  // `hark ARGS...` run to its end with the temporary home's configuration.
  Finished hark(std::vector<std::string> args, const std::vector<std::string>& environment) {
    args.insert(args.begin(), testing::hark_binary());
    return testing::run(std::move(args), environment, 20s);
  }
  Finished hark(std::vector<std::string> args) {
    return hark(std::move(args), home_.environment());
  }

  TempHome home_;
};

class CliWithBusTest : public CliTest {
 protected:
  void SetUp() override {
    std::string why;
    if (!testing::available(BusKind::Hark, &why)) GTEST_SKIP() << why;
    bus_ = std::make_unique<TestBus>(BusKind::Hark);
  }
  Finished hark_on_bus(std::vector<std::string> args) {
    return hark(std::move(args), bus_->home().environment());
  }
  testing::Process start_hark_on_bus(std::vector<std::string> args) {
    args.insert(args.begin(), testing::hark_binary());
    return testing::Process(std::move(args), bus_->home().environment(), true);
  }

  std::unique_ptr<TestBus> bus_;
};

TEST_F(CliWithBusTest, ListenPrintsWhatSendEmits) {
  auto listen = start_hark_on_bus({"listen", "--count", "1", "--timeout", "10"});
  ASSERT_TRUE(listen.wait_for_stderr("listening on", 5s));

  auto send = hark_on_bus({"send", "hark.test.cli", R"({"n": 1})", "--context", R"({"a": "b"})"});

  EXPECT_EQ(send.exit_code, 0) << send.err;
  EXPECT_EQ(send.err, "");
  auto listened = listen.finish(10s);
  EXPECT_EQ(listened.exit_code, 0) << listened.err;
  EXPECT_EQ(listened.out, R"({"type":"hark.test.cli","data":{"n":1},"context":{"a":"b"}})"
                          "\n");
}

TEST_F(CliWithBusTest, ListenShowsOnlyTheTypesAskedFor) {
  auto listen =
      start_hark_on_bus({"listen", "hark.test.wanted", "--count", "1", "--timeout", "10"});
  ASSERT_TRUE(listen.wait_for_stderr("listening on", 5s));

  hark_on_bus({"send", "hark.test.unwanted"});
  hark_on_bus({"send", "hark.test.wanted"});

  auto listened = listen.finish(10s);
  EXPECT_EQ(listened.exit_code, 0) << listened.err;
  EXPECT_EQ(listened.out, R"({"type":"hark.test.wanted","data":{},"context":{}})"
                          "\n");
}

TEST_F(CliWithBusTest, ListenThatSeesTooFewMessagesSaysSo) {
  auto listened = hark_on_bus({"listen", "hark.test.silence", "--count", "2", "--timeout", "0.3"});

  EXPECT_EQ(listened.exit_code, 1);
  EXPECT_TRUE(listened.err.ends_with("hark: saw 0 of 2 messages within 0.3 s\n")) << listened.err;
}

TEST_F(CliWithBusTest, EnrollWithoutAListenerSaysSo) {
  auto enrolled = hark_on_bus({"enroll", "--timeout", "0.5"});

  EXPECT_EQ(enrolled.exit_code, 1);
  EXPECT_EQ(enrolled.out, "");
  EXPECT_TRUE(enrolled.err.ends_with(
      "hark: no answer to hark.listener.enroll within 0.5 s (is hark listener running?)\n"))
      << enrolled.err;
}

// What a listener refuses is printed as the reason the enrollment ended.
TEST_F(CliWithBusTest, EnrollPrintsTheListenersAnswers) {
  client::BusClient listener(bus_->endpoint());
  listener.on("hark.listener.enroll", [&](const Message& m) {
    EXPECT_EQ(m.data(), Json::parse(R"({"wake_words": 0, "sentences": 1})"));
    listener.emit(Message("hark.listener.enroll.prompt",
                          {{"step", 1}, {"steps", 1}, {"kind", "sentence"}, {"text", "a b c"}}));
    listener.emit(Message("hark.listener.enroll.done", {{"complete", false},
                                                        {"wake_words", 0},
                                                        {"sentences", 0},
                                                        {"error", "step 1 missed 3 times"}}));
  });
  listener.start();
  ASSERT_TRUE(listener.wait_connected(5s));

  auto enrolled = hark_on_bus({"enroll", "--wake-words", "0", "--sentences", "1"});

  EXPECT_EQ(enrolled.exit_code, 1);
  EXPECT_EQ(enrolled.out, "[1/1] Read aloud: \"a b c\"\nLearnt 0 wake words and 0 sentences.\n");
  EXPECT_TRUE(enrolled.err.ends_with("hark: enrollment incomplete: step 1 missed 3 times\n"))
      << enrolled.err;
}

TEST_F(CliWithBusTest, SpeakEmitsASpeakMessageFromTheCommandLine) {
  client::BusClient audio(bus_->endpoint());
  std::promise<Message> heard;
  audio.on("speak", [&](const Message& m) { heard.set_value(m); });
  audio.start();
  ASSERT_TRUE(audio.wait_connected(5s));

  auto spoke = hark_on_bus({"speak", "hello there", "--lang", "de-DE"});

  EXPECT_EQ(spoke.exit_code, 0) << spoke.err;
  auto speak = heard.get_future();
  ASSERT_EQ(speak.wait_for(5s), std::future_status::ready);
  auto message = speak.get();
  EXPECT_EQ(message.data(),
            Json({{"utterance", "hello there"}, {"expect_response", false}, {"lang", "de-DE"}}));
  EXPECT_EQ(message.context()["source"], "debug_cli");
  EXPECT_EQ(message.context()["session"]["session_id"], "default");
}

TEST_F(CliWithBusTest, UtterPrintsTheSpokenAnswer) {
  // Stands in for the core: answers the utterance the way OVOS skills do, through reply().
  client::BusClient core(bus_->endpoint());
  core.on("recognizer_loop:utterance", [&](const Message& utterance) {
    if (utterance.data()["utterances"] != Json::array({"what time is it"})) return;
    core.emit(utterance.reply("speak", {{"utterance", "It's ten fifteen."}}));
    core.emit(utterance.reply("ovos.utterance.handled"));
  });
  core.start();
  ASSERT_TRUE(core.wait_connected(5s));

  auto uttered = hark_on_bus({"utter", "what time is it"});

  EXPECT_EQ(uttered.exit_code, 0) << uttered.err;
  EXPECT_EQ(uttered.out, "It's ten fifteen.\n");
}

TEST_F(CliWithBusTest, UtterWithoutACoreSaysNobodyAnswered) {
  auto uttered = hark_on_bus({"utter", "hello", "--timeout", "0.3"});

  EXPECT_EQ(uttered.exit_code, 1);
  EXPECT_EQ(uttered.err,
            "hark: no spoken answer to \"hello\" within 0.3 s (is the core running?)\n");
}

TEST_F(CliWithBusTest, WrongTokenIsOneClearLine) {
  TestBus guarded(BusKind::Hark, {{"websocket", {{"token", "s3cret"}}}});

  auto sent = hark({"--set", "websocket.token=guess", "send", "hark.test.x", "--timeout", "1"},
                   guarded.home().environment());

  EXPECT_EQ(sent.exit_code, 1);
  EXPECT_EQ(sent.err, fmt::format("hark: cannot reach the bus at ws://127.0.0.1:{}/core: the bus "
                                  "refused the WebSocket upgrade: 401 Unauthorized (check "
                                  "websocket.token)\n",
                                  guarded.port()));
}

TEST_F(CliTest, UnreachableBusIsOneClearLine) {
  auto sent = hark({"--set", "websocket.port=1", "send", "hark.test.x", "--timeout", "0.3"});

  EXPECT_EQ(sent.exit_code, 1);
  EXPECT_EQ(sent.err, "hark: cannot reach the bus at ws://127.0.0.1:1/core: connection refused\n");
}

TEST_F(CliTest, MalformedDataIsOneClearLine) {
  auto sent = hark({"send", "hark.test.x", R"({"n": )"});

  EXPECT_EQ(sent.exit_code, 1);
  EXPECT_EQ(sent.err,
            "hark: JSON_DATA:1:7: unexpected end of input; expected '[', '{', or a literal\n");
}

TEST_F(CliTest, ServiceWhoseModuleIsMissingIsOneClearLine) {
  auto started = hark({"audio"}, with(home_.environment(), "HARK_MODULE_DIR=/nonexistent"));

  EXPECT_EQ(started.exit_code, 1);
  EXPECT_EQ(
      started.err,
      "hark: hark audio: cannot load the audio module: /nonexistent/hark-audio.so: cannot open "
      "shared object file: No such file or directory (HARK_MODULE_DIR overrides where "
      "modules are looked for)\n");
}

TEST_F(CliTest, BadArgumentsExitWithTwo) {
  auto sent = hark({"send"});

  EXPECT_EQ(sent.exit_code, 2);
  EXPECT_NE(sent.err.find("TYPE is required"), std::string::npos) << sent.err;
}

TEST_F(CliTest, ConfigGetReadsTheUserFile) {
  home_.write_user_config(R"({"websocket": {"port": 8200, "host": "0.0.0.0"}})");

  EXPECT_EQ(hark({"config", "get", "websocket.port"}).out, "8200\n");
  EXPECT_EQ(hark({"config", "get", "websocket.host"}).out, "0.0.0.0\n");
  EXPECT_EQ(hark({"config", "get", "websocket.route"}).out, "/core\n");  // built-in default
}

TEST_F(CliTest, ConfigGetOverridesWinInOrderEnvironmentThenSet) {
  home_.write_user_config(R"({"websocket": {"port": 8200}})");
  auto environment = with(home_.environment(), "HARK__WEBSOCKET__PORT=8300");

  EXPECT_EQ(hark({"config", "get", "websocket.port"}, environment).out, "8300\n");
  EXPECT_EQ(
      hark({"--set", "websocket.port=8400", "config", "get", "websocket.port"}, environment).out,
      "8400\n");
  // A value given for a string setting stays a string, however it looks.
  EXPECT_EQ(hark({"--set", "websocket.token=1234", "config", "get", "websocket.token"}).out,
            "1234\n");
}

TEST_F(CliTest, ConfigExtraLayerComesAfterTheUserFile) {
  home_.write_user_config(R"({"websocket": {"port": 8200}})");
  auto extra = home_.path() / "extra.conf";
  std::ofstream(extra) << R"({"websocket": {"port": 8500}})";

  EXPECT_EQ(hark({"--config", extra.string(), "config", "get", "websocket.port"}).out, "8500\n");
}

TEST_F(CliTest, ConfigGetOfAMissingKeyFails) {
  auto got = hark({"config", "get", "websocket.nope"});

  EXPECT_EQ(got.exit_code, 1);
  EXPECT_EQ(got.err, "hark: websocket.nope is not set\n");
}

TEST_F(CliTest, ConfigValidateReportsASyntaxErrorWithFileLineAndColumn) {
  auto file = home_.path() / "broken.conf";
  std::ofstream(file) << "{\n  // a comment\n  \"websocket\": {\"port\": 8181,}\n}\n";

  auto checked = hark({"config", "validate", file.string()});

  EXPECT_EQ(checked.exit_code, 1);
  EXPECT_TRUE(checked.err.starts_with(file.string() + ":3:30: ")) << checked.err;
  EXPECT_EQ(std::count(checked.err.begin(), checked.err.end(), '\n'), 1) << checked.err;
}

TEST_F(CliTest, ConfigValidateReportsABadValueWhereItIsWritten) {
  auto file = home_.path() / "bad.conf";
  std::ofstream(file) << "{\n  \"websocket\": {\n    \"port\": 70000\n  }\n}\n";

  auto checked = hark({"config", "validate", file.string()});

  EXPECT_EQ(checked.exit_code, 1);
  EXPECT_EQ(checked.err, file.string() + ":3:5: websocket.port: must be 1..65535 (got 70000)\n");
}

TEST_F(CliTest, ConfigValidateOfEveryLayerNamesTheUserFile) {
  home_.write_user_config("{\"websocket\": {\"route\": 5}}\n");

  auto checked = hark({"config", "validate"});

  EXPECT_EQ(checked.exit_code, 1);
  EXPECT_EQ(checked.err, home_.user_config_file().string() +
                             ":1:16: websocket.route: must be a string (got 5)\n");
}

TEST_F(CliTest, ConfigValidateOfAGoodSetupSaysOk) {
  home_.write_user_config(R"({"websocket": {"port": 8200}})");

  auto checked = hark({"config", "validate"});

  EXPECT_EQ(checked.exit_code, 0) << checked.err;
  EXPECT_EQ(checked.out, "ok\n");
}

TEST_F(CliTest, ConfigDescribeListsTheBusSettings) {
  auto described = hark({"config", "describe"});

  EXPECT_EQ(described.exit_code, 0) << described.err;
  EXPECT_NE(described.out.find("websocket.port"), std::string::npos) << described.out;
  EXPECT_NE(described.out.find("= 8181"), std::string::npos) << described.out;
}

}  // namespace
}  // namespace hark::cli
