#include "config/watcher.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "config/settings.h"
#include "config/test_support.h"

namespace hark::config {
namespace {

using fixtures::replace_file;
using fixtures::TempDir;
using fixtures::write_file;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// Generous: the watcher settles for 100 ms, but sanitizer builds on a busy machine are slow.
constexpr auto kTimeout = std::chrono::seconds(10);

constexpr Setting kBusSettings[] = {
    {"websocket.port", Type::Integer, "TCP port", 1, 65535, Apply::Restart},
    {"websocket.host", Type::String, "address", 1, 255, Apply::Restart},
};

// What the io thread reports: configuration changes, validator calls and log lines. Tests wait
// on these rather than sleeping, so they are as fast as the watcher and do not flake when it is
// slow.
class Events {
 public:
  struct Change {
    Json before;
    Json after;
  };

  void add_change(const Json& before, const Json& after) {
    notify([&] { changes_.push_back({before, after}); });
  }
  void add_validation() {
    notify([&] { ++validations_; });
  }
  void add_log(std::string line) {
    notify([&] { logs_.push_back(std::move(line)); });
  }

  bool wait_for_changes(std::size_t count) {
    return wait([&] { return changes_.size() >= count; });
  }
  bool wait_for_validations(int count) {
    return wait([&] { return validations_ >= count; });
  }
  bool wait_for_log(const std::string& part) {
    return wait([&] {
      return std::any_of(logs_.begin(), logs_.end(),
                         [&](const auto& line) { return line.find(part) != std::string::npos; });
    });
  }

  std::vector<Change> changes() {
    std::lock_guard lock(mutex_);
    return changes_;
  }
  int validations() {
    std::lock_guard lock(mutex_);
    return validations_;
  }

 private:
  template <typename F>
  void notify(F update) {
    {
      std::lock_guard lock(mutex_);
      update();
    }
    changed_.notify_all();
  }
  template <typename P>
  bool wait(P done) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kTimeout, done);
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Change> changes_;
  int validations_ = 0;
  std::vector<std::string> logs_;
};

class CaptureSink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit CaptureSink(Events& events) : events_(events) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    events_.add_log(std::string(msg.payload.begin(), msg.payload.end()));
  }
  void flush_() override {}

 private:
  Events& events_;
};

class LiveConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    previous_logger_ = spdlog::default_logger();
    auto logger = std::make_shared<spdlog::logger>(
        "watcher_test", spdlog::sinks_init_list{std::make_shared<CaptureSink>(events_),
                                                std::make_shared<spdlog::sinks::stderr_sink_mt>()});
    spdlog::set_default_logger(logger);
  }

  void TearDown() override {
    work_.reset();
    io_.stop();
    if (runner_.joinable()) runner_.join();
    live_.reset();
    spdlog::set_default_logger(previous_logger_);
  }

  // Builds the LiveConfig before the io thread runs: the constructor loads while the watcher is
  // already registered, and nothing else may touch it until it returns.
  void Start(bool validate_bus_settings = false) {
    StartValidating([validate_bus_settings](const Json& candidate) {
      return validate_bus_settings ? validate(candidate, kBusSettings) : std::vector<std::string>{};
    });
  }

  void StartValidating(LiveConfig::Validator check) {
    LiveConfig::Validator validator = [this, check = std::move(check)](const Json& candidate) {
      events_.add_validation();
      return check(candidate);
    };
    live_ = std::make_unique<LiveConfig>(io_, layers_, Json::object(), std::move(validator));
    live_->on_change(
        [this](const Json& before, const Json& after) { events_.add_change(before, after); });
    runner_ = std::thread([this] { io_.run(); });
  }

  // The current configuration, read on the io thread that changes it.
  Json Current() {
    std::promise<Json> result;
    boost::asio::post(io_, [&] { result.set_value(live_->current()); });
    return result.get_future().get();
  }

  static Json Port(int port) { return Json{{"websocket", {{"port", port}}}}; }
  static std::string PortFile(int port) { return Port(port).dump(); }

  TempDir dir_;
  const std::filesystem::path system_file_ = dir_ / "etc/mycroft/mycroft.conf";
  const std::filesystem::path user_file_ = dir_ / "home/.config/mycroft/mycroft.conf";
  const std::vector<Layer> layers_ = {
      {"default", ""}, {"system", system_file_}, {"user", user_file_}};
  Events events_;

 private:
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_{
      io_.get_executor()};
  std::thread runner_;
  std::unique_ptr<LiveConfig> live_;
  std::shared_ptr<spdlog::logger> previous_logger_;
};

TEST_F(LiveConfigTest, PicksUpAnEditedUserFile) {
  write_file(system_file_, R"({"websocket": {"port": 9000, "host": "0.0.0.0"}})");
  write_file(user_file_, PortFile(9001));
  Start();
  EXPECT_EQ(Current()["websocket"]["port"], 9001);

  write_file(user_file_, PortFile(9002));
  ASSERT_TRUE(events_.wait_for_changes(1));
  const auto change = events_.changes().at(0);
  EXPECT_EQ(change.before["websocket"]["port"], 9001);
  EXPECT_EQ(change.after["websocket"]["port"], 9002);
  EXPECT_EQ(change.after["websocket"]["host"], "0.0.0.0");
  EXPECT_EQ(Current(), change.after);
}

TEST_F(LiveConfigTest, PicksUpAFileReplacedByRename) {
  write_file(user_file_, PortFile(9001));
  Start();

  replace_file(user_file_, PortFile(9002));
  ASSERT_TRUE(events_.wait_for_changes(1));
  EXPECT_EQ(events_.changes().at(0).after["websocket"]["port"], 9002);

  replace_file(user_file_, PortFile(9003));
  ASSERT_TRUE(events_.wait_for_changes(2));
  EXPECT_EQ(events_.changes().at(1).before["websocket"]["port"], 9002);
  EXPECT_EQ(events_.changes().at(1).after["websocket"]["port"], 9003);
}

TEST_F(LiveConfigTest, PicksUpSystemEditsUnderTheUserFile) {
  write_file(system_file_, R"({"lang": "en-US", "websocket": {"port": 9000}})");
  write_file(user_file_, PortFile(9001));
  Start();

  write_file(system_file_, R"({"lang": "de-DE", "websocket": {"port": 9999}})");
  ASSERT_TRUE(events_.wait_for_changes(1));
  EXPECT_EQ(events_.changes().at(0).after["lang"], "de-DE");
  EXPECT_EQ(events_.changes().at(0).after["websocket"]["port"], 9001);
}

TEST_F(LiveConfigTest, KeepsTheLastGoodConfigWhenAnEditIsMalformed) {
  write_file(user_file_, PortFile(9001));
  Start();

  write_file(user_file_, "{\n  \"websocket\": {\"port\": 9002,}\n}\n");
  ASSERT_TRUE(events_.wait_for_log(
      "configuration not reloaded, keeping the last good one: " + user_file_.string() + ":2:"));
  EXPECT_THAT(events_.changes(), IsEmpty());
  EXPECT_EQ(Current()["websocket"]["port"], 9001);

  write_file(user_file_, PortFile(9003));
  ASSERT_TRUE(events_.wait_for_changes(1));
  ASSERT_EQ(events_.changes().size(), 1u);
  EXPECT_EQ(events_.changes().at(0).before["websocket"]["port"], 9001);
  EXPECT_EQ(events_.changes().at(0).after["websocket"]["port"], 9003);
}

TEST_F(LiveConfigTest, DoesNotApplyAConfigThatFailsValidation) {
  write_file(user_file_, PortFile(9001));
  Start(true);

  write_file(user_file_, PortFile(70000));
  ASSERT_TRUE(events_.wait_for_log("websocket.port: must be 1..65535 (got 70000)"));
  EXPECT_THAT(events_.changes(), IsEmpty());
  EXPECT_EQ(Current()["websocket"]["port"], 9001);

  write_file(user_file_, PortFile(9002));
  ASSERT_TRUE(events_.wait_for_changes(1));
  EXPECT_EQ(events_.changes().at(0).before["websocket"]["port"], 9001);
  EXPECT_EQ(events_.changes().at(0).after["websocket"]["port"], 9002);
}

TEST_F(LiveConfigTest, PicksUpAUserFolderCreatedLater) {
  ASSERT_FALSE(std::filesystem::exists(dir_ / "home"));
  Start();
  EXPECT_EQ(Current()["websocket"]["port"], 8181);

  write_file(user_file_, PortFile(9005));  // creates home/.config/mycroft first
  ASSERT_TRUE(events_.wait_for_changes(1));
  EXPECT_EQ(events_.changes().at(0).after["websocket"]["port"], 9005);

  // The new folder itself is watched from now on.
  write_file(user_file_, PortFile(9006));
  ASSERT_TRUE(events_.wait_for_changes(2));
  EXPECT_EQ(events_.changes().at(1).after["websocket"]["port"], 9006);
}

TEST_F(LiveConfigTest, ListenersRunOnlyWhenSomethingChanged) {
  write_file(user_file_, PortFile(9001));
  Start();
  const int before = events_.validations();

  write_file(user_file_, "{ \"websocket\": {\"port\": 9001} }");  // new text, same values
  ASSERT_TRUE(events_.wait_for_validations(before + 1));
  write_file(user_file_, PortFile(9002));
  ASSERT_TRUE(events_.wait_for_changes(1));
  EXPECT_EQ(events_.changes().size(), 1u);
}

TEST_F(LiveConfigTest, StartsWithoutABrokenUserFile) {
  write_file(system_file_, PortFile(9000));
  write_file(user_file_, "{\"websocket\": {\"port\": 9001");
  Start();
  EXPECT_TRUE(events_.wait_for_log("configuration ignored: " + user_file_.string() + ":1:"));
  EXPECT_EQ(Current()["websocket"]["port"], 9000);

  write_file(user_file_, PortFile(9001));  // fixed: applies like any edit
  ASSERT_TRUE(events_.wait_for_changes(1));
  EXPECT_EQ(events_.changes().at(0).before["websocket"]["port"], 9000);
  EXPECT_EQ(events_.changes().at(0).after["websocket"]["port"], 9001);
}

TEST_F(LiveConfigTest, StartsWithTheValidSettingsOfAFileThatHasAnInvalidOne) {
  write_file(system_file_, PortFile(9000));
  write_file(user_file_, R"({"websocket": {"port": 0, "host": "0.0.0.0"}})");
  Start(true);
  EXPECT_TRUE(events_.wait_for_log("invalid setting in " + user_file_.string() +
                                   ": websocket.port: must be 1..65535 (got 0); keeping 9000"));
  EXPECT_EQ(Current()["websocket"]["port"], 9000);
  EXPECT_EQ(Current()["websocket"]["host"], "0.0.0.0");
}

TEST_F(LiveConfigTest, AnEditKeepsTheLastGoodValueOfAnInvalidSettingAndAppliesTheRest) {
  write_file(user_file_, PortFile(9001));
  Start(true);

  write_file(user_file_, R"({"websocket": {"port": 70000, "host": "0.0.0.0"}})");
  ASSERT_TRUE(events_.wait_for_changes(1));
  EXPECT_TRUE(events_.wait_for_log("websocket.port: must be 1..65535 (got 70000); keeping 9001"));
  EXPECT_EQ(events_.changes().at(0).after["websocket"]["port"], 9001);
  EXPECT_EQ(events_.changes().at(0).after["websocket"]["host"], "0.0.0.0");
}

TEST_F(LiveConfigTest, StartsWithoutAFileWhoseProblemNamesNoSetting) {
  write_file(system_file_, PortFile(9000));
  write_file(user_file_, PortFile(9001));
  StartValidating([](const Json& c) {
    return c["websocket"]["port"] == 9001 ? std::vector<std::string>{"9001 is taken"}
                                          : std::vector<std::string>{};
  });
  EXPECT_TRUE(events_.wait_for_log("leaving out the user configuration " + user_file_.string()));
  EXPECT_EQ(Current()["websocket"]["port"], 9000);
}

TEST(LiveConfig, RefusesToStartWhenNoLayerCanBeLeftOut) {
  boost::asio::io_context io;
  const auto reject_all = [](const Json&) { return std::vector<std::string>{"no"}; };
  EXPECT_THROW(LiveConfig(io, {{"default", ""}}, Json::object(), reject_all), std::runtime_error);
}

}  // namespace
}  // namespace hark::config
