// `hark core`'s behaviour as a user or a skill sees it on a real bus: utterances reach the right
// built-in skill and come back as speech (with a fixed clock), registrations over the bus take
// effect and detach, the pipeline's stop, converse-less fallback and failure paths, queries.
#include "pipeline/core_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <boost/asio/executor_work_guard.hpp>

#include <mutex>
#include <thread>

#include "client/testing.h"
#include "config/test_support.h"

namespace hark::pipeline {
namespace {

using namespace std::chrono_literals;
using testing::BusKind;
using ::testing::HasSubstr;
using testing::TestBus;

// 2026-11-23 14:05:09 UTC, a Monday.
const auto kFixedNow = std::chrono::system_clock::time_point(std::chrono::seconds(1795442709));

class Core : public ::testing::Test {
 protected:
  void start(const Json& overrides = Json::object()) {
    Json config = config::builtin_defaults();
    config["location"]["timezone"]["code"] = "Europe/Paris";
    config::deep_merge(config, overrides);
    work_.emplace(io_.get_executor());
    core_bus_ = std::make_unique<client::BusClient>(bus_.endpoint(),
                                                    client::BusClientOptions{.name = "core"});
    core_ = std::make_unique<CoreService>(*core_bus_, io_, config, data_.path(),
                                          skills::BuiltinOptions{.now = [] { return kFixedNow; }});
    thread_ = std::thread([this] { io_.run(); });
    core_bus_->start();
    user_.start();
    ASSERT_TRUE(user_.wait_connected(5s));
    ASSERT_TRUE(testing::eventually([&] { return core_->ready(); }, 10s));
  }

  void TearDown() override {
    if (core_bus_) core_bus_->stop();
    work_.reset();
    io_.stop();
    if (thread_.joinable()) thread_.join();
    core_.reset();
  }

  // Says `text` and returns what the core answers, or "" when nothing was said in time.
  std::string ask(const std::string& text, std::string* intent = nullptr,
                  std::string* speaker = nullptr) {
    std::mutex mutex;
    std::string dispatched;
    auto id = user_.on_any([&](const Message& m) {
      if (m.type().find(':') != std::string::npos && m.context().value("skill_id", "") != "") {
        std::lock_guard lock(mutex);
        dispatched = m.type();
      }
    });
    auto answer = user_.wait_for_response(
        Message("recognizer_loop:utterance", {{"utterances", {text}}, {"lang", "en-US"}},
                {{"source", "test"}, {"destination", "skills"}}),
        "speak", 5s);
    user_.off(id);
    if (intent) {
      std::lock_guard lock(mutex);
      *intent = dispatched;
    }
    if (speaker && answer) *speaker = answer->data()["meta"].value("skill", "");
    return answer ? answer->data().value("utterance", "") : "";
  }

  TestBus bus_{BusKind::Hark};
  config::fixtures::TempDir data_;
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::thread thread_;
  std::unique_ptr<client::BusClient> core_bus_;
  std::unique_ptr<CoreService> core_;
  client::BusClient user_{bus_.endpoint(), {.name = "user"}};
};

TEST_F(Core, TellsTheTimeDateAndWeekdayInTheConfiguredZone) {
  start();
  std::string intent;
  EXPECT_THAT(ask("what time is it", &intent), HasSubstr("3:05 PM"));
  EXPECT_EQ(intent, "hark-date-time:time.intent");
  EXPECT_THAT(ask("hey could you tell me the time please"), HasSubstr("3:05 PM"));
  EXPECT_THAT(ask("what is the date today"), HasSubstr("Monday, November 23, 2026"));
  EXPECT_THAT(ask("what day is it"), HasSubstr("Monday"));
}

TEST_F(Core, TimeFormatAndDateFormatFollowTheConfiguration) {
  start({{"time_format", "full"}, {"date_format", "DMY"}});
  EXPECT_THAT(ask("what time is it"), HasSubstr("15:05"));
  EXPECT_THAT(ask("what's the date"), HasSubstr("Monday 23 November 2026"));
}

TEST_F(Core, GreetsAndSaysWhoItIs) {
  start();
  std::string intent;
  EXPECT_FALSE(ask("hello there", &intent).empty());
  EXPECT_EQ(intent, "hark-hello:hello.intent");
  EXPECT_FALSE(ask("what is your name", &intent).empty());
  EXPECT_EQ(intent, "hark-hello:who_are_you.intent");
}

TEST_F(Core, NamedTimersAreSetListedCancelledAndKeptAcrossARestart) {
  start();
  EXPECT_THAT(ask("set a pasta timer for 5 minutes and 30 seconds"),
              HasSubstr("5 minutes and 30 seconds"));
  EXPECT_THAT(ask("set a timer for an hour and a half"), HasSubstr("1 hour and 30 minutes"));
  auto listed = ask("how much time is left");
  EXPECT_THAT(listed, HasSubstr("Pasta timer: 5 minutes and 30 seconds left"));
  EXPECT_THAT(listed, HasSubstr("1 hour and 30 minutes left"));
  EXPECT_THAT(ask("cancel the pasta timer"), HasSubstr("pasta timer is cancelled"));

  // A new core on the same data folder finds the remaining timer.
  core_bus_->stop();
  work_.reset();
  io_.stop();
  thread_.join();
  core_.reset();
  io_.restart();
  start();
  EXPECT_THAT(ask("how much time is left"), HasSubstr("1 hour and 30 minutes left"));
}

TEST_F(Core, ATimerLongerThanAKitchenTimerIsRefusedSayingTheLongest) {
  start();
  EXPECT_THAT(ask("set a timer for 9999999 hours"), HasSubstr("up to 100 hours"));
  EXPECT_THAT(ask("how much time is left"), HasSubstr("no timers"));
}

TEST_F(Core, ATimerIsAnnouncedWhenItEnds) {
  start();
  ask("set a tea timer for 1 second");
  auto announced = user_.wait_for_message("speak", 5s);
  ASSERT_TRUE(announced);
  EXPECT_THAT(announced->data().value("utterance", ""), HasSubstr("tea"));
}

TEST_F(Core, VolumeGoesThroughPhalMessages) {
  start();
  // A mixer that answers as hark phal or an OVOS PHAL plugin would.
  double level = 0.5;
  user_.on("mycroft.volume.set", [&](const Message& m) { level = m.data()["percent"]; });
  user_.on("mycroft.volume.get", [&](const Message& m) {
    user_.emit(m.response({{"percent", level}, {"muted", false}}));
  });
  EXPECT_THAT(ask("set the volume to forty percent"), HasSubstr("40 percent"));
  EXPECT_DOUBLE_EQ(level, 0.4);
  EXPECT_THAT(ask("what is the volume"), HasSubstr("40 percent"));
}

TEST_F(Core, HelpListsExamplesOfLoadedSkills) {
  start();
  auto answer = ask("what can you do");
  EXPECT_THAT(answer, HasSubstr("\""));
}

TEST_F(Core, UnknownUtterancesGetTheFallbackAnswer) {
  start();
  auto failure = std::make_shared<std::atomic<bool>>(false);
  user_.on("complete_intent_failure", [failure](const Message&) { *failure = true; });
  std::string speaker;
  EXPECT_FALSE(ask("what is the airspeed of an unladen swallow", nullptr, &speaker).empty());
  EXPECT_EQ(speaker, "hark-unknown");
  EXPECT_FALSE(*failure);
}

TEST_F(Core, UtterancesNearABuiltInIntentButNotMeaningItReachNone) {
  start();
  for (const char* text :
       {"what time does the train leave", "the timer on the oven is broken",
        "my neighbour plays music loud", "what's the date of the next election", "tell me a joke",
        "who won the football match", "how tall is mount everest", "how are the kids",
        "cancel my dentist appointment", "stop the car", "raise the blinds"}) {
    std::string intent, speaker;
    ask(text, &intent, &speaker);
    EXPECT_EQ(intent, "") << text;
    EXPECT_EQ(speaker, "hark-unknown") << text;
  }
}

// A question-answering skill as ovos-workshop's CommonQuerySkill is on the bus: it makes itself
// known (ovos.common_query.pong), says it is searching, answers after `delay` (a web search),
// and speaks its answer when the core picks it (question:action).
class QuestionAnsweringSkill {
 public:
  QuestionAnsweringSkill(const client::Endpoint& bus, std::string id, std::string answer,
                         double confidence, std::chrono::milliseconds delay = 0ms)
      : id_(std::move(id)), bus_(bus, {.name = id_}) {
    bus_.on("ovos.common_query.ping", [this](const Message&) { bus_.emit(pong()); });
    bus_.on("question:query", [this, answer, confidence, delay](const Message& m) {
      ++questions_;
      const auto phrase = m.data().value("phrase", "");
      bus_.emit(m.response({{"phrase", phrase}, {"skill_id", id_}, {"searching", true}}));
      Json reply = {{"phrase", phrase},
                    {"skill_id", id_},
                    {"answer", answer},
                    {"conf", confidence},
                    {"callback_data", {{"source", id_}}}};
      std::lock_guard lock(mutex_);
      searches_.emplace_back([this, m, reply, delay] {
        std::this_thread::sleep_for(delay);
        bus_.emit(m.response(reply));
      });
    });
    bus_.on("question:action", [this](const Message& m) {
      if (m.data().value("skill_id", "") != id_) return;
      {
        std::lock_guard lock(mutex_);
        chosen_ = m.data();
      }
      bus_.emit(m.forward(
          "speak", {{"utterance", m.data().value("answer", "")}, {"meta", {{"skill", id_}}}}));
    });
    bus_.start();
    EXPECT_TRUE(bus_.wait_connected(5s));
    // Its own pong coming back means the bus has passed it on to the core, ahead of whatever
    // the test says next.
    EXPECT_TRUE(bus_.wait_for_response(pong(), "ovos.common_query.pong", 5s));
  }
  ~QuestionAnsweringSkill() {
    {
      std::lock_guard lock(mutex_);
      searches_.clear();  // joins
    }
    bus_.stop();
  }

  int questions() const { return questions_; }
  Json chosen() const {
    std::lock_guard lock(mutex_);
    return chosen_;
  }

 private:
  Message pong() const { return Message("ovos.common_query.pong", {{"skill_id", id_}}); }

  std::string id_;
  client::BusClient bus_;
  std::atomic<int> questions_{0};
  mutable std::mutex mutex_;
  Json chosen_;
  std::vector<std::jthread> searches_;
};

TEST_F(Core, AQuestionNoIntentTakesGetsTheMostConfidentAnswerOfTheQuestionSkills) {
  start();
  QuestionAnsweringSkill wiki(bus_.endpoint(), "wiki.test", "Hamlet was written by Shakespeare.",
                              0.8);
  QuestionAnsweringSkill guess(bus_.endpoint(), "guess.test", "Perhaps Marlowe.", 0.6);
  std::string intent, speaker;
  EXPECT_EQ(ask("who wrote hamlet", &intent, &speaker), "Hamlet was written by Shakespeare.");
  EXPECT_EQ(intent, "question:action");
  EXPECT_EQ(speaker, "wiki.test");
  EXPECT_EQ(wiki.chosen()["phrase"], "who wrote hamlet");
  EXPECT_EQ(wiki.chosen()["callback_data"]["source"], "wiki.test");
  EXPECT_EQ(guess.questions(), 1);
  // Intents still come first, and what reads as no question is not asked.
  EXPECT_THAT(ask("what time is it", &intent), HasSubstr("3:05 PM"));
  EXPECT_EQ(intent, "hark-date-time:time.intent");
  ask("bake me a cake", nullptr, &speaker);
  EXPECT_EQ(speaker, "hark-unknown");
  ask("play some jazz music", nullptr, &speaker);
  EXPECT_EQ(speaker, "hark-unknown");
  EXPECT_EQ(wiki.questions(), 1);
}

TEST_F(Core, AQuestionSkillStillSearchingIsWaitedForAndUnsureAnswersAreNotSpoken) {
  // Without the extension a searching skill asks for, its answer (after 1 s) would come too late.
  start({{"intents", {{"common_query", {{"max_response_wait", 0.3}, {"extension_time", 3}}}}}});
  QuestionAnsweringSkill slow(bus_.endpoint(), "slow.test", "The moon is 384,400 km away.", 0.9,
                              1000ms);
  std::string speaker;
  EXPECT_EQ(ask("how far away is the moon", nullptr, &speaker), "The moon is 384,400 km away.");
  EXPECT_EQ(speaker, "slow.test");

  // A detached skill still hears the question (it is broadcast), but its sure answer no longer
  // counts, and the unsure one left is not spoken.
  QuestionAnsweringSkill unsure(bus_.endpoint(), "unsure.test", "Maybe blue?", 0.3);
  user_.emit(Message("detach_skill", {{"skill_id", "slow.test"}}));
  ask("what colour is the sky on mars", nullptr, &speaker);
  EXPECT_EQ(speaker, "hark-unknown");
  EXPECT_EQ(unsure.questions(), 1);
}

TEST_F(Core, WithoutTheUnknownFallbackNothingMatchedIsAFailure) {
  start({{"skills", {{"blacklisted_skills", {"hark-unknown"}}}}});
  auto failure = user_.wait_for_response(
      Message("recognizer_loop:utterance", {{"utterances", {"purple monkey dishwasher"}}}),
      "complete_intent_failure", 5s);
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->data()["utterances"][0], "purple monkey dishwasher");
}

TEST_F(Core, BlacklistedSkillsDoNotLoad) {
  start({{"skills", {{"blacklisted_skills", {"hark-timer"}}}}});
  auto list = user_.wait_for_response(Message("skillmanager.list"), "mycroft.skills.list", 5s);
  ASSERT_TRUE(list);
  EXPECT_EQ(list->data()["hark-timer"]["active"], false);
  EXPECT_EQ(list->data()["hark-date-time"]["active"], true);
  std::string intent;
  ask("set a timer for 5 minutes", &intent);
  EXPECT_NE(intent, "hark-timer:start_timer.intent");
}

TEST_F(Core, StopEmitsMycroftStop) {
  start();
  auto stopped = user_.wait_for_response(
      Message("recognizer_loop:utterance", {{"utterances", {"stop"}}}), "mycroft.stop", 5s);
  EXPECT_TRUE(stopped);
}

TEST_F(Core, ASkillRegisteredOverTheBusGetsItsIntentAndDetachLeavesNone) {
  start();
  user_.emit(Message("padatious:register_intent",
                     {{"name", "weather.test:forecast.intent"},
                      {"samples", {"what is the weather [like] in {city}", "weather forecast"}},
                      {"lang", "en-us"}}));
  user_.emit(Message(
      "register_vocab",
      {{"entity_value", "lights"}, {"entity_type", "lights_testLights"}, {"lang", "en-us"}}));
  user_.emit(
      Message("register_vocab",
              {{"entity_value", "turn on"}, {"entity_type", "lights_testOn"}, {"lang", "en-us"}}));
  user_.emit(
      Message("register_intent",
              {{"name", "lights.test:LightsOn"},
               {"requires", Json::array({Json::array({"lights_testLights", "lights_testLights"}),
                                         Json::array({"lights_testOn", "lights_testOn"})})}}));
  user_.wait_for_response(Message("mycroft.skills.train"), "mycroft.skills.trained", 5s);

  auto forecast = user_.wait_for_response(
      Message("recognizer_loop:utterance",
              {{"utterances", {"what is the weather like in paris"}}, {"lang", "en-us"}}),
      "weather.test:forecast.intent", 5s);
  ASSERT_TRUE(forecast);
  EXPECT_EQ(forecast->data()["city"], "paris");
  EXPECT_EQ(forecast->context()["skill_id"], "weather.test");

  auto lights = user_.wait_for_response(
      Message("recognizer_loop:utterance", {{"utterances", {"turn on the lights"}}}),
      "lights.test:LightsOn", 5s);
  ASSERT_TRUE(lights);
  EXPECT_EQ(lights->data()["lights_testLights"], "lights");

  auto query = user_.wait_for_response(
      Message("intent.service.intent.get", {{"utterance", "weather forecast"}, {"lang", "en-us"}}),
      "intent.service.intent.reply", 5s);
  ASSERT_TRUE(query);
  EXPECT_EQ(query->data()["intent"]["intent_name"], "weather.test:forecast.intent");
  EXPECT_EQ(query->data()["intent"]["skill_id"], "weather.test");

  user_.emit(Message("detach_skill", {{"skill_id", "weather.test"}}));
  auto after = user_.wait_for_response(
      Message("intent.service.intent.get", {{"utterance", "weather forecast"}, {"lang", "en-us"}}),
      "intent.service.intent.reply", 5s);
  ASSERT_TRUE(after);
  EXPECT_TRUE(after->data()["intent"].is_null());

  auto manifest = user_.wait_for_response(Message("intent.service.adapt.manifest.get"),
                                          "intent.service.adapt.manifest", 5s);
  ASSERT_TRUE(manifest);
  EXPECT_THAT(manifest->data()["intents"].dump(), HasSubstr("lights.test:LightsOn"));
}

TEST_F(Core, GivesTheListenerTheTemplateLinesOfItsIntents) {
  start({{"intents", {{"blacklisted_intents", {"hark-date-time:date.intent"}}}}});
  auto samples = user_.wait_for_response(Message("hark.intent.samples.get", {{"lang", "en-US"}}),
                                         "hark.intent.samples", 5s);
  ASSERT_TRUE(samples);
  const Json& intents = samples->data()["intents"];
  ASSERT_TRUE(intents.contains("hark-date-time:time.intent"));
  EXPECT_EQ(intents["hark-date-time:time.intent"][0], "what (time is it|is the time)");
  EXPECT_FALSE(intents.contains("hark-date-time:date.intent"));
  // The stop stage's sentences, which no skill registers.
  ASSERT_TRUE(intents.contains("stop:stop.intent"));
  EXPECT_EQ(intents["stop:stop.intent"][0], "stop");
  EXPECT_TRUE(intents.contains("stop:global_stop.intent"));
  EXPECT_TRUE(samples->data()["entities"].is_object());
  EXPECT_EQ(samples->data()["lang"], "en-us");
}

TEST_F(Core, AddContextLetsAKeywordIntentMatchWithoutItsKeyword) {
  start();
  for (const auto& [value, type] : {std::pair{"weather", "w_xWeather"}, {"tomorrow", "w_xWhen"}})
    user_.emit(Message("register_vocab", {{"entity_value", value}, {"entity_type", type}}));
  user_.emit(Message("register_intent",
                     {{"name", "w.x:Forecast"},
                      {"requires", Json::array({Json::array({"w_xWeather", "w_xWeather"}),
                                                Json::array({"w_xWhen", "w_xWhen"})})}}));
  auto query = [&] {
    auto reply = user_.wait_for_response(
        Message("intent.service.adapt.get", {{"utterance", "and tomorrow"}}),
        "intent.service.adapt.reply", 5s);
    return reply && reply->data()["intent"].is_object()
               ? reply->data()["intent"]["intent_name"].get<std::string>()
               : std::string();
  };
  EXPECT_EQ(query(), "");
  user_.emit(
      Message("add_context", {{"context", "w_xWeather"}, {"word", "weather"}, {"origin", "w.x"}}));
  EXPECT_EQ(query(), "w.x:Forecast");
  user_.emit(Message("remove_context", {{"context", "w_xWeather"}}));
  EXPECT_EQ(query(), "");
}

TEST_F(Core, ActiveSkillsAreReportedAndConversePingsThem) {
  start();
  ask("what time is it");
  auto active = user_.wait_for_response(Message("intent.service.active_skills.get"),
                                        "intent.service.active_skills.reply", 5s);
  ASSERT_TRUE(active);
  EXPECT_EQ(active->data()["skills"][0], "hark-date-time");
  // The next utterance asks the active skill first; it declines and the pipeline goes on.
  auto ping = std::make_shared<std::atomic<bool>>(false);
  user_.on("hark-date-time.converse.ping", [ping](const Message&) { *ping = true; });
  EXPECT_FALSE(ask("hello").empty());
  EXPECT_TRUE(*ping);
}

// skillmanager.deactivate / activate / keep (protocols.md §2.9): a deactivated skill keeps its
// registrations but none of its intents or fallbacks answers until it is activated again.
TEST_F(Core, DeactivatedSkillsDoNotMatchUntilActivatedAndKeepDeactivatesTheOthers) {
  start();
  auto manage = [&](const std::string& type, const std::string& skill) {
    auto answer =
        user_.wait_for_response(Message(type, {{"skill", skill}}), type + ".response", 5s);
    return answer ? answer->data() : Json();
  };
  auto listed_active = [&](const std::string& skill) {
    auto list = user_.wait_for_response(Message("skillmanager.list"), "mycroft.skills.list", 5s);
    return list ? list->data()[skill].value("active", false) : false;
  };
  std::string intent;
  ask("what time is it", &intent);
  EXPECT_EQ(intent, "hark-date-time:time.intent");

  EXPECT_EQ(manage("skillmanager.deactivate", "hark-date-time")["result"], true);
  EXPECT_FALSE(listed_active("hark-date-time"));
  std::string speaker;
  ask("what time is it", &intent, &speaker);
  EXPECT_EQ(intent, "");
  EXPECT_EQ(speaker, "hark-unknown");
  auto query = user_.wait_for_response(
      Message("intent.service.intent.get", {{"utterance", "what time is it"}}),
      "intent.service.intent.reply", 5s);
  ASSERT_TRUE(query);
  EXPECT_TRUE(query->data()["intent"].is_null());

  EXPECT_EQ(manage("skillmanager.activate", "hark-date-time")["result"], true);
  EXPECT_TRUE(listed_active("hark-date-time"));
  ask("what time is it", &intent);
  EXPECT_EQ(intent, "hark-date-time:time.intent");

  // keep: only the greetings answer; even the unknown fallback is off, so nothing answers.
  EXPECT_EQ(manage("skillmanager.keep", "hark-hello")["result"], true);
  EXPECT_FALSE(listed_active("hark-unknown"));
  ask("hello there", &intent);
  EXPECT_EQ(intent, "hark-hello:hello.intent");
  auto failure = user_.wait_for_response(
      Message("recognizer_loop:utterance", {{"utterances", {"what time is it"}}}),
      "complete_intent_failure", 5s);
  EXPECT_TRUE(failure);

  EXPECT_EQ(manage("skillmanager.activate", "all")["result"], true);
  ask("what time is it", &intent);
  EXPECT_EQ(intent, "hark-date-time:time.intent");
}

TEST_F(Core, SkillManagerRequestsForUnknownSkillsSayWhatIsWrong) {
  start();
  auto answer =
      user_.wait_for_response(Message("skillmanager.deactivate", {{"skill", "no-such-skill"}}),
                              "skillmanager.deactivate.response", 5s);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->data()["result"], false);
  EXPECT_THAT(answer->data().value("error", ""), HasSubstr("no-such-skill"));
  answer = user_.wait_for_response(Message("skillmanager.keep", {{"skill", 3}}),
                                   "skillmanager.keep.response", 5s);
  ASSERT_TRUE(answer);
  EXPECT_THAT(answer->data().value("error", ""), HasSubstr("\"skill\""));
  EXPECT_THAT(ask("what time is it"), HasSubstr("3:05 PM"));
}

TEST_F(Core, ASkillRegisteredOverTheBusCanBeDeactivated) {
  start();
  user_.emit(Message("padatious:register_intent",
                     {{"name", "coin.test:flip.intent"}, {"samples", {"flip a coin"}}}));
  user_.wait_for_response(Message("mycroft.skills.train"), "mycroft.skills.trained", 5s);
  auto matched = [&] {
    auto reply = user_.wait_for_response(
        Message("intent.service.intent.get", {{"utterance", "flip a coin"}}),
        "intent.service.intent.reply", 5s);
    return reply && reply->data()["intent"].is_object();
  };
  EXPECT_TRUE(matched());
  user_.emit(Message("skillmanager.deactivate", {{"skill", "coin.test"}}));
  EXPECT_FALSE(matched());
  user_.emit(Message("skillmanager.activate", {{"skill", "coin.test"}}));
  EXPECT_TRUE(matched());
}

// ovos.session.sync (protocols.md §1.5): the core answers with the device's session, and
// announces it again when its active skills change; other sessions keep their own.
TEST_F(Core, SessionSyncAnswersTheDefaultSessionAndOtherSessionsStayApart) {
  start();
  ask("what time is it");
  auto sync = [&] {
    auto update =
        user_.wait_for_response(Message("ovos.session.sync"), "ovos.session.update_default", 5s);
    return update ? update->data()["session_data"] : Json();
  };
  Json session = sync();
  EXPECT_EQ(session["session_id"], "default");
  EXPECT_EQ(session["lang"], "en-us");
  ASSERT_TRUE(session["active_skills"].is_array());
  ASSERT_FALSE(session["active_skills"].empty());
  EXPECT_EQ(session["active_skills"][0][0], "hark-date-time");
  EXPECT_GT(session["active_skills"][0][1].get<double>(), 1.7e9);  // unix time
  EXPECT_THAT(session["pipeline"].dump(), HasSubstr("padatious_high"));

  // An utterance of the default session announces the session it changed.
  auto announced =
      user_.wait_for_response(Message("recognizer_loop:utterance", {{"utterances", {"hello"}}}),
                              "ovos.session.update_default", 5s);
  ASSERT_TRUE(announced);
  EXPECT_EQ(announced->data()["session_data"]["active_skills"][0][0], "hark-hello");

  // A remote client's session: its activations are its own, its language comes from it.
  user_.emit(Message(
      "padatious:register_intent",
      {{"name", "uhr.test:zeit.intent"}, {"samples", {"wie viel uhr ist es"}}, {"lang", "de-de"}}));
  const Json remote = {{"session", {{"session_id", "remote-1"}, {"lang", "de-DE"}}}};
  auto german = user_.wait_for_response(
      Message("recognizer_loop:utterance", {{"utterances", {"wie viel uhr ist es"}}}, remote),
      "uhr.test:zeit.intent", 5s);
  ASSERT_TRUE(german);
  EXPECT_EQ(german->data()["lang"], "de-de");
  session = sync();
  EXPECT_EQ(session["active_skills"][0][0], "hark-hello");
  auto active = user_.wait_for_response(Message("intent.service.active_skills.get", {}, remote),
                                        "intent.service.active_skills.reply", 5s);
  ASSERT_TRUE(active);
  EXPECT_EQ(active->data()["skills"], Json::array({"uhr.test"}));
}

TEST_F(Core, MalformedMessagesAreReportedAndTheCoreKeepsAnswering) {
  start();
  user_.emit(Message("padatious:register_intent", {{"name", 5}}));
  user_.emit(Message("register_intent", {{"name", "x:y"}, {"requires", "nonsense"}}));
  user_.emit(Message("recognizer_loop:utterance", {{"utterances", "not a list"}}));
  user_.emit(Message("padatious:register_intent",
                     {{"name", "bad.test:broken.intent"}, {"samples", {"(unbalanced"}}}));
  EXPECT_THAT(ask("what time is it"), HasSubstr("3:05 PM"));
}

}  // namespace
}  // namespace hark::pipeline
