#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "audio/sentences.h"

namespace hark::audio {
namespace {

using ::testing::ElementsAre;

TEST(SplitSentences, AtFullStopsQuestionAndExclamationMarks) {
  EXPECT_THAT(split_sentences("It is 10 o'clock. Want a coffee? Sure!"),
              ElementsAre("It is 10 o'clock.", "Want a coffee?", "Sure!"));
}

TEST(SplitSentences, OneSentenceStaysWhole) {
  EXPECT_THAT(split_sentences("  hello world  "), ElementsAre("hello world"));
  EXPECT_THAT(split_sentences("no stop at the end"), ElementsAre("no stop at the end"));
}

TEST(SplitSentences, NumbersAbbreviationsAndInitialsDoNotSplit) {
  EXPECT_THAT(split_sentences("It is 3.5 degrees. Dr. Smith met J. R. R. Tolkien, e.g. once."),
              ElementsAre("It is 3.5 degrees.", "Dr. Smith met J. R. R. Tolkien, e.g. once."));
}

TEST(SplitSentences, QuotesAndRepeatedMarksStayWithTheirSentence) {
  EXPECT_THAT(split_sentences("He said \"stop.\" Really?! Wait... Go."),
              ElementsAre("He said \"stop.\"", "Really?!", "Wait...", "Go."));
}

TEST(SplitSentences, LineBreaksAndSemicolons) {
  EXPECT_THAT(split_sentences("first line\nsecond; third"),
              ElementsAre("first line", "second;", "third"));
}

TEST(SplitSentences, NothingToSay) {
  EXPECT_TRUE(split_sentences("").empty());
  EXPECT_TRUE(split_sentences(" \n\t ").empty());
  EXPECT_THAT(split_sentences("..."), ElementsAre("..."));
}

}  // namespace
}  // namespace hark::audio
