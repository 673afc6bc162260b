// English numbers, durations and dates as people say them, for slots that the template engine
// fills with the words of the utterance ("five minutes and thirty seconds", "the 4th of july").
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace hark::intent {

// "42", "2.5", "forty two", "a hundred and five", "one thousand two hundred"; nullopt when the
// text holds anything else.
std::optional<double> parse_number(std::string_view text);

// "5 minutes", "five minutes and 30 seconds", "an hour and a half", "1 hour 20 minutes",
// "half an hour", "90 seconds"; nullopt when there is no unit or a word is not understood.
std::optional<std::chrono::seconds> parse_duration(std::string_view text);

// Whether the text names a day: "the 4th of july", "july fourth", "march 3rd 2025", "next
// friday", "christmas eve", "new year's day", "the day after tomorrow", "2025". What day it is,
// the skill works out (OVOS skills parse the slot's words themselves).
bool is_spoken_date(std::string_view text);

// Whether the words (normalized) name a time of day: "3 pm", "7 o'clock", "half past six", "10
// 30", "at 7", "quarter to 5", "noon", "tomorrow morning", "this evening", "tonight".
bool names_a_time_of_day(std::span<const std::string> words);

// How many of the words (normalized) from `at` on say when: a time of day, a day
// (is_spoken_date's) or a duration ("twenty minutes"), the longest run; 0 for none. What a
// skill's own code reads from a command ("remind me to call mom at 3 pm").
std::size_t spoken_when_length(std::span<const std::string> words, std::size_t at);

// 330 s -> "5 minutes and 30 seconds", 3600 s -> "1 hour", 61 s -> "1 minute and 1 second".
std::string spoken_duration(std::chrono::seconds duration);

}  // namespace hark::intent
