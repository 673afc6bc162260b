#include "listener/enrollment.h"

#include <fmt/format.h>

#include <stdexcept>

namespace hark::listener {

const std::vector<std::string>& enrollment_sentences() {
  static const std::vector<std::string> sentences = {
      "the quick brown fox jumps over the lazy dog",
      "she sells sea shells by the sea shore",
      "we should buy fresh bread and cheese for the weekend",
      "my brother drove the red truck to the village",
      "a large yellow boat floated down the quiet river",
      "please bring your jacket because it will be cold outside",
      "the children played with a ball in the garden",
      "our neighbour grows tomatoes peppers and beans",
      "this book was written by a famous author",
      "they watched the sunset from the top of the hill",
      "the kitchen smells of coffee and warm toast",
      "he measured the length of the wooden board",
      "good morning how was your journey",
      "the shop on the corner opens at nine",
      "a thousand birds flew over the frozen lake",
      "the judge gave the young man a fair choice",
      "we enjoyed a pleasant evening with our friends",
      "thank you for the lovely gift",
      "the doctor checked her throat and her ears",
  };
  return sentences;
}

EnrollmentPlan EnrollmentPlan::from_json(const Json& data, std::size_t max_wake_words) {
  EnrollmentPlan plan;
  if (!data.is_object()) throw std::invalid_argument("the data must be an object");
  auto count = [&](const char* key, std::size_t& value, std::size_t most) {
    auto it = data.find(key);
    if (it == data.end()) return;
    if (!it->is_number_unsigned() || it->get<std::size_t>() > most) {
      throw std::invalid_argument(
          fmt::format("'{}' must be a whole number from 0 to {}, not {}", key, most, it->dump()));
    }
    value = it->get<std::size_t>();
  };
  count("wake_words", plan.wake_words, max_wake_words);
  count("sentences", plan.sentences, enrollment_sentences().size());
  if (plan.wake_words + plan.sentences == 0) {
    throw std::invalid_argument("nothing to say: 'wake_words' and 'sentences' are both 0");
  }
  return plan;
}

Enrollment::Enrollment(const EnrollmentPlan& plan, const std::string& wake_phrase) {
  // The wake word first: short, and what every later step's speaker already knows how to say.
  for (std::size_t i = 0; i < plan.wake_words; ++i)
    steps_.push_back({Kind::wake_word, wake_phrase});
  for (std::size_t i = 0; i < plan.sentences; ++i) {
    steps_.push_back({Kind::sentence, enrollment_sentences()[i]});
  }
}

void Enrollment::learnt() {
  ++(current().kind == Kind::wake_word ? learnt_wake_words_ : learnt_sentences_);
  ++next_;
  misses_ = 0;
  last_miss_.clear();
}

void Enrollment::missed(const std::string& why) {
  last_miss_ = why;
  if (++misses_ == kMaxMisses) {
    error_ = fmt::format("step {} missed {} times in a row, the last: {}", next_ + 1, misses_, why);
  }
}

Json Enrollment::prompt() const {
  Json data = {{"step", next_ + 1},
               {"steps", steps_.size()},
               {"kind", current().kind == Kind::wake_word ? "wake_word" : "sentence"},
               {"text", current().text}};
  if (!last_miss_.empty()) data["again"] = last_miss_;
  return data;
}

Json Enrollment::summary() const {
  Json data = {{"complete", error_.empty() && next_ == steps_.size()},
               {"wake_words", learnt_wake_words_},
               {"sentences", learnt_sentences_}};
  if (!error_.empty()) data["error"] = error_;
  return data;
}

}  // namespace hark::listener
