#include "listener/language_model.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "listener/words.h"

namespace hark::listener {
namespace {

// They let paraphrases be heard as themselves, and out-of-domain speech as something other than
// a command.
constexpr const char* kEverydayWordList[] = {
    "a",     "able",     "about",   "again",  "all",   "am",     "an",     "and",     "any",
    "are",   "at",       "back",    "be",     "bit",   "but",    "by",     "can",     "could",
    "did",   "do",       "does",    "don't",  "for",   "from",   "get",    "give",    "go",
    "good",  "have",     "he",      "her",    "here",  "him",    "his",    "how",     "i",
    "i'd",   "i'm",      "if",      "in",     "is",    "it",     "it's",   "just",    "know",
    "let",   "like",     "little",  "look",   "make",  "me",     "more",   "much",    "my",
    "need",  "no",       "not",     "now",    "of",    "off",    "ok",     "on",      "one",
    "or",    "our",      "out",     "please", "put",   "really", "right",  "say",     "see",
    "she",   "should",   "so",      "some",   "tell",  "thank",  "thanks", "that",    "the",
    "their", "them",     "then",    "there",  "they",  "thing",  "think",  "this",    "to",
    "today", "tomorrow", "too",     "up",     "us",    "very",   "want",   "was",     "we",
    "well",  "were",     "what",    "when",   "where", "which",  "who",    "why",     "will",
    "with",  "would",    "yes",     "yet",    "you",   "your",   "play",   "music",   "weather",
    "call",  "send",     "message", "find",   "show",  "open",   "light",  "lights",  "news",
    "song",  "joke",     "read",    "add",    "list",  "buy",    "book",   "where's", "who's",
    "how's", "people",   "home",    "house",  "car",   "day",    "night",  "morning", "evening",
    "week",  "year",     "last",    "next",   "first", "new",    "old",    "big",     "long",
    "far",   "way",      "work",    "school", "name",  "mother", "friend", "water",   "food",
    "dinner"};

// How people wrap a command when they talk to an assistant: politeness and question frames,
// before and after the sentence. Questions ("what time is it") and requests ("set a timer") take
// different ones.
constexpr const char* kQuestionOpeners[] = {"can you tell me", "tell me", "please tell me",
                                            "i want to know", "hey"};
constexpr const char* kRequestOpeners[] = {
    "please",    "can you",     "could you", "can you please",
    "i want to", "i'd like to", "hey",       "would you"};
constexpr const char* kClosers[] = {"please", "now", "right now", "for me", "thanks"};
constexpr const char* kQuestionWords[] = {"what", "when", "where", "which", "who", "how",
                                          "is",   "are",  "do",    "does",  "can", "will"};

using Gram = std::vector<std::string>;

struct Counts {
  std::map<Gram, double> grams;     // n-gram -> count (a frame's n-grams count a fraction)
  std::map<Gram, double> contexts;  // (n-1)-gram -> count of n-grams it starts
};

struct Framed {
  Gram words;
  double weight;
};

// Each sentence of the corpus in every frame of its kind, so that the model knows "please"
// after "minutes" and "tell me" before "what": the frames of sentence i count `weight` times
// its own weight in all.
// Frames with a word the recognizer cannot say are left out.
std::vector<Framed> frames_around(const std::vector<Gram>& corpus, std::span<const double> weights,
                                  double weight,
                                  const std::function<bool(const std::string&)>& known) {
  auto sayable = [&](std::span<const char* const> frames) {
    std::vector<Gram> kept;
    for (const char* frame : frames) {
      auto words = split_words(frame);
      if (std::ranges::all_of(words, known)) kept.push_back(std::move(words));
    }
    return kept;
  };
  const auto question_openers = sayable(kQuestionOpeners);
  const auto request_openers = sayable(kRequestOpeners);
  const auto closers = sayable(kClosers);
  std::vector<Framed> all;
  for (std::size_t i = 0; i < corpus.size(); ++i) {
    const auto& sentence = corpus[i];
    if (sentence.empty()) continue;
    bool question = std::ranges::find(kQuestionWords, sentence.front()) != std::end(kQuestionWords);
    const auto& openers = question ? question_openers : request_openers;
    const double each = weights[i] * weight / static_cast<double>(openers.size() + closers.size());
    for (const auto& opener : openers) {
      Gram with = opener;
      with.insert(with.end(), sentence.begin(), sentence.end());
      all.push_back({std::move(with), each});
    }
    for (const auto& closer : closers) {
      Gram with = sentence;
      with.insert(with.end(), closer.begin(), closer.end());
      all.push_back({std::move(with), each});
    }
  }
  return all;
}

double log10_or_floor(double p) {
  return p > 0 ? std::log10(p) : -99.0;
}

}  // namespace

std::span<const char* const> everyday_words() {
  return kEverydayWordList;
}

std::set<std::string> words_beyond_the_corpus() {
  std::set<std::string> words(std::begin(kEverydayWordList), std::end(kEverydayWordList));
  for (auto frames :
       {std::span<const char* const>(kQuestionOpeners),
        std::span<const char* const>(kRequestOpeners), std::span<const char* const>(kClosers)}) {
    for (const char* frame : frames) {
      for (auto& word : split_words(frame)) words.insert(std::move(word));
    }
  }
  return words;
}

std::string make_language_model(const std::vector<std::vector<std::string>>& corpus,
                                const LanguageModelOptions& options,
                                const std::function<bool(const std::string&)>& known,
                                std::span<const std::size_t> corpus_intent) {
  constexpr std::size_t kOrder = 3;
  std::vector<Counts> counts(kOrder + 1);
  std::set<std::string> vocabulary;
  double tokens = 0;
  auto add_counts = [&](const Gram& sentence, std::size_t lowest_order, double weight) {
    Gram padded{"<s>"};
    padded.insert(padded.end(), sentence.begin(), sentence.end());
    padded.push_back("</s>");
    for (std::size_t i = 1; i < padded.size(); ++i) {
      vocabulary.insert(padded[i]);
      for (std::size_t n = lowest_order; n <= kOrder && n <= i + 1; ++n) {
        Gram gram(padded.begin() + static_cast<std::ptrdiff_t>(i + 1 - n),
                  padded.begin() + static_cast<std::ptrdiff_t>(i + 1));
        counts[n].grams[gram] += weight;
        if (n == 1) {
          tokens += weight;
        } else {
          counts[n].contexts[Gram(gram.begin(), gram.end() - 1)] += weight;
        }
      }
    }
  };
  // Each sentence's weight: (the mean intent's sentences / its intent's) ^ intent_balance, so that
  // the corpus weighs as much in all.
  std::vector<double> weights(corpus.size(), 1.0);
  if (options.intent_balance > 0 && corpus_intent.size() == corpus.size()) {
    std::map<std::size_t, double> per_intent;
    for (auto intent : corpus_intent) ++per_intent[intent];
    const double mean = static_cast<double>(corpus.size()) / static_cast<double>(per_intent.size());
    for (std::size_t i = 0; i < corpus.size(); ++i)
      weights[i] = std::pow(mean / per_intent[corpus_intent[i]], options.intent_balance);
  }
  for (std::size_t i = 0; i < corpus.size(); ++i) {
    if (!corpus[i].empty()) add_counts(corpus[i], 1, weights[i]);
  }
  if (vocabulary.empty()) return "";
  // The frames join words, but do not make their own words likelier anywhere else: a frame's
  // "you" must not turn "what is the date" into "what is the do you".
  if (options.frame_weight > 0) {
    for (const auto& [words, weight] :
         frames_around(corpus, weights, options.frame_weight, known)) {
      add_counts(words, 2, weight);
    }
  }
  for (const char* word : everyday_words()) {
    if (known(word)) vocabulary.insert(word);
  }
  vocabulary.erase("</s>");

  // Probabilities of every order, interpolated with the order below; backoff weights (the
  // interpolation's share, which is what an unseen word gets times the lower order).
  std::map<Gram, double> probability;
  std::map<Gram, double> backoff;
  const double flat = options.everyday_weight / static_cast<double>(vocabulary.size() + 1);
  auto unigram = [&](const std::string& word) {
    auto it = counts[1].grams.find({word});
    double counted = it == counts[1].grams.end() ? 0 : it->second / tokens;
    return (1 - options.everyday_weight) * counted + flat;
  };
  for (const auto& word : vocabulary) probability[{word}] = unigram(word);
  probability[{"</s>"}] = unigram("</s>");
  auto lower = [&](const Gram& gram) {
    // The order below's probability of gram's last word after gram's shorter history.
    Gram shorter(gram.begin() + 1, gram.end());
    if (auto it = probability.find(shorter); it != probability.end()) return it->second;
    Gram history(shorter.begin(), shorter.end() - 1);
    auto bow = backoff.find(history);
    return (bow == backoff.end() ? 1.0 : bow->second) * probability[{shorter.back()}];
  };
  // Absolute discounting of counts below 1 too: a count c gives up discount * min(c, 1), so a
  // frame's fraction is discounted in proportion and never below 0 (whole counts as before).
  auto given_up = [&](double count) { return options.discount * std::min(count, 1.0); };
  for (std::size_t n = 2; n <= kOrder; ++n) {
    for (const auto& [gram, count] : counts[n].grams) {
      Gram history(gram.begin(), gram.end() - 1);
      backoff[history] += given_up(count) / counts[n].contexts[history];
    }
    for (const auto& [gram, count] : counts[n].grams) {
      Gram history(gram.begin(), gram.end() - 1);
      probability[gram] =
          (count - given_up(count)) / counts[n].contexts[history] + backoff[history] * lower(gram);
    }
  }

  std::string arpa = "\\data\\\n";
  std::vector<std::size_t> sizes(kOrder + 1, 0);
  for (const auto& [gram, p] : probability) ++sizes[gram.size()];
  ++sizes[1];  // <s>
  for (std::size_t n = 1; n <= kOrder; ++n) arpa += fmt::format("ngram {}={}\n", n, sizes[n]);
  for (std::size_t n = 1; n <= kOrder; ++n) {
    arpa += fmt::format("\n\\{}-grams:\n", n);
    if (n == 1) arpa += fmt::format("-99 <s> {:.5f}\n", log10_or_floor(backoff[{"<s>"}]));
    for (const auto& [gram, p] : probability) {
      if (gram.size() != n) continue;
      arpa += fmt::format("{:.5f} {}", std::log10(p), fmt::join(gram, " "));
      if (n < kOrder) {
        auto bow = backoff.find(gram);
        arpa += fmt::format(" {:.5f}", bow == backoff.end() ? 0.0 : log10_or_floor(bow->second));
      }
      arpa += '\n';
    }
  }
  arpa += "\n\\end\\\n";
  return arpa;
}

}  // namespace hark::listener
