// Enrolling a voice before it gives a command: the wake word said a few times (each learnt as the
// listener learns the wake words of commands it understood) and everyday sentences read aloud
// (the speaker adaptation learns from each with the words known, which a voice whose commands
// are heard too badly to learn from needs: bench/README.md). The steps, which one is due, and
// when to give up; the listener records and learns (service.cpp), `hark enroll` shows the
// prompts (docs/listener.md, Enrollment).
//
//   Enrollment enrollment(EnrollmentPlan::from_json(request.data(), 20), "hey mycroft");
//   emit(enrollment.prompt());            // "say 'hey mycroft'", step 1 of 22
//   enrollment.learnt();                   // or missed(why), which asks for the step again
//   if (enrollment.finished()) emit(enrollment.summary());
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/json.h"

namespace hark::listener {

// Everyday sentences that between them say every English phone, none of them a command.
const std::vector<std::string>& enrollment_sentences();

struct EnrollmentPlan {
  std::size_t wake_words = 3;
  std::size_t sentences = enrollment_sentences().size();

  // From a hark.listener.enroll message's data ({"wake_words": 3, "sentences": 19}, each
  // optional). Throws std::invalid_argument naming the key and what it takes.
  static EnrollmentPlan from_json(const Json& data, std::size_t max_wake_words);
};

class Enrollment {
 public:
  enum class Kind { wake_word, sentence };
  struct Step {
    Kind kind;
    std::string text;  // what to say
  };
  // A step missed this many times in a row ends the enrollment.
  static constexpr std::size_t kMaxMisses = 3;

  Enrollment(const EnrollmentPlan& plan, const std::string& wake_phrase);

  const Step& current() const { return steps_[next_]; }
  bool finished() const { return next_ == steps_.size() || !error_.empty(); }
  // The current step was learnt: the next one is due.
  void learnt();
  // The current step was not (`why`): it is asked again, or the enrollment ends after
  // kMaxMisses.
  void missed(const std::string& why);
  // Ends it before its last step.
  void stop(const std::string& why) { error_ = why; }

  // hark.listener.enroll.prompt's data: {"step": 1, "steps": 22, "kind": "wake_word", "text":
  // "hey mycroft", "again": "<why the last try was not learnt>" (after a miss)}.
  Json prompt() const;
  // hark.listener.enroll.done's data: {"complete": true, "wake_words": 3, "sentences": 19} and,
  // when it ended early, "error".
  Json summary() const;

 private:
  std::vector<Step> steps_;
  std::size_t next_ = 0;
  std::size_t misses_ = 0;
  std::string last_miss_;
  std::string error_;
  std::size_t learnt_wake_words_ = 0;
  std::size_t learnt_sentences_ = 0;
};

}  // namespace hark::listener
