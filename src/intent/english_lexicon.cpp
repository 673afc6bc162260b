#include "intent/english_lexicon.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace hark::intent {
namespace {

// Groups of words an assistant's user says for one another. Only words that keep their meaning
// in every skill's context belong here: "clear" (skies, a list) or "make" do not. A word may be
// in several groups ("cancel" a timer is to delete it, "cancel that" is to stop).
constexpr std::string_view kSynonymGroups[][6] = {
    {"cpu", "processor"},
    {"gpu", "graphics"},
    {"ram", "memory"},
    {"quiet", "low", "soft"},
    {"loud", "high"},
    {"max", "maximum", "full"},
    {"default", "normal", "usual", "standard"},
    {"mute", "silence", "silent"},
    {"audio", "sound"},
    {"joke", "funny", "laugh", "humor", "humour"},
    {"born", "birthday", "birth"},
    {"old", "age"},
    {"called", "name", "named"},
    {"cancel", "delete", "remove", "erase", "dismiss", "scrap"},
    {"begin", "start"},
    {"stop", "cancel", "halt", "cease", "quit", "abort"},
    {"cancel", "kill", "stop"},  // a timer or a process is killed, it stops
    {"usage", "load", "busy", "utilization"},
    {"forecast", "outlook"},
    {"temperature", "degrees"},
    {"umbrella", "raincoat"},
    {"sunrise", "dawn", "daybreak"},
    {"sunset", "dusk", "nightfall"},
    {"storm", "thunderstorm", "thunder", "lightning"},
    {"cloudy", "overcast"},
    {"hot", "warm"},
    {"cold", "chilly", "freezing"},
    {"humid", "humidity", "muggy"},
    {"location", "city", "town", "place"},
    {"hello", "hi", "hiya", "howdy", "greetings"},
    {"thanks", "thank", "cheers"},
    {"speak", "talk"},
    {"search", "look", "find", "lookup"},
    {"speed", "fast", "bandwidth"},
    {"nap", "sleep", "snooze"},
    {"astronaut", "crew", "people"},
    {"timer", "countdown"},
};

// Filler people wrap requests in ("hey ... please", "can you tell me", "alright"), and the
// assistant's names, "assistant" included ("hi there assistant").
constexpr std::string_view kFillerWords[] = {
    "hey",   "hi",   "ok",     "okay", "please",    "so",       "um",    "uh",
    "well",  "just", "right",  "now",  "could",     "can",      "would", "you",
    "tell",  "me",   "i",      "want", "to",        "know",     "the",   "a",
    "an",    "do",   "kindly", "like", "wonder",    "actually", "hark",  "mycroft",
    "there", "if",   "maybe",  "some", "assistant", "alright"};

// Frequent English words that carry no subject of their own, everyday verbs people wrap a
// request in among them ("read me", "check", "show", "put on a timer").
constexpr std::string_view kCommonWords[] = {
    "about",    "after",   "again",     "all",     "also",   "am",     "another", "any",
    "anything", "are",     "around",    "as",      "at",     "away",   "back",    "be",
    "been",     "bit",     "both",      "buddy",   "but",    "by",     "check",   "currently",
    "dear",     "did",     "does",      "doing",   "done",   "dude",   "each",    "even",
    "ever",     "every",   "exactly",   "for",     "from",   "get",    "give",    "go",
    "going",    "gonna",   "good",      "got",     "guys",   "had",    "has",     "have",
    "he",       "hear",    "her",       "here",    "him",    "his",    "how",     "into",
    "is",       "it",      "its",       "kind",    "let",    "little", "lot",     "mate",
    "me",       "might",   "moment",    "more",    "most",   "much",   "must",    "my",
    "need",     "no",      "not",       "of",      "oh",     "on",     "only",    "or",
    "our",      "out",     "over",      "perhaps", "pretty", "put",    "quite",   "rather",
    "read",     "real",    "really",    "say",     "see",    "she",    "should",  "show",
    "somebody", "someone", "something", "sort",    "still",  "such",   "sure",    "than",
    "that",     "the",     "their",     "them",    "then",   "these",  "they",    "thing",
    "this",     "those",   "too",       "up",      "us",     "very",   "was",     "way",
    "we",       "were",    "what",      "when",    "where",  "which",  "while",   "who",
    "why",      "will",    "with",      "yeah",    "yes",    "yet",    "you",     "your",
    "yourself"};

// Articles, possessives, demonstratives and interrogatives ("what time", "which day"): a noun
// phrase follows.
constexpr std::string_view kDeterminers[] = {"a",     "an",    "the",  "my",    "your", "his",
                                             "her",   "its",   "our",  "their", "this", "that",
                                             "these", "those", "what", "which", "whose"};
// Prepositions: a noun phrase follows, or ends the utterance before them ("who are you voting
// for"). "to" also opens a verb ("going to vote"), which names what is asked about all the same.
constexpr std::string_view kPrepositions[] = {"in",     "at",    "on",    "of",   "for",
                                              "with",   "from",  "until", "till", "about",
                                              "before", "after", "to"};

// Adverbs of time: they end a clause, so the word before them ends its noun phrase ("the
// markets today").
constexpr std::string_view kTimeAdverbs[] = {"today",  "tonight", "tomorrow", "yesterday",
                                             "lately", "later",   "soon"};

struct Lexicon {
  // Stem -> the stems of every group it is in, itself included.
  std::unordered_map<std::string, std::vector<std::string>> synonyms;
  std::unordered_set<std::string> common;  // stems
  std::unordered_set<std::string_view> filler{std::begin(kFillerWords), std::end(kFillerWords)};

  Lexicon() {
    for (const auto& words : kSynonymGroups) {
      std::vector<std::string> stems;
      for (auto word : words)
        if (!word.empty()) stems.push_back(english_stem(word));
      for (const auto& stem : stems) {
        auto& into = synonyms[stem];
        for (const auto& other : stems)
          if (std::find(into.begin(), into.end(), other) == into.end()) into.push_back(other);
      }
    }
    for (auto word : kCommonWords) common.insert(english_stem(word));
  }
};

const Lexicon& lexicon() {
  static const Lexicon instance;
  return instance;
}

}  // namespace

std::string english_stem(std::string_view word) {
  auto strip = [&](std::size_t suffix) {
    if (word.size() < suffix + 3) return false;
    word.remove_suffix(suffix);
    if (const auto n = word.size();
        n >= 4 && word[n - 1] == word[n - 2] &&
        std::string_view("aeiouls").find(word[n - 1]) == std::string_view::npos)
      word.remove_suffix(1);
    return true;
  };
  if (word.ends_with("ies") && word.size() >= 5)
    return std::string(word.substr(0, word.size() - 3)) + "y";
  if (word.ends_with("ing") && strip(3)) return std::string(word);
  if (word.ends_with("ed") && strip(2)) return std::string(word);
  if (word.ends_with("er") && strip(2)) return std::string(word);  // "louder", "quieter"
  if (word.ends_with("ches") || word.ends_with("shes") || word.ends_with("sses") ||
      word.ends_with("xes")) {
    if (strip(2)) return std::string(word);
  }
  if (word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("us") && strip(1))
    return std::string(word);
  if (word.ends_with('y') && strip(1)) return std::string(word);
  return std::string(word);
}

std::span<const std::string> english_synonym_stems(std::string_view stem) {
  const auto& lex = lexicon();
  auto it = lex.synonyms.find(std::string(stem));
  if (it == lex.synonyms.end()) return {};
  return it->second;
}

bool is_common_english_word(std::string_view stem) {
  return lexicon().common.contains(std::string(stem));
}

bool is_filler_word(std::string_view word) {
  return lexicon().filler.contains(word);
}

bool is_english_question_word(std::string_view word) {
  constexpr std::string_view kQuestionWords[] = {"what", "which", "who", "whom", "whose",
                                                 "when", "where", "why", "how"};
  return std::find(std::begin(kQuestionWords), std::end(kQuestionWords), word) !=
         std::end(kQuestionWords);
}

bool is_english_time_adverb(std::string_view word) {
  return std::find(std::begin(kTimeAdverbs), std::end(kTimeAdverbs), word) !=
         std::end(kTimeAdverbs);
}

bool is_english_other_day(std::string_view word) {
  return word == "tomorrow" || word == "yesterday";
}

bool is_english_preposition(std::string_view word) {
  return std::find(std::begin(kPrepositions), std::end(kPrepositions), word) !=
         std::end(kPrepositions);
}

bool opens_english_noun_phrase(std::string_view word) {
  return is_english_preposition(word) || std::find(std::begin(kDeterminers), std::end(kDeterminers),
                                                   word) != std::end(kDeterminers);
}

}  // namespace hark::intent
