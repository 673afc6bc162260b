#include "core/message.h"

#include <gtest/gtest.h>

namespace hark {
namespace {

TEST(Message, ParsesTheThreeKeys) {
  auto m = Message::parse(R"({"type":"speak","data":{"utterance":"hi"},"context":{"a":1}})");
  EXPECT_EQ(m.type(), "speak");
  EXPECT_EQ(m.data()["utterance"], "hi");
  EXPECT_EQ(m.context()["a"], 1);
}

}  // namespace
}  // namespace hark
