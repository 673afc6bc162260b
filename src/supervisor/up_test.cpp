// `hark up` as a user runs it: real services (the bus, PHAL, commands of the user's), killed,
// crashing, stopped; observed through `hark status`, `hark logs`, the bus and /proc.
#include <signal.h>
#include <sys/stat.h>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "client/bus_client.h"
#include "client/testing.h"
#include "core/json.h"
#include "supervisor/fake_systemd.h"

namespace hark::supervisor {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

// The process group of a live process, from /proc/<pid>/stat; -1 when it is gone.
long process_group(long pid) {
  std::ifstream stat(fmt::format("/proc/{}/stat", pid));
  std::string text((std::istreambuf_iterator<char>(stat)), {});
  auto close = text.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream fields(text.substr(close + 2));
  std::string state;
  long parent = 0, group = -1;
  fields >> state >> parent >> group;
  return state == "Z" ? -1 : group;
}

// Every live process in one of `groups`.
std::vector<long> processes_in(const std::set<long>& groups) {
  std::vector<long> found;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    auto name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    long pid = std::stol(name);
    if (groups.contains(process_group(pid))) found.push_back(pid);
  }
  return found;
}

// The stack as far as this hark has it.
const std::vector<std::string> kStack = {"bus", "core", "phal"};

class UpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    if (!testing::available(testing::BusKind::Hark, &why)) GTEST_SKIP() << why;
    port_ = testing::free_port();
  }

  void TearDown() override {
    if (up_ && up_->running()) {
      up_->signal(SIGTERM);
      up_->finish(10s);
    }
  }

  // A user configuration with this `hark.up` section.
  void configure(Json up) {
    up["restart_delay"] = up.value("restart_delay", 0.05);
    Json config = {{"websocket", {{"port", port_}}}, {"hark", {{"up", up}}}};
    home_.write_user_config(config.dump(2));
  }

  std::vector<std::string> environment() const {
    auto environment = home_.environment();
    // No sound server: PHAL must say so and run anyway.
    environment.push_back("PULSE_SERVER=unix:/nonexistent/pulse/native");
    if (const char* notify = std::getenv("NOTIFY_SOCKET")) {
      environment.push_back(std::string("NOTIFY_SOCKET=") + notify);
    }
    return environment;
  }

  void start(bool capture = false) {
    up_ = std::make_unique<testing::Process>(std::vector<std::string>{testing::hark_binary(), "up"},
                                             environment(), capture);
  }

  testing::Finished hark(std::vector<std::string> args) {
    args.insert(args.begin(), testing::hark_binary());
    return testing::run(args, environment(), 5s);
  }

  // The services as `hark status --json` lists them, by name; empty while none answers.
  std::map<std::string, Json> status() {
    auto result = hark({"status", "--json"});
    std::map<std::string, Json> services;
    if (result.exit_code != 0) return services;
    Json answer = Json::parse(result.out);
    for (const auto& s : answer["services"]) {
      services[s["name"].get<std::string>()] = s;
    }
    return services;
  }

  bool all_ready(std::chrono::milliseconds timeout = 10s) {
    return testing::eventually(
        [&] {
          auto services = status();
          return !services.empty() &&
                 std::all_of(services.begin(), services.end(),
                             [](const auto& s) { return s.second.value("ready", false); });
        },
        timeout);
  }

  std::string logs(const std::string& service = "") {
    auto result = service.empty() ? hark({"logs"}) : hark({"logs", service});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.out;
  }

  // `hark utter` gets the core's spoken answer (its wording varies: "It's 9:30 AM.").
  ::testing::AssertionResult answers_an_utterance() {
    auto result = hark({"utter", "what time is it"});
    bool told_the_time =
        result.out.find(" AM") != std::string::npos || result.out.find(" PM") != std::string::npos;
    if (result.exit_code == 0 && told_the_time) {
      return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << "hark utter: exit code " << result.exit_code
                                         << ", out: " << result.out << ", err: " << result.err;
  }

  client::Endpoint endpoint() const {
    client::Endpoint e;
    e.port = port_;
    return e;
  }

  testing::TempHome home_;
  unsigned short port_ = 0;
  std::unique_ptr<testing::Process> up_;
};

TEST_F(UpTest, StartsEachServiceOnceTheOneBeforeIsReady) {
  configure({{"services", kStack}});
  start();
  ASSERT_TRUE(all_ready()) << logs();
  auto services = status();
  for (const auto& name : kStack) EXPECT_EQ(services[name]["state"], "ready") << name;
  EXPECT_GT(services["phal"]["pid"].get<long>(), 0);
  EXPECT_EQ(services["phal"]["restarts"], 0);

  auto supervisor = logs("up");
  std::size_t previous = 0;
  for (const auto& name : kStack) {
    auto ready = supervisor.find(name + " ready in");
    ASSERT_NE(ready, std::string::npos) << supervisor;
    EXPECT_GE(ready, previous) << name << " was ready before the service listed before it";
    previous = ready;
  }
  // Each service's lines carry its name.
  EXPECT_NE(logs("phal").find("phal      | "), std::string::npos) << logs("phal");
  EXPECT_NE(logs("phal").find("no sound server"), std::string::npos) << logs("phal");
  EXPECT_EQ(logs("phal").find("bus       | "), std::string::npos);
  // The supervisor says once for the stack that nothing will be heard.
  std::string no_sound = "no sound server at /nonexistent/pulse/native";
  auto said = supervisor.find(no_sound);
  EXPECT_NE(said, std::string::npos) << supervisor;
  EXPECT_EQ(supervisor.find(no_sound, said + 1), std::string::npos) << supervisor;

  // Readiness is what OVOS services ask.
  client::BusClient client(endpoint());
  client.start();
  auto answer = client.wait_for_response(Message("mycroft.PHAL.is_ready"), 3s);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->data()["status"], true);
  EXPECT_TRUE(answers_an_utterance());

  auto table = hark({"status"});
  EXPECT_EQ(table.exit_code, 0);
  EXPECT_NE(table.out.find("SERVICE"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("phal         ready"), std::string::npos) << table.out;
}

// As a Type=notify systemd service: READY=1 once the last service is ready, STOPPING=1 at SIGTERM.
// `hark ready`, the containers' health check, agrees.
TEST_F(UpTest, TellsSystemdWhenTheStackIsReadyAndWhenItStops) {
  configure({{"services", kStack}});
  FakeSystemd systemd(home_.path().string() + "/notify");
  start();
  EXPECT_EQ(systemd.receive(30), "READY=1") << logs();
  for (const auto& [name, service] : status()) EXPECT_EQ(service["state"], "ready") << name;
  for (std::string name : {"bus", "skills", "PHAL"}) {
    auto ready = hark({"ready", name});
    EXPECT_EQ(ready.exit_code, 0) << name << ": " << ready.err;
  }
  auto nobody = hark({"ready", "nobody", "--timeout", "0.3"});
  EXPECT_NE(nobody.exit_code, 0);
  EXPECT_NE(nobody.err.find("no answer to mycroft.nobody.is_ready within 0.3 s"), std::string::npos)
      << nobody.err;

  up_->signal(SIGTERM);
  EXPECT_EQ(systemd.receive(), "STOPPING=1");
  EXPECT_EQ(up_->finish(10s).exit_code, 0);
}

// How fast is measured by bench/stack_figures.sh (a timed assertion failed under ASan: 1008 ms).
TEST_F(UpTest, AKilledServiceIsRestartedAndReadyAgain) {
  configure({{"services", kStack}});
  start();
  ASSERT_TRUE(all_ready()) << logs();
  client::BusClient client(endpoint());
  client.start();
  ASSERT_TRUE(client.wait_connected(3s));

  for (std::string name : {"phal", "core", "bus"}) {
    long pid = status()[name]["pid"];
    ASSERT_EQ(::kill(static_cast<pid_t>(pid), SIGKILL), 0);
    ASSERT_TRUE(testing::eventually(
        [&] {
          auto s = status()[name];
          return s["ready"] == true && s["pid"] != pid;
        },
        5s))
        << name << ": " << logs();
    EXPECT_EQ(status()[name]["restarts"], 1);
    EXPECT_NE(logs("up").find(name + " exited (killed by SIGKILL)"), std::string::npos);
    // The client, PHAL and the core found the (new) bus again: an utterance sent before the
    // core is back on it is lost, as on OVOS's bus.
    for (const char* service : {"PHAL", "skills"}) {
      ASSERT_TRUE(testing::eventually(
          [&] {
            auto answer = client.wait_for_response(
                Message(std::string("mycroft.") + service + ".is_ready"), 200ms);
            return answer && answer->data()["status"] == true;
          },
          3s))
          << name << ": " << service;
    }
    EXPECT_TRUE(answers_an_utterance()) << "after " << name << " was killed";
  }
}

TEST_F(UpTest, GivesUpOnACrashLoopReportsItAndGoesOn) {
  configure(
      {{"services", {"bus", "flaky", "phal"}},
       {"crash_loop_count", 3},
       {"commands", {{"flaky", {{"command", {"/bin/sh", "-c", "echo about to fail; exit 3"}}}}}}});
  start();
  ASSERT_TRUE(testing::eventually([&] {
    auto services = status();
    return services["flaky"]["state"] == "failed" && services["phal"]["ready"] == true;
  })) << logs();
  auto flaky = status()["flaky"];
  EXPECT_EQ(flaky["last_exit"], "exit code 3");
  EXPECT_EQ(flaky["restarts"], 2);
  EXPECT_EQ(flaky["pid"], nullptr);
  EXPECT_NE(logs("flaky").find("flaky     | about to fail"), std::string::npos) << logs();
  EXPECT_NE(logs("up").find("flaky crashed 3 times within 60 s (last: exit code 3): giving up"),
            std::string::npos)
      << logs("up");

  // Asked to try again, it loops again and is reported on the bus.
  client::BusClient client(endpoint());
  client.start();
  ASSERT_TRUE(client.wait_connected(3s));
  std::optional<Message> failed;
  std::thread listener([&] { failed = client.wait_for_message("hark.service.failed", 5s); });
  // Three more crashes take long enough for the listener to have subscribed.
  EXPECT_EQ(hark({"restart", "flaky"}).exit_code, 0);
  listener.join();
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->data(), Json({{"name", "flaky"}, {"exit", "exit code 3"}, {"crashes", 3}}));
}

TEST_F(UpTest, RestartsOneServiceOnRequest) {
  configure({{"services", {"bus", "phal"}}});
  start();
  ASSERT_TRUE(all_ready()) << logs();
  long before = status()["phal"]["pid"];
  auto result = hark({"restart", "phal"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  ASSERT_TRUE(testing::eventually([&] {
    auto phal = status()["phal"];
    return phal["ready"] == true && phal["pid"] != before;
  }));
  EXPECT_EQ(status()["phal"]["last_exit"], "exit code 0");  // it stopped cleanly on SIGTERM

  auto unknown = hark({"restart", "nosuch"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("no service named 'nosuch'"), std::string::npos) << unknown.err;
}

TEST_F(UpTest, SigtermStopsEverythingLastFirstAndLeavesNoProcess) {
  configure({{"services", {"bus", "phal", "worker"}},
             // A service with a child of its own: the whole group must go.
             {"commands", {{"worker", {{"command", {"/bin/sh", "-c", "sleep 1000 & wait"}}}}}}});
  start(true);
  ASSERT_TRUE(all_ready());
  std::set<long> groups;
  for (auto& [name, s] : status()) groups.insert(s["pid"].get<long>());
  ASSERT_TRUE(testing::eventually([&] { return processes_in(groups).size() >= 4; }))
      << "expected bus, phal, sh and sleep";

  up_->signal(SIGTERM);
  auto finished = up_->finish(15s);
  EXPECT_EQ(finished.exit_code, 0) << finished.out;
  EXPECT_EQ(processes_in(groups), std::vector<long>{});
  auto worker = finished.out.find("worker stopped");
  auto phal = finished.out.find("phal stopped");
  auto bus = finished.out.find("bus stopped");
  ASSERT_NE(bus, std::string::npos) << finished.out;
  EXPECT_LT(worker, phal);
  EXPECT_LT(phal, bus);
}

TEST_F(UpTest, AServiceThatIgnoresSigtermGetsSigkillAfterTheStopTimeout) {
  configure(
      {{"services", {"bus", "stubborn"}},
       {"stop_timeout", 0.3},
       {"commands",
        {{"stubborn",
          {{"command",
            {"/bin/sh", "-c", "trap '' TERM; echo trapped; while :; do sleep 0.05; done"}}}}}}});
  start(true);
  ASSERT_TRUE(all_ready());
  ASSERT_TRUE(
      testing::eventually([&] { return logs("stubborn").find("trapped") != std::string::npos; }));
  long stubborn = status()["stubborn"]["pid"];
  auto asked = Clock::now();
  up_->signal(SIGTERM);
  auto finished = up_->finish(10s);
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - asked);
  EXPECT_EQ(finished.exit_code, 0);
  EXPECT_NE(finished.out.find("stubborn still running 0.3 s after SIGTERM: SIGKILL"),
            std::string::npos)
      << finished.out;
  EXPECT_NE(finished.out.find("stubborn stopped (killed by SIGKILL)"), std::string::npos)
      << finished.out;
  EXPECT_GE(took.count(), 300);
  EXPECT_EQ(processes_in({stubborn}), std::vector<long>{});
}

TEST_F(UpTest, AKilledSupervisorTakesItsServicesAlongAndDoesNotBlockTheNextStart) {
  configure({{"services", {"bus", "phal"}}});
  start();
  ASSERT_TRUE(all_ready());
  std::set<long> groups;
  for (auto& [name, s] : status()) groups.insert(s["pid"].get<long>());
  up_->signal(SIGKILL);
  up_->finish(5s);
  EXPECT_TRUE(testing::eventually([&] { return processes_in(groups).empty(); }, 2s));
  // The lock and socket files are still there; the next start takes them over.
  start();
  EXPECT_TRUE(all_ready()) << logs();
}

TEST_F(UpTest, ASecondSupervisorForTheSameBusRefusesToStart) {
  configure({{"services", {"bus"}}});
  start();
  ASSERT_TRUE(all_ready());
  auto second = hark({"up"});
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_NE(second.err.find("is it already running?"), std::string::npos) << second.err;
}

TEST_F(UpTest, FollowsTheLogsOfOneService) {
  configure({{"services", {"bus", "phal"}}});
  start();
  ASSERT_TRUE(all_ready());
  testing::Process follower({testing::hark_binary(), "logs", "phal", "-f"}, environment(), true);
  ASSERT_TRUE(follower.wait_for_stdout("[phal] ready on", 3s));  // the backlog
  EXPECT_EQ(hark({"restart", "phal"}).exit_code, 0);
  // Only the phal that is being restarted says this, after the follower started.
  EXPECT_TRUE(follower.wait_for_stdout("[phal] stopped", 3s));
  follower.signal(SIGTERM);
  auto seen = follower.finish(3s);
  EXPECT_EQ(seen.out.find("[up]"), std::string::npos) << seen.out;
  EXPECT_EQ(seen.out.find("[bus]"), std::string::npos) << seen.out;
}

TEST_F(UpTest, GivesEachServiceItsLogLevel) {
  configure({{"services", {"bus", "phal"}}, {"log_levels", {{"phal", "WARNING"}}}});
  start();
  ASSERT_TRUE(all_ready());
  auto phal = logs("phal");
  EXPECT_NE(phal.find("no sound server"), std::string::npos) << phal;  // a warning
  EXPECT_EQ(phal.find("[phal] ready on"), std::string::npos) << phal;  // information
  EXPECT_NE(logs("bus").find("[bus] listening on"), std::string::npos);
}

TEST_F(UpTest, RunsEachProvisioningScriptOnceInOrder) {
  fs::path folder = home_.path() / "config" / "mycroft" / "provisioning";
  fs::create_directories(folder);
  fs::path journal = home_.path() / "journal";
  auto script = [&](const std::string& name, const std::string& body) {
    std::ofstream(folder / name) << "#!/bin/sh\n" << body << "\n";
    fs::permissions(folder / name, fs::perms::owner_all);
  };
  script("20-second.sh", "echo second >> " + journal.string());
  script("10-first.sh", "echo first >> " + journal.string() + "; echo provisioned one");
  std::ofstream(folder / "README") << "not executable, not run\n";
  configure({{"services", {"bus"}}});

  for (int run = 0; run < 2; ++run) {
    start();
    ASSERT_TRUE(all_ready());
    up_->signal(SIGTERM);
    EXPECT_EQ(up_->finish(10s).exit_code, 0);
  }
  std::ifstream file(journal);
  std::string text((std::istreambuf_iterator<char>(file)), {});
  EXPECT_EQ(text, "first\nsecond\n");
}

TEST_F(UpTest, StatusWithoutASupervisorSaysWhatItLookedFor) {
  configure({{"services", {"bus"}}});
  auto result = hark({"status"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find(fmt::format("up-{}.sock", port_)), std::string::npos) << result.err;
  EXPECT_NE(result.err.find(fmt::format("is `hark up` running for the bus on port {}?", port_)),
            std::string::npos)
      << result.err;
}

TEST_F(UpTest, RefusesAnUnknownService) {
  configure({{"services", {"bus", "nosuch"}}});
  auto result = hark({"up"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("hark.up.services: unknown service 'nosuch'"), std::string::npos)
      << result.err;
}

}  // namespace
}  // namespace hark::supervisor
