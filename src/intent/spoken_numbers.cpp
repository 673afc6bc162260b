#include "intent/spoken_numbers.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <span>
#include <vector>

#include "intent/template_engine.h"

namespace hark::intent {
namespace {

const std::map<std::string_view, int>& small_numbers() {
  static const std::map<std::string_view, int> table{
      {"zero", 0},       {"oh", 0},        {"a", 1},         {"an", 1},       {"one", 1},
      {"two", 2},        {"three", 3},     {"four", 4},      {"five", 5},     {"six", 6},
      {"seven", 7},      {"eight", 8},     {"nine", 9},      {"ten", 10},     {"eleven", 11},
      {"twelve", 12},    {"thirteen", 13}, {"fourteen", 14}, {"fifteen", 15}, {"sixteen", 16},
      {"seventeen", 17}, {"eighteen", 18}, {"nineteen", 19}, {"twenty", 20},  {"thirty", 30},
      {"forty", 40},     {"fifty", 50},    {"sixty", 60},    {"seventy", 70}, {"eighty", 80},
      {"ninety", 90},    {"couple", 2},    {"dozen", 12}};
  return table;
}

// "42", "2.5": written as people write numbers. from_chars alone would also take "inf", "nan" and
// "1e9", which are no spoken number and no count a slot can hold.
std::optional<double> digits(std::string_view word) {
  if (word.empty() || word.find_first_not_of("0123456789.") != std::string_view::npos ||
      std::isdigit(static_cast<unsigned char>(word.front())) == 0)
    return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), value);
  if (ec != std::errc() || end != word.data() + word.size()) return std::nullopt;
  return value;
}

// Beyond 2^53 a double no longer holds every whole number, and the callers that turn a number into
// a count or a string of digits would overflow: "99999999999999999999" is no number anyone says.
std::optional<double> within_exact_range(double value) {
  if (!(std::abs(value) <= 0x1p53)) return std::nullopt;
  return value;
}

// Words of one number, already split; "and" between parts is allowed ("a hundred and five").
std::optional<double> number_of(const std::vector<std::string>& words) {
  if (words.empty()) return std::nullopt;
  if (words.size() == 1) {
    if (auto d = digits(words[0])) return within_exact_range(*d);
    if (words[0] == "half") return 0.5;
  }
  double total = 0, current = 0;
  bool any = false;
  for (const auto& word : words) {
    if (word == "and") continue;
    if (auto d = digits(word)) {
      current += *d;
    } else if (auto it = small_numbers().find(word); it != small_numbers().end()) {
      current += it->second;
    } else if (word == "hundred") {
      current = (current == 0 ? 1 : current) * 100;
    } else if (word == "thousand") {
      total += (current == 0 ? 1 : current) * 1000;
      current = 0;
    } else {
      return std::nullopt;
    }
    any = true;
  }
  if (!any) return std::nullopt;
  return within_exact_range(total + current);
}

struct Unit {
  std::string_view word;
  int seconds;
};
constexpr std::array kUnits{
    Unit{"second", 1},  Unit{"seconds", 1},  Unit{"sec", 1},   Unit{"secs", 1},   Unit{"s", 1},
    Unit{"minute", 60}, Unit{"minutes", 60}, Unit{"min", 60},  Unit{"mins", 60},  Unit{"m", 60},
    Unit{"hour", 3600}, Unit{"hours", 3600}, Unit{"hr", 3600}, Unit{"hrs", 3600}, Unit{"h", 3600}};

std::optional<int> unit_of(std::string_view word) {
  for (const auto& unit : kUnits)
    if (unit.word == word) return unit.seconds;
  return std::nullopt;
}

bool one_of(std::span<const std::string_view> words, std::string_view word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

constexpr std::string_view kMonths[] = {
    "january",   "february", "march",    "april",    "may",  "june", "july", "august",
    "september", "october",  "november", "december", "jan",  "feb",  "mar",  "apr",
    "jun",       "jul",      "aug",      "sep",      "sept", "oct",  "nov",  "dec"};
constexpr std::string_view kWeekdays[] = {"monday", "tuesday",  "wednesday", "thursday",
                                          "friday", "saturday", "sunday"};
constexpr std::string_view kOrdinals[] = {
    "first",     "second",    "third",       "fourth",     "fifth",      "sixth",      "seventh",
    "eighth",    "ninth",     "tenth",       "eleventh",   "twelfth",    "thirteenth", "fourteenth",
    "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth",  "thirtieth"};
// Days with a name of their own, and the days around today (possessives already dropped: "new
// year's eve" is "new year eve").
using Phrase = std::string_view[4];
constexpr Phrase kNamedDays[] = {{"christmas"},
                                 {"christmas", "eve"},
                                 {"christmas", "day"},
                                 {"new", "year"},
                                 {"new", "year", "eve"},
                                 {"new", "year", "day"},
                                 {"easter"},
                                 {"easter", "sunday"},
                                 {"easter", "monday"},
                                 {"halloween"},
                                 {"thanksgiving"},
                                 {"valentine", "day"},
                                 {"independence", "day"},
                                 {"boxing", "day"},
                                 {"mother", "day"},
                                 {"father", "day"},
                                 {"labor", "day"},
                                 {"memorial", "day"},
                                 {"today"},
                                 {"tomorrow"},
                                 {"yesterday"},
                                 {"the", "day", "after", "tomorrow"},
                                 {"the", "day", "before", "yesterday"}};

// A day of the month: "4th", "4", "fourth", "twenty fifth", "31st"; how many words it takes
// from `at` (0: none).
std::size_t day_of_month(std::span<const std::string> words, std::size_t at) {
  if (at >= words.size()) return 0;
  const auto& w = words[at];
  std::size_t d = 0;
  while (d < w.size() && std::isdigit(static_cast<unsigned char>(w[d])) != 0) ++d;
  if (d > 0 && d <= 2) {
    const auto suffix = std::string_view(w).substr(d);
    const int day = std::stoi(w.substr(0, d));
    if (day >= 1 && day <= 31 &&
        (suffix.empty() || suffix == "st" || suffix == "nd" || suffix == "rd" || suffix == "th"))
      return 1;
  }
  if (one_of(kOrdinals, w)) return 1;
  if ((w == "twenty" || w == "thirty") && at + 1 < words.size() &&
      one_of(std::span(kOrdinals).first(9), words[at + 1]))
    return 2;
  return 0;
}

bool is_year(std::string_view word) {
  return word.size() == 4 && std::all_of(word.begin(), word.end(), [](char c) {
           return std::isdigit(static_cast<unsigned char>(c)) != 0;
         });
}

// Whether `words` (normalized) name a day: is_spoken_date's.
bool names_a_day(std::span<const std::string> words) {
  std::size_t at = 0;
  auto is = [&](std::string_view word) { return at < words.size() && words[at] == word; };
  // A year may end what was said: "christmas 2025", "the 4th of july 2026".
  auto ends_with_a_year_or_nothing = [&] {
    if (at < words.size() && is_year(words[at])) ++at;
    return at == words.size();
  };
  if (words.empty()) return false;
  if (words.size() == 1 && is_year(words[0])) return true;
  // An event, then its day: "my birthday on june 3rd", "the party on friday".
  constexpr std::size_t kMaxEventWords = 3;
  for (std::size_t on = 1; on <= kMaxEventWords && on + 1 < words.size(); ++on) {
    if (words[on] == "on") return names_a_day(words.subspan(on + 1));
  }
  // "next friday", "this coming saturday", "friday"
  for (std::string_view before : {"next", "this", "last", "coming"})
    if (is(before)) ++at;
  if (at + 1 == words.size() && one_of(kWeekdays, words[at])) return true;
  for (const auto& named : kNamedDays) {
    // The named day's words from the start, every one of them.
    at = 0;
    while (at < std::size(named) && !named[at].empty() && is(named[at])) ++at;
    if ((at == std::size(named) || named[at].empty()) && ends_with_a_year_or_nothing()) return true;
  }
  // "the 4th of july", "4 july 2025"
  at = 0;
  if (is("the")) ++at;
  if (const auto n = day_of_month(words, at)) {
    at += n;
    if (is("of")) ++at;
    if (at < words.size() && one_of(kMonths, words[at])) {
      ++at;
      if (ends_with_a_year_or_nothing()) return true;
    }
    // "the 1st of next month", "the 15th of this month"
    if ((is("next") || is("this") || is("last")) && at + 2 == words.size() &&
        words[at + 1] == "month")
      return true;
  }
  // "july fourth", "march the 3rd", "december 25 2024", "may 2025"; not a month alone ("may",
  // "march" are verbs too)
  at = 0;
  if (one_of(kMonths, words[0])) {
    at = 1;
    if (is("the")) ++at;
    const auto day = day_of_month(words, at);
    at += day;
    const bool year = at < words.size() && is_year(words[at]);
    if ((day > 0 || year) && ends_with_a_year_or_nothing()) return true;
  }
  return false;
}

constexpr std::string_view kPartsOfTheDay[] = {"morning", "afternoon", "evening", "night"};

// An hour of the clock, in digits or words ("7", "seven", "19"), or nothing.
std::optional<int> hour_of(const std::string& word) {
  const auto n = number_of({word});
  if (!n || *n != std::floor(*n) || *n < 0 || *n > 23) return std::nullopt;
  return static_cast<int>(*n);
}

// How many words from `at` say the minutes past the hour: "30", "fifteen", "forty five", "oh
// five"; 0 for none.
std::size_t minutes_of(std::span<const std::string> words, std::size_t at) {
  auto minute = [](const std::vector<std::string>& said) {
    const auto n = number_of(said);
    return n && *n == std::floor(*n) && *n >= 0 && *n <= 59;
  };
  if (at >= words.size()) return 0;
  if (words[at] == "oh" && at + 1 < words.size() && minute({words[at + 1]})) return 2;
  if (at + 1 < words.size() && minute({words[at], words[at + 1]})) return 2;
  // One digit alone is no minute ("at 7 5"), two are ("10 05").
  if (std::isdigit(static_cast<unsigned char>(words[at][0])) != 0 && words[at].size() != 2)
    return 0;
  return minute({words[at]}) ? 1 : 0;
}

}  // namespace

bool names_a_time_of_day(std::span<const std::string> words) {
  const std::size_t n = words.size();
  if (n == 0) return false;
  auto is = [&](std::size_t i, std::string_view word) { return i < n && words[i] == word; };
  if (n == 1 && (is(0, "noon") || is(0, "midnight") || is(0, "midday") || is(0, "tonight")))
    return true;
  // A part of the day, of a day: "tomorrow morning", "this evening", "in the afternoon".
  std::size_t at = 0;
  if (is(0, "in") && is(1, "the"))
    at = 2;
  else if (is(0, "this") || is(0, "the") || is(0, "tomorrow") || is(0, "today") ||
           one_of(kWeekdays, words[0]))
    at = 1;
  if (at + 1 == n && one_of(kPartsOfTheDay, words[at])) return true;
  // The clock: "half past six", "quarter to 5", "7 o'clock", "3 pm", "10 30 am", "at 7".
  at = 0;
  bool told = false;  // an hour alone ("7") is a number, not yet a time
  if (is(0, "at")) {
    at = 1;
    told = true;
  }
  if ((is(at, "half") || is(at, "quarter")) && (is(at + 1, "past") || is(at + 1, "to"))) {
    at += 2;
    told = true;
  }
  if (at >= n || !hour_of(words[at])) return false;
  ++at;
  if (!is(0, "half") && !is(0, "quarter") && !is(1, "half") && !is(1, "quarter")) {
    const auto minutes = minutes_of(words, at);
    at += minutes;
    told = told || minutes > 0;
  }
  if (is(at, "am") || is(at, "pm") || is(at, "o'clock") || is(at, "oclock")) {
    ++at;
    told = true;
  } else if ((is(at, "a") || is(at, "p") || is(at, "o")) &&
             (is(at + 1, "m") || (words[at] == "o" && is(at + 1, "clock")))) {
    at += 2;
    told = true;
  }
  return told && at == n;
}

std::size_t spoken_when_length(std::span<const std::string> words, std::size_t at) {
  constexpr std::size_t kMaxWhenWords = 6;
  for (std::size_t length = std::min(kMaxWhenWords, words.size() - std::min(at, words.size()));
       length > 0; --length) {
    const auto span = words.subspan(at, length);
    // An event on its day is a date for a {date} slot, but its event is no time: "the dentist on
    // friday" says when with "friday" alone.
    if (std::find(span.begin() + 1, span.end(), "on") != span.end()) continue;
    if (names_a_time_of_day(span) || names_a_day(span)) return length;
    std::string said;
    for (const auto& word : span) said += (said.empty() ? "" : " ") + word;
    if (parse_duration(said)) return length;
  }
  return 0;
}

bool is_spoken_date(std::string_view text) {
  return names_a_day(intent::normalize_words(text));
}

std::optional<double> parse_number(std::string_view text) {
  return number_of(intent::normalize_words(text));
}

std::optional<std::chrono::seconds> parse_duration(std::string_view text) {
  // normalize_words splits "2.5" at the dot; durations keep it by reading decimals first.
  std::vector<std::string> words;
  {
    std::string spaced(text);
    for (auto& c : spaced)
      if (c == ',') c = ' ';
    std::size_t i = 0;
    while (i < spaced.size()) {
      while (i < spaced.size() && spaced[i] == ' ') ++i;
      std::size_t j = i;
      while (j < spaced.size() && spaced[j] != ' ') ++j;
      if (j > i) {
        auto token = spaced.substr(i, j - i);
        if (digits(token)) {
          words.push_back(token);
        } else {
          // "5min", "1h" and every other word go through the usual normalisation.
          std::size_t k = 0;
          while (k < token.size() && (std::isdigit(static_cast<unsigned char>(token[k])) != 0)) ++k;
          if (k > 0 && k < token.size() && unit_of(token.substr(k))) {
            words.push_back(token.substr(0, k));
            words.push_back(token.substr(k));
          } else {
            for (auto& w : intent::normalize_words(token)) words.push_back(std::move(w));
          }
        }
      }
      i = j;
    }
  }
  double total = 0;
  bool any_unit = false;
  std::vector<std::string> pending;  // number words before the next unit
  int last_unit = 0;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const auto& word = words[i];
    if (auto unit = unit_of(word)) {
      double amount = 1;
      // "half an hour": the "half" is the amount and "an" is the article.
      if (pending.size() == 2 && pending[0] == "half" && (pending[1] == "a" || pending[1] == "an"))
        amount = 0.5;
      else if (!pending.empty()) {
        auto n = number_of(pending);
        if (!n) return std::nullopt;
        amount = *n;
      }
      total += amount * *unit;
      last_unit = *unit;
      any_unit = true;
      pending.clear();
    } else if (word == "and" && pending.empty()) {
      continue;
    } else if (word == "half" && pending.empty() && last_unit != 0 && i + 1 == words.size()) {
      total += 0.5 * last_unit;  // "an hour and a half"
    } else if ((word == "a" || word == "an") && i + 1 < words.size() && words[i + 1] == "half" &&
               pending.empty() && last_unit != 0) {
      continue;
    } else {
      pending.push_back(word);
    }
  }
  if (!any_unit || !pending.empty() || total <= 0 || !within_exact_range(total))
    return std::nullopt;
  return std::chrono::seconds(static_cast<long long>(std::llround(total)));
}

std::string spoken_duration(std::chrono::seconds duration) {
  long long left = duration.count();
  const long long hours = left / 3600, minutes = (left % 3600) / 60, seconds = left % 60;
  std::vector<std::string> parts;
  auto add = [&](long long n, std::string_view unit) {
    if (n > 0) parts.push_back(fmt::format("{} {}{}", n, unit, n == 1 ? "" : "s"));
  };
  add(hours, "hour");
  add(minutes, "minute");
  add(seconds, "second");
  if (parts.empty()) return "0 seconds";
  std::string spoken = parts[0];
  for (std::size_t i = 1; i < parts.size(); ++i)
    spoken += (i + 1 == parts.size() ? " and " : ", ") + parts[i];
  return spoken;
}

}  // namespace hark::intent
