#include "supervisor/notify.h"

#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "supervisor/fake_systemd.h"

namespace hark::supervisor {
namespace {

TEST(NotifySystemd, SendsTheStateToThePathInNotifySocket) {
  FakeSystemd systemd(::testing::TempDir() + "notify-" + std::to_string(::getpid()));
  EXPECT_TRUE(notify_systemd("READY=1"));
  EXPECT_EQ(systemd.receive(), "READY=1");
  EXPECT_TRUE(notify_systemd("STOPPING=1"));
  EXPECT_EQ(systemd.receive(), "STOPPING=1");
}

TEST(NotifySystemd, ReachesAnAbstractSocket) {
  FakeSystemd systemd("@hark-notify-test-" + std::to_string(::getpid()));
  EXPECT_TRUE(notify_systemd("READY=1"));
  EXPECT_EQ(systemd.receive(), "READY=1");
}

TEST(NotifySystemd, DoesNothingOutsideSystemd) {
  ::unsetenv("NOTIFY_SOCKET");
  EXPECT_FALSE(notify_systemd("READY=1"));
}

TEST(NotifySystemd, ReportsASocketNobodyListensOn) {
  ::setenv("NOTIFY_SOCKET", "/nonexistent/notify", 1);
  EXPECT_FALSE(notify_systemd("READY=1"));
  ::setenv("NOTIFY_SOCKET", "relative/path", 1);
  EXPECT_FALSE(notify_systemd("READY=1"));
  ::unsetenv("NOTIFY_SOCKET");
}

}  // namespace
}  // namespace hark::supervisor
