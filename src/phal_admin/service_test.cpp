// `hark phal-admin` on a real bus, running real commands: the command table points each action
// at a harmless program (touch, sh, sleep) that leaves a trace in a folder of the test's own, so
// the tests can tell that an allowed action ran and that a refused one did not.
#include <gtest/gtest.h>

#include <stdlib.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "client/bus_client.h"
#include "client/testing.h"

namespace hark::phal_admin {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

class PhalAdminTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    if (!testing::available(testing::BusKind::Hark, &why)) GTEST_SKIP() << why;
    std::string pattern = (fs::temp_directory_path() / "hark-phal-admin-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    traces_ = pattern;
  }

  void TearDown() override {
    admin_.reset();
    if (!traces_.empty()) fs::remove_all(traces_);
  }

  // A file that a command creates when it runs.
  std::string trace(const std::string& name) const { return (traces_ / name).string(); }

  // Starts a bus and phal-admin with this PHAL.admin.ovos-PHAL-plugin-system section in the user
  // configuration (over the built-in defaults), and `options` before the subcommand.
  void start(Json section, std::vector<std::string> options = {}) {
    bus_ = std::make_unique<testing::TestBus>(
        testing::BusKind::Hark,
        Json{{"PHAL", {{"admin", {{"ovos-PHAL-plugin-system", std::move(section)}}}}}});
    std::vector<std::string> argv{testing::hark_binary()};
    argv.insert(argv.end(), options.begin(), options.end());
    argv.push_back("phal-admin");
    admin_ = std::make_unique<testing::Process>(argv, bus_->home().environment(), true);
    client_ = std::make_unique<client::BusClient>(bus_->endpoint());
    client_->start();
    ASSERT_TRUE(testing::eventually([&] {
      auto answer = client_->wait_for_response(Message("mycroft.PHAL.admin.is_ready"), 200ms);
      return answer && answer->data().value("status", false);
    })) << "hark phal-admin never became ready";
  }

  // Sends `request` and returns the first of `replies` that comes back, or nothing by the
  // deadline.
  std::optional<Message> ask(const Message& request, const std::vector<std::string>& replies,
                             std::chrono::milliseconds timeout = 5s) {
    std::mutex mutex;
    std::condition_variable arrived;
    std::optional<Message> first;
    std::vector<client::BusClient::HandlerId> handlers;
    for (const auto& type : replies) {
      handlers.push_back(client_->on(type, [&](const Message& m) {
        std::lock_guard lock(mutex);
        if (!first) first = m;
        arrived.notify_all();
      }));
    }
    client_->emit(request);
    std::optional<Message> result;
    {
      std::unique_lock lock(mutex);
      arrived.wait_for(lock, timeout, [&] { return first.has_value(); });
      result = first;
    }
    for (auto id : handlers) client_->off(id);
    return result;
  }

  fs::path traces_;
  std::unique_ptr<testing::TestBus> bus_;
  std::unique_ptr<testing::Process> admin_;
  std::unique_ptr<client::BusClient> client_;
};

TEST_F(PhalAdminTest, RefusesAnActionNotAllowedAndRunsNothing) {
  // The default allow list is empty.
  start({{"commands", {{"reboot", {"touch", trace("rebooted")}}}}});
  auto reply = ask(Message("system.reboot"), {"system.reboot.failed", "system.reboot.start"});
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->type(), "system.reboot.failed");
  EXPECT_EQ(reply->data()["action"], "reboot");
  EXPECT_EQ(reply->data()["error"],
            "refused: 'reboot' is not allowed (PHAL.admin.ovos-PHAL-plugin-system.allow lists "
            "what phal-admin may run)");
  EXPECT_TRUE(admin_->wait_for_stderr("system.reboot (reboot): refused", 3s));
  EXPECT_FALSE(fs::exists(trace("rebooted")));
  EXPECT_TRUE(admin_->running());
}

TEST_F(PhalAdminTest, RunsAnAllowedActionAndAnnouncesIt) {
  start({{"allow", {"reboot", "ssh.enable"}},
         {"commands",
          {{"reboot", {"touch", trace("rebooted")}}, {"ssh.enable", {"touch", trace("ssh")}}}}});
  auto starting = ask(Message("system.reboot", {{"display", false}}),
                      {"system.reboot.start", "system.reboot.failed"});
  ASSERT_TRUE(starting);
  EXPECT_EQ(starting->type(), "system.reboot.start");
  EXPECT_EQ(starting->data(), Json({{"display", false}}));
  EXPECT_TRUE(testing::eventually([&] { return fs::exists(trace("rebooted")); }));
  EXPECT_TRUE(admin_->wait_for_stderr("reboot: running touch ", 3s));

  // Announced after the command succeeded, so the trace is there by then.
  auto enabled =
      ask(Message("system.ssh.enable"), {"system.ssh.enabled", "system.ssh.enable.failed"});
  ASSERT_TRUE(enabled);
  EXPECT_EQ(enabled->type(), "system.ssh.enabled");
  EXPECT_TRUE(fs::exists(trace("ssh")));
}

TEST_F(PhalAdminTest, AFailingCommandIsAnErrorReplyWithItsOutput) {
  start({{"allow", {"clock.sync"}},
         {"commands", {{"clock.sync", {"sh", "-c", "echo no time server >&2; exit 3"}}}}});
  auto reply = ask(Message("system.ntp.sync"), {"system.ntp.sync.failed", "system.clock.synced"});
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->type(), "system.ntp.sync.failed");
  EXPECT_EQ(reply->data()["error"], "sh failed: exit code 3 (no time server)");
  EXPECT_TRUE(admin_->wait_for_stderr("clock.sync: | no time server", 3s));
}

TEST_F(PhalAdminTest, AProgramThatCannotRunIsAnErrorReply) {
  start({{"allow", {"shutdown"}}, {"commands", {{"shutdown", {"/nonexistent/poweroff"}}}}});
  auto reply = ask(Message("system.shutdown"), {"system.shutdown.failed"});
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->data()["error"],
            "/nonexistent/poweroff failed: exit code 127 (cannot execute /nonexistent/poweroff: "
            "no such file)");
}

TEST_F(PhalAdminTest, KillsACommandThatOutlivesTheTimeout) {
  start({{"allow", {"service.restart", "ssh.status"}},
         {"timeout", 0.3},
         {"commands", {{"service.restart", {"sleep", "30"}}, {"ssh.status", {"true"}}}}});
  auto started = std::chrono::steady_clock::now();
  auto reply = ask(Message("system.mycroft.service.restart"),
                   {"system.mycroft.service.restart.failed"}, 10s);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->data()["error"], "sleep did not finish within 0.3 s and was killed");
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
  // And the next request is served.
  EXPECT_TRUE(ask(Message("system.ssh.status"), {"system.ssh.status.response"}));
}

TEST_F(PhalAdminTest, SshStatusAnswersWithTheExitStatus) {
  start({{"allow", {"ssh.status"}}, {"commands", {{"ssh.status", {"true"}}}}});
  auto reply = ask(Message("system.ssh.status"), {"system.ssh.status.response"});
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->data(), Json({{"enabled", true}}));
}

TEST_F(PhalAdminTest, SshStatusIsFalseWhenTheCheckExitsNonZero) {
  start({{"allow", {"ssh.status"}}, {"commands", {{"ssh.status", {"false"}}}}});
  auto reply = ask(Message("system.ssh.status"), {"system.ssh.status.response"});
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->data(), Json({{"enabled", false}}));
}

TEST_F(PhalAdminTest, RefusesAnotherSession) {
  start({{"allow", {"reboot"}}, {"commands", {{"reboot", {"touch", trace("rebooted")}}}}});
  auto reply =
      ask(Message("system.reboot", Json::object(), {{"session", {{"session_id", "satellite-1"}}}}),
          {"system.reboot.failed", "system.reboot.start"});
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->type(), "system.reboot.failed");
  EXPECT_EQ(reply->data()["error"], "refused: the request is not from this device's session");
  EXPECT_FALSE(fs::exists(trace("rebooted")));
}

TEST_F(PhalAdminTest, AnUnknownActionInTheAllowListIsReportedAndNothingIsAllowed) {
  // A layer that does not validate is left out as a whole: here the --config one, which
  // allowed more than the user's file.
  std::ofstream(trace("bad.conf"))
      << R"({"PHAL": {"admin": {"ovos-PHAL-plugin-system": {"allow": ["rebot"]}}}})";
  start({{"commands", {{"reboot", {"touch", trace("rebooted")}}}}},
        {"--config", trace("bad.conf")});
  EXPECT_TRUE(admin_->wait_for_stderr(
      "PHAL.admin.ovos-PHAL-plugin-system.allow: unknown action 'rebot' (known: reboot, "
      "shutdown, ssh.enable, ssh.disable, ssh.status, clock.sync, service.restart)",
      3s));
  auto reply = ask(Message("system.reboot"), {"system.reboot.failed"});
  ASSERT_TRUE(reply);
  EXPECT_FALSE(fs::exists(trace("rebooted")));
}

}  // namespace
}  // namespace hark::phal_admin
