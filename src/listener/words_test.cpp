#include "listener/words.h"

#include <gtest/gtest.h>

namespace hark::listener {
namespace {

TEST(Words, SplitsOnAnyWhitespace) {
  EXPECT_EQ(split_words("  what  time\tis it\n"),
            (std::vector<std::string>{"what", "time", "is", "it"}));
  EXPECT_TRUE(split_words(" \t").empty());
}

TEST(Words, CountsWordErrorsAgainstTheWholeReference) {
  EXPECT_EQ(edit_distance(split_words("what time is it"), split_words("what time is it")), 0u);
  EXPECT_EQ(edit_distance(split_words("what time is it"), split_words("what type it")), 2u);
  EXPECT_EQ(edit_distance(split_words(""), split_words("set a timer")), 3u);
}

TEST(Words, AlignsWithTheClosestStretch) {
  const auto phrase = split_words("HH EY M AY K R AO F T");
  EXPECT_EQ(edit_distance(split_words("M AY K R AO F T"), phrase, Alignment::stretch_of_b), 0u);
  EXPECT_EQ(edit_distance(split_words("K R AE F T"), phrase, Alignment::stretch_of_b), 1u);
  EXPECT_EQ(edit_distance(split_words("K R AE F T"), phrase), 5u);
}

}  // namespace
}  // namespace hark::listener
