#include "listener/language_model.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>
#include <sstream>

namespace hark::listener {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

bool known(const std::string& word) {
  return word != "could";  // one everyday word the "dictionary" lacks
}

// The ARPA text's n-grams: words -> (log10 probability, log10 backoff).
struct Arpa {
  std::map<std::vector<std::string>, std::pair<double, double>> grams;
  std::set<std::string> words;

  explicit Arpa(const std::string& text) {
    std::istringstream in(text);
    std::size_t order = 0;
    for (std::string line; std::getline(in, line);) {
      if (line.size() > 2 && line[0] == '\\' && std::isdigit(static_cast<unsigned char>(line[1]))) {
        order = static_cast<std::size_t>(line[1] - '0');
        continue;
      }
      if (order == 0 || line.empty() || line[0] == '\\') continue;
      std::istringstream fields(line);
      double p = 0, bow = 0;
      fields >> p;
      std::vector<std::string> gram(order);
      for (auto& w : gram) fields >> w;
      fields >> bow;
      grams[gram] = {p, bow};
      if (order == 1 && gram[0] != "<s>") words.insert(gram[0]);
    }
  }

  // P(word | history) as a decoder reads the model: the n-gram's own probability, else the
  // history's backoff times the shorter history's.
  double probability(std::vector<std::string> history, const std::string& word) const {
    auto gram = history;
    gram.push_back(word);
    if (auto it = grams.find(gram); it != grams.end()) return std::pow(10, it->second.first);
    if (history.empty()) return 0;
    double bow = 1;
    if (auto it = grams.find(history); it != grams.end()) bow = std::pow(10, it->second.second);
    history.erase(history.begin());
    return bow * probability(history, word);
  }

  double total(const std::vector<std::string>& history) const {
    double sum = 0;
    for (const auto& w : words) sum += probability(history, w);
    return sum;
  }
};

const std::vector<std::vector<std::string>> kCorpus{{"set", "a", "timer", "for", "five", "minutes"},
                                                    {"set", "a", "timer", "for", "ten", "minutes"},
                                                    {"set", "the", "volume", "to", "fifty"},
                                                    {"what", "time", "is", "it"}};

TEST(LanguageModel, EveryHistorySumsToOne) {
  Arpa arpa(make_language_model(kCorpus, {}, known));
  for (const std::vector<std::string>& history :
       std::vector<std::vector<std::string>>{{},
                                             {"<s>"},
                                             {"set"},
                                             {"a", "timer"},
                                             {"set", "a"},
                                             {"<s>", "what"},
                                             {"please"},
                                             {"timer", "please"}}) {
    EXPECT_NEAR(arpa.total(history), 1.0, 1e-3) << ::testing::PrintToString(history);
  }
}

TEST(LanguageModel, EachIntentCountsAlikeWhateverItsTemplatesExpandTo) {
  // Intent 0 expands to eight sentences that open with "delete" (its alternatives and slot
  // values), intent 1 to one "tell me the time".
  std::vector<std::vector<std::string>> corpus;
  std::vector<std::size_t> intents;
  for (const char* what :
       {"timer", "timers", "alarm", "alarms", "reminder", "reminders", "one", "ones"}) {
    corpus.push_back({"delete", "the", what});
    intents.push_back(0);
  }
  corpus.push_back({"tell", "me", "the", "time"});
  intents.push_back(1);
  Arpa by_sentence(
      make_language_model(corpus, {.frame_weight = 0, .intent_balance = 0}, known, intents));
  Arpa by_intent(
      make_language_model(corpus, {.frame_weight = 0, .intent_balance = 1}, known, intents));
  EXPECT_GT(by_sentence.probability({"<s>"}, "delete"),
            5 * by_sentence.probability({"<s>"}, "tell"));
  EXPECT_NEAR(by_intent.probability({"<s>"}, "delete"), by_intent.probability({"<s>"}, "tell"),
              0.01);
  EXPECT_NEAR(by_intent.total({"<s>"}), 1.0, 1e-3);
  EXPECT_NEAR(by_intent.total({}), 1.0, 1e-3);
}

TEST(LanguageModel, TheCorpusLeadsEverydayWordsStayPossible) {
  Arpa arpa(make_language_model(
      kCorpus, {.discount = 0.5, .everyday_weight = 0.1, .frame_weight = 0}, known));
  EXPECT_GT(arpa.probability({"set", "a"}, "timer"), 0.5);
  double please = arpa.probability({"<s>"}, "please");
  EXPECT_GT(please, 0);
  EXPECT_LT(please, arpa.probability({"<s>"}, "set") / 10);
  EXPECT_TRUE(arpa.words.contains("please"));
  EXPECT_FALSE(arpa.words.contains("could"));
}

TEST(LanguageModel, FramesLetACommandBeWrappedAsPeopleWrapIt) {
  Arpa plain(make_language_model(kCorpus, {.frame_weight = 0}, known));
  Arpa framed(make_language_model(kCorpus, {}, known));
  EXPECT_GT(framed.probability({"five", "minutes"}, "please"),
            10 * plain.probability({"five", "minutes"}, "please"));
  EXPECT_GT(framed.probability({"<s>", "please"}, "set"),
            3 * plain.probability({"<s>", "please"}, "set"));
  // A question takes a question's frame ("i want to know what time is it"), a request not.
  EXPECT_GT(framed.probability({"to", "know"}, "what"),
            10 * plain.probability({"to", "know"}, "what"));
  EXPECT_LT(framed.probability({"<s>", "please"}, "what"),
            framed.probability({"<s>", "please"}, "set") / 10);
  // The sentences themselves still lead, and the frames' words are no likelier elsewhere.
  EXPECT_GT(framed.probability({"set", "a"}, "timer"), 0.5);
  EXPECT_GT(framed.probability({"<s>"}, "set"), framed.probability({"<s>"}, "please"));
  // (Within 1 %: a frame's word that is no everyday one, "hey", takes a share of the flat part.)
  EXPECT_NEAR(framed.probability({}, "you") / plain.probability({}, "you"), 1, 0.01);
  // No frame with a word the recognizer cannot say ("could you").
  EXPECT_FALSE(framed.words.contains("could"));
}

TEST(LanguageModel, HeaderCountsMatchTheSections) {
  auto text = make_language_model(kCorpus, {}, known);
  Arpa arpa(text);
  std::map<std::size_t, std::size_t> sizes;
  for (const auto& [gram, values] : arpa.grams) ++sizes[gram.size()];
  for (std::size_t n = 1; n <= 3; ++n) {
    EXPECT_THAT(text, HasSubstr("ngram " + std::to_string(n) + "=" + std::to_string(sizes[n])));
  }
  EXPECT_THAT(text, HasSubstr("\\end\\"));
  EXPECT_THAT(text, Not(HasSubstr("nan")));
}

TEST(LanguageModel, NoCorpusNoModel) {
  EXPECT_EQ(make_language_model({}, {}, known), "");
  EXPECT_EQ(make_language_model({{}}, {}, known), "");
}

}  // namespace
}  // namespace hark::listener
