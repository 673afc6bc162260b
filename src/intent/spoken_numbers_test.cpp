#include "intent/spoken_numbers.h"

#include <gtest/gtest.h>

#include "intent/template_engine.h"

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

TEST(SpokenNumbers, WhatFloatingPointParsersTakeButNobodySaysIsNoNumber) {
  for (const char* written : {"inf", "nan", "infinity", "1e9", "0x10", "99999999999999999999"})
    EXPECT_EQ(parse_number(written), std::nullopt) << written;
  EXPECT_EQ(parse_duration("inf minutes"), std::nullopt);
  // Each number within range, their seconds not: no duration a long long of seconds holds.
  EXPECT_EQ(parse_duration("9007199254740992 hours"), std::nullopt);
  EXPECT_EQ(parse_duration("9007199254740992 seconds"), std::chrono::seconds(9007199254740992));
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
                           "the 1st of next month",
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

TEST(SpokenNumbers, TimesOfDayAsPeopleSayThem) {
  for (const char* text :
       {"3 pm", "3:15 p.m.", "7 o'clock", "half past six", "quarter to 5", "10 30", "10 30 am",
        "at 7", "at seven thirty", "noon", "tonight", "tomorrow morning", "this evening",
        "in the afternoon", "friday night", "six oh five"})
    EXPECT_TRUE(names_a_time_of_day(normalize_words(text))) << text;
  for (const char* text : {"7", "seven", "the 7", "3 apples", "half past", "at the", "morning tea",
                           "25 pm", "10 75", ""})
    EXPECT_FALSE(names_a_time_of_day(normalize_words(text))) << text;
}

TEST(SpokenNumbers, WhenIsTheLongestTimeDayOrDurationFromAWord) {
  const auto words = normalize_words("remind me to call mom next monday at 3 pm for ten minutes");
  EXPECT_EQ(spoken_when_length(words, 0), 0u);   // "remind"
  EXPECT_EQ(spoken_when_length(words, 5), 2u);   // "next monday"
  EXPECT_EQ(spoken_when_length(words, 7), 3u);   // "at 3 pm"
  EXPECT_EQ(spoken_when_length(words, 11), 2u);  // "ten minutes"
  EXPECT_EQ(spoken_when_length(words, 40), 0u);
  // An event on its day says when with its day alone.
  EXPECT_EQ(spoken_when_length(normalize_words("the dentist on friday"), 0), 0u);
  EXPECT_EQ(spoken_when_length(normalize_words("the dentist on friday"), 3), 1u);
}

}  // namespace
}  // namespace hark::intent
