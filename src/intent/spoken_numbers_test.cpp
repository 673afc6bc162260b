#include "intent/spoken_numbers.h"

#include <gtest/gtest.h>

namespace hark::intent {
namespace {

using std::chrono::seconds;

TEST(SpokenNumbers, DigitsAndWords) {
  EXPECT_EQ(parse_number("42"), 42);
  EXPECT_EQ(parse_number("forty two"), 42);
  EXPECT_EQ(parse_number("a hundred and five"), 105);
  EXPECT_EQ(parse_number("one thousand two hundred"), 1200);
  EXPECT_EQ(parse_number("fifty percent"), std::nullopt);
  EXPECT_EQ(parse_number(""), std::nullopt);
}

TEST(SpokenNumbers, DurationsAsPeopleSayThem) {
  EXPECT_EQ(parse_duration("5 minutes"), seconds(300));
  EXPECT_EQ(parse_duration("five minutes and thirty seconds"), seconds(330));
  EXPECT_EQ(parse_duration("5 minutes and 30 seconds"), seconds(330));
  EXPECT_EQ(parse_duration("an hour and a half"), seconds(5400));
  EXPECT_EQ(parse_duration("half an hour"), seconds(1800));
  EXPECT_EQ(parse_duration("1 hour 20 minutes"), seconds(4800));
  EXPECT_EQ(parse_duration("90 seconds"), seconds(90));
  EXPECT_EQ(parse_duration("2.5 minutes"), seconds(150));
  EXPECT_EQ(parse_duration("10min"), seconds(600));
  EXPECT_EQ(parse_duration("a minute"), seconds(60));
}

TEST(SpokenNumbers, NotADuration) {
  EXPECT_EQ(parse_duration("pasta"), std::nullopt);
  EXPECT_EQ(parse_duration("five"), std::nullopt);
  EXPECT_EQ(parse_duration("five bananas minutes"), std::nullopt);
  EXPECT_EQ(parse_duration(""), std::nullopt);
}

TEST(SpokenNumbers, SpokenDuration) {
  EXPECT_EQ(spoken_duration(seconds(330)), "5 minutes and 30 seconds");
  EXPECT_EQ(spoken_duration(seconds(3600)), "1 hour");
  EXPECT_EQ(spoken_duration(seconds(3661)), "1 hour, 1 minute and 1 second");
  EXPECT_EQ(spoken_duration(seconds(0)), "0 seconds");
}

TEST(SpokenNumbers, DatesAsPeopleSayThem) {
  for (const char* date : {"the 4th of july",
                           "july fourth",
                           "march 3rd",
                           "the twenty fifth of december",
                           "december 25 2024",
                           "may 2025",
                           "4 july",
                           "next friday",
                           "this coming saturday",
                           "friday",
                           "christmas eve",
                           "new year's eve",
                           "new year's day",
                           "christmas 2025",
                           "the day after tomorrow",
                           "tomorrow",
                           "2025",
                           "march the 3rd",
                           "my birthday on june 3rd",
                           "the party on friday"})
    EXPECT_TRUE(is_spoken_date(date)) << date;
}

TEST(SpokenNumbers, NotADate) {
  for (const char* text :
       {"may", "march", "my birthday", "the fourth", "the weekend", "next week please",
        "the 45th of july", "friday night", "christmas shopping", "four", "", "my birthday on",
        "turn on the lights"})
    EXPECT_FALSE(is_spoken_date(text)) << text;
}

}  // namespace
}  // namespace hark::intent
