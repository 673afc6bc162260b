#include "supervisor/restart_policy.h"

#include <gtest/gtest.h>

namespace hark::supervisor {
namespace {

using namespace std::chrono_literals;
using Clock = RestartPolicy::Clock;

constexpr RestartLimits kLimits{
    .initial_delay = 100ms, .max_delay = 1000ms, .crashes = 5, .window = 60s};

TEST(RestartPolicy, DoublesTheDelayUpToTheMaximum) {
  RestartLimits limits = kLimits;
  limits.crashes = 100;
  RestartPolicy policy(limits);
  Clock::time_point t{};
  std::vector<long> delays;
  for (int i = 0; i < 6; ++i) delays.push_back(policy.crashed(t += 1s)->count());
  EXPECT_EQ(delays, (std::vector<long>{100, 200, 400, 800, 1000, 1000}));
}

TEST(RestartPolicy, GivesUpOnTheCrashThatCompletesALoop) {
  RestartPolicy policy(kLimits);
  Clock::time_point t{};
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(policy.crashed(t += 1s)) << i;
  EXPECT_FALSE(policy.crashed(t += 1s));
}

TEST(RestartPolicy, ForgetsCrashesOutsideTheWindow) {
  RestartPolicy policy(kLimits);
  Clock::time_point t{};
  for (int i = 0; i < 4; ++i) policy.crashed(t += 20s);  // at 20, 40, 60, 80 s
  // At 101 s the crashes at 20 and 40 s are more than 60 s old: three remain with this one.
  auto delay = policy.crashed(t += 21s);
  ASSERT_TRUE(delay);
  EXPECT_EQ(policy.recent_crashes(), 3);
  EXPECT_EQ(delay->count(), 400);
}

TEST(RestartPolicy, ResetStartsAgainFromTheInitialDelay) {
  RestartPolicy policy(kLimits);
  Clock::time_point t{};
  for (int i = 0; i < 4; ++i) policy.crashed(t += 1s);
  policy.reset();
  EXPECT_EQ(policy.crashed(t += 1s)->count(), 100);
}

}  // namespace
}  // namespace hark::supervisor
