#include "listener/enrollment.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace hark::listener {
namespace {

TEST(Enrollment, TheWakeWordComesFirstThenTheSentencesInOrder) {
  Enrollment enrollment({.wake_words = 2, .sentences = 2}, "hey mycroft");
  EXPECT_EQ(enrollment.prompt(), Json::parse(R"({"step": 1, "steps": 4, "kind": "wake_word",
                                                 "text": "hey mycroft"})"));
  enrollment.learnt();
  enrollment.learnt();
  EXPECT_EQ(enrollment.prompt()["kind"], "sentence");
  EXPECT_EQ(enrollment.prompt()["text"], enrollment_sentences()[0]);
  enrollment.learnt();
  EXPECT_EQ(enrollment.prompt()["text"], enrollment_sentences()[1]);
  EXPECT_FALSE(enrollment.finished());
  enrollment.learnt();
  EXPECT_TRUE(enrollment.finished());
  EXPECT_EQ(enrollment.summary(),
            Json::parse(R"({"complete": true, "wake_words": 2, "sentences": 2})"));
}

TEST(Enrollment, AMissedStepIsAskedAgainWithWhyAndEndsItAfterThreeInARow) {
  Enrollment enrollment({.wake_words = 0, .sentences = 3}, "hey mycroft");
  enrollment.missed("nothing was said");
  EXPECT_EQ(enrollment.prompt()["step"], 1);
  EXPECT_EQ(enrollment.prompt()["again"], "nothing was said");
  enrollment.learnt();
  EXPECT_FALSE(enrollment.prompt().contains("again"));
  enrollment.missed("nothing was said");
  enrollment.missed("too short");
  EXPECT_FALSE(enrollment.finished());
  enrollment.missed("too short");
  EXPECT_TRUE(enrollment.finished());
  auto summary = enrollment.summary();
  EXPECT_EQ(summary["complete"], false);
  EXPECT_EQ(summary["sentences"], 1);
  EXPECT_EQ(summary["error"], "step 2 missed 3 times in a row, the last: too short");
}

TEST(Enrollment, StoppedItIsIncompleteWithTheReason) {
  Enrollment enrollment({}, "hey mycroft");
  enrollment.learnt();
  enrollment.stop("stopped by hark.listener.enroll.stop");
  EXPECT_TRUE(enrollment.finished());
  EXPECT_EQ(enrollment.summary()["complete"], false);
  EXPECT_EQ(enrollment.summary()["wake_words"], 1);
  EXPECT_EQ(enrollment.summary()["error"], "stopped by hark.listener.enroll.stop");
}

TEST(EnrollmentPlan, TakesTheCountsAskedForAndNamesABadOne) {
  auto plan = EnrollmentPlan::from_json(Json::parse(R"({"sentences": 5})"), 20);
  EXPECT_EQ(plan.wake_words, 3u);
  EXPECT_EQ(plan.sentences, 5u);
  EXPECT_EQ(EnrollmentPlan::from_json(Json::object(), 20).sentences, enrollment_sentences().size());
  auto error = [](const char* data) {
    try {
      EnrollmentPlan::from_json(Json::parse(data), 20);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(error(R"({"wake_words": 21})"),
            "'wake_words' must be a whole number from 0 to 20, not 21");
  EXPECT_EQ(error(R"({"sentences": -1})"),
            "'sentences' must be a whole number from 0 to 19, not -1");
  EXPECT_EQ(error(R"({"sentences": "all"})"),
            "'sentences' must be a whole number from 0 to 19, not \"all\"");
  EXPECT_EQ(error(R"({"sentences": 0, "wake_words": 0})"),
            "nothing to say: 'wake_words' and 'sentences' are both 0");
  EXPECT_EQ(error("[]"), "the data must be an object");
}

}  // namespace
}  // namespace hark::listener
