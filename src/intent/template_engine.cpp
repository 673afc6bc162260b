#include "intent/template_engine.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "intent/english_lexicon.h"
#include "intent/spoken_numbers.h"
#include "skills/resources.h"
#include "skills/template.h"
#include "skills/text.h"

namespace hark::intent {
namespace {

namespace text = skills::text;

// Calibration. A word's weight is ln((intents + 1) / intents using it); these scale the rest.
constexpr double kFillerWeight = 0.1;  // "hey", "please", "could": say nothing about intent
constexpr double kMinWeight = 0.05;    // a word every intent uses still counts a little
// A word no template has, relative to the rarest word: more than any template word, since an
// utterance that brings its own subject ("election", "oven") is most often about something else.
constexpr double kUnknownFactor = 1.5;
// A common English word no template has ("hear", "something"), relative to an unknown word: it
// brings no subject of its own.
constexpr double kCommonWordFactor = 0.15;
constexpr double kTypoFactor = 0.85;  // a typo or same-stem match, at most an unknown word's weight
constexpr double kSlotWeight = 1.5;   // a filled slot, about a common content word
// Of a word's weight, when an open slot takes it: little for a word no template has (a name, a
// topic), more for a word of the templates' vocabulary, which says what another intent is about
// ("tell me about the weather" is not a {query} for the encyclopedia).
constexpr double kSlotWordCost = 0.4;
constexpr double kSlotVocabularyCost = 0.7;
constexpr double kOrderFactor = 0.9;     // words all there but in another order
constexpr double kParaphraseCap = 0.94;  // below the high band unless the match is exact
// A paraphrase that leaves unexplained (neither matched nor taken by an anchored slot) a thing the
// skill's templates never name is about something the intent does not handle: "what is the date
// of the next election", "how are the kids", "cancel my dentist appointment". It is at most a
// weak match: the cap times this factor is just under the medium band (0.8).
constexpr double kUnexplainedFactor = 0.85;
// recall x precision at which a paraphrase reaches the medium band (0.8), measured on
// bench/intent_utterances.jsonl and intent_utterances_builtin.jsonl (never on the held-out
// sets); scores map linearly on either side of it.
constexpr double kMediumScore = 0.33;
// Below this (a confidence of 0.48, just under the low band) a sentence is not even scored.
constexpr double kMinScore = 0.2;
constexpr std::size_t kMinTypoLength = 4;  // shorter words have too many neighbours
constexpr std::size_t kMaxUtteranceWords = 48;
// "one hour twenty five minutes and thirty seconds": no number or duration is longer.
constexpr std::size_t kMaxTypedSlotWords = 10;

// Contractions and their apostrophe-less spellings, as people type them.
const std::unordered_map<std::string_view, std::string_view> kWholeWord = {
    {"won't", "will not"},  {"can't", "can not"}, {"cannot", "can not"},  {"shan't", "shall not"},
    {"let's", "let us"},    {"whats", "what is"}, {"wheres", "where is"}, {"hows", "how is"},
    {"whos", "who is"},     {"thats", "that is"}, {"dont", "do not"},     {"cant", "can not"},
    {"doesnt", "does not"}, {"isnt", "is not"},   {"im", "i am"}};
const std::unordered_set<std::string_view> kIsBeforeS = {
    "what", "where", "who", "how", "it", "that", "there", "here", "he", "she", "when", "why"};
const std::array<std::pair<std::string_view, std::string_view>, 6> kSuffixes = {{
    {"n't", " not"},
    {"'re", " are"},
    {"'ve", " have"},
    {"'ll", " will"},
    {"'m", " am"},
    {"'d", " would"},
}};

// Filler, or in English a common word: it says nothing about what is asked for.
bool says_nothing(const std::string& word, bool english) {
  return is_filler_word(word) || (english && is_common_english_word(english_stem(word)));
}

double calibrate(double score) {
  constexpr double kMedium = 0.8;
  if (score <= kMediumScore) return kMedium * score / kMediumScore;
  return kMedium + (1 - kMedium) * (score - kMediumScore) / (1 - kMediumScore);
}

bool is_template_word_char(char32_t c) {
  if (text::is_alnum(c) || c == U'\'') return true;
  // Scripts without case (CJK, Arabic, ...) are letters too; Latin-1 and general punctuation
  // are breaks.
  return c >= 0x250 && !(c >= 0x2000 && c <= 0x206F) && !(c >= 0x3000 && c <= 0x303F) &&
         c != 0xFFFD;
}

// The words of normalize_words, and per word whether it was a possessive ("mother's" is
// "mother").
struct Normalized {
  std::vector<std::string> words;
  std::vector<char> possessive;
};

// Appends the words of a contraction; returns whether the word was a possessive ("today's").
bool expand_contraction(std::string_view word, std::string& out) {
  if (auto it = kWholeWord.find(word); it != kWholeWord.end()) {
    out += it->second;
    return false;
  }
  for (const auto& [suffix, replacement] : kSuffixes) {
    if (word.size() > suffix.size() && word.ends_with(suffix)) {
      out += word.substr(0, word.size() - suffix.size());
      out += replacement;
      return false;
    }
  }
  if (word.size() > 2 && word.ends_with("'s")) {
    auto stem = word.substr(0, word.size() - 2);
    out += stem;
    if (!kIsBeforeS.contains(stem)) return true;
    out += " is";
    return false;
  }
  for (char c : word)
    if (c != '\'') out += c;  // "g'day" and "gday" are one word
  return false;
}

std::vector<std::string> split_words(std::string_view s) {
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start < s.size()) {
    auto end = s.find(' ', start);
    if (end == std::string_view::npos) end = s.size();
    if (end > start) words.emplace_back(s.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

std::string join(std::span<const std::string> words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

Normalized normalize(std::string_view input) {
  std::string lowered = text::lower(input);
  std::string spaced;
  for (std::size_t pos = 0; pos < lowered.size();) {
    char32_t c = text::decode(lowered, pos);
    if (c == U'\u2019' || c == U'\u2018' || c == U'`') c = U'\'';
    if (is_template_word_char(c))
      text::append_utf8(spaced, c);
    else
      spaced += ' ';
  }
  Normalized out;
  for (const auto& word : split_words(spaced)) {
    auto trimmed = std::string_view(word);
    while (!trimmed.empty() && trimmed.front() == '\'') trimmed.remove_prefix(1);
    while (!trimmed.empty() && trimmed.back() == '\'') trimmed.remove_suffix(1);
    if (trimmed.empty()) continue;
    std::string expanded;
    const bool possessive = expand_contraction(trimmed, expanded);
    for (auto& w : split_words(expanded)) {
      out.words.push_back(std::move(w));
      out.possessive.push_back(possessive);
    }
  }
  return out;
}

// Optimal string alignment distance, stopping early: only "<= 1" matters.
bool within_one_edit(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1) return false;
  std::size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (a.size() == b.size()) {
    if (i == a.size()) return true;
    if (a.substr(i + 1) == b.substr(i + 1)) return true;  // substitution
    return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] &&
           a.substr(i + 2) == b.substr(i + 2);  // transposition
  }
  return a.substr(i) == b.substr(i + 1);  // insertion
}

// "skill:slot_<32 hex>" (the bus name of an entity) -> "skill:slot".
std::string entity_key(std::string_view name) {
  auto colon = name.find(':');
  if (colon != std::string_view::npos && name.size() > colon + 34 &&
      name[name.size() - 33] == '_' && std::all_of(name.end() - 32, name.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      }))
    name.remove_suffix(33);
  return std::string(name);
}

std::string_view skill_of(std::string_view name) {
  return name.substr(0, name.find(':'));
}

// What an open slot (one with no entity values) accepts. Padatious learns it from examples;
// without a net, the slot's name says it: in English, {duration} takes only what
// spoken_numbers.h reads as a duration and {number}, {level}, {count}, {amount}, {percent} a
// number, so that "the timer on the oven is broken" fills no {duration}. {date} takes a date as
// people say it ("the 4th of july", "next friday"), besides its entity's values when it has an
// .entity file: those are examples of dates, not the only ones. Other languages and other names
// take any words.
enum class SlotType : std::uint8_t { any, number, duration, date };

SlotType slot_type(bool english, std::string_view slot) {
  if (!english) return SlotType::any;
  if (slot == "duration") return SlotType::duration;
  if (slot == "date") return SlotType::date;
  static const std::unordered_set<std::string_view> kNumberSlots = {
      "number", "level", "count", "amount", "percent", "percentage"};
  return kNumberSlots.contains(slot) ? SlotType::number : SlotType::any;
}

// A template sentence as registered: words, and slots written "{name}".
using Sentence = std::vector<std::string>;

// Expanded sentences of every line that parses; the rest are reported. Digit patterns ("##")
// are left to register_entity.
std::vector<std::string> expand_lines(std::span<const std::string> lines,
                                      std::vector<skills::Diagnostic>& errors) {
  std::vector<std::string> sentences;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (skills::is_digit_pattern(text::strip(lines[i]))) continue;  // an entity's, not words
    auto expanded = skills::expand_template(lines[i], skills::Direction::input);
    if (!expanded.ok()) {
      auto error = expanded.error;
      error.line = static_cast<int>(i + 1);
      errors.push_back(std::move(error));
      continue;
    }
    sentences.insert(sentences.end(), expanded.value->begin(), expanded.value->end());
  }
  return sentences;
}

Sentence tokenize_sentence(std::string_view sentence) {
  Sentence tokens;
  std::size_t pos = 0;
  while (pos < sentence.size()) {
    auto open = sentence.find('{', pos);
    auto words = normalize_words(sentence.substr(pos, open - pos));
    tokens.insert(tokens.end(), words.begin(), words.end());
    if (open == std::string_view::npos) break;
    auto close = sentence.find('}', open);
    tokens.emplace_back(sentence.substr(open, close - open + 1));
    pos = close + 1;
  }
  return tokens;
}

// A closed slot's values: phrases (normalised), and Padatious digit patterns ("##": a number
// of two digits, said "42" or, in English, "forty two").
struct EntityValues {
  std::unordered_set<std::string> phrases;
  std::set<std::size_t> digit_counts;

  bool empty() const { return phrases.empty() && digit_counts.empty(); }
  bool accepts(const std::string& span, bool english) const {
    if (phrases.contains(span)) return true;
    if (digit_counts.empty()) return false;
    if (std::all_of(span.begin(), span.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return digit_counts.contains(span.size());
    const auto value = english ? parse_number(span) : std::nullopt;
    return value && *value >= 0 && *value == std::floor(*value) &&
           digit_counts.contains(std::to_string(static_cast<long long>(*value)).size());
  }
};

struct Registered {
  std::map<std::string, std::vector<Sentence>> intents;
  std::map<std::string, EntityValues> entities;  // by key
  bool dirty = false;
};

// The trained index of one language.
struct Index {
  struct Intent {
    std::string name;
    int skill = 0;  // index of the skill id
    std::vector<std::string> slots;
    // Per slot: its closed values, or null for an open slot, which then takes its type.
    std::vector<const EntityValues*> values;
    std::vector<SlotType> types;
  };
  struct Compiled {
    int intent = 0;
    // Word id >= 0, or slot -(k + 1) for the intent's slot k.
    std::vector<int> tokens;
    double total = 0;        // template-side weight, slots included
    double slot_weight = 0;  // the part of it that slots weigh
  };
  struct Posting {
    int sentence = 0;
    float weight = 0;  // word weight x occurrences in the sentence
  };

  std::unordered_map<std::string, int> word_ids;
  std::vector<std::string> words;
  std::vector<double> weights;
  std::vector<char> says_nothing;          // per word
  std::vector<std::set<int>> word_skills;  // per word, the skills whose templates have it
  // Per skill, whether its templates say a number or have a slot that takes one ("count to 10",
  // "set volume to {level}").
  std::vector<char> skill_says_numbers;
  std::unordered_map<std::string, std::vector<int>> deletions;  // typo lookup
  std::unordered_map<std::string, std::vector<int>> stems;      // English: stem -> words
  std::vector<Intent> intents;
  std::vector<Compiled> sentences;
  std::vector<std::vector<Posting>> postings;
  std::map<std::string, EntityValues> entities;
  double unknown_weight = 0;
  bool english = false;  // English numbers and durations are understood

  double token_weight(int token) const {
    return token >= 0 ? weights[static_cast<std::size_t>(token)] : kSlotWeight;
  }

  int intern(const std::string& word) {
    auto [it, inserted] = word_ids.try_emplace(word, static_cast<int>(words.size()));
    if (inserted) words.push_back(word);
    return it->second;
  }
};

std::vector<std::string> deletions_of(std::string_view word) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < word.size(); ++i) {
    std::string d(word.substr(0, i));
    d += word.substr(i + 1);
    out.push_back(std::move(d));
  }
  return out;
}

Index build_index(const Registered& reg, std::string_view lang) {
  Index index;
  index.entities = reg.entities;
  index.english = lang.starts_with("en");
  std::vector<std::set<int>> intents_using;
  std::map<std::string, int> skill_ids;
  for (const auto& [name, sentences] : reg.intents) {
    const int intent_id = static_cast<int>(index.intents.size());
    const int skill =
        skill_ids.try_emplace(std::string(skill_of(name)), static_cast<int>(skill_ids.size()))
            .first->second;
    Index::Intent intent{name, skill, {}, {}, {}};
    if (index.skill_says_numbers.size() <= static_cast<std::size_t>(skill))
      index.skill_says_numbers.resize(skill + 1);
    std::set<std::vector<int>> seen;
    for (const auto& sentence : sentences) {
      Index::Compiled compiled{intent_id, {}, 0, 0};
      for (const auto& token : sentence) {
        if (token.front() != '{') {
          int id = index.intern(token);
          if (intents_using.size() <= static_cast<std::size_t>(id)) {
            intents_using.resize(id + 1);
            index.word_skills.resize(id + 1);
          }
          intents_using[id].insert(intent_id);
          index.word_skills[id].insert(skill);
          compiled.tokens.push_back(id);
          continue;
        }
        auto slot = token.substr(1, token.size() - 2);
        if (slot_type(index.english, slot) != SlotType::any) index.skill_says_numbers[skill] = 1;
        auto it = std::find(intent.slots.begin(), intent.slots.end(), slot);
        if (it == intent.slots.end()) it = intent.slots.insert(intent.slots.end(), slot);
        compiled.tokens.push_back(-static_cast<int>(it - intent.slots.begin()) - 1);
        compiled.slot_weight += kSlotWeight;
      }
      if (seen.insert(compiled.tokens).second) index.sentences.push_back(std::move(compiled));
    }
    index.intents.push_back(std::move(intent));
  }

  // Once per word, not per sentence: parsing a number is slow next to the rest of training.
  if (index.english)
    for (std::size_t id = 0; id < index.words.size(); ++id)
      if (parse_number(index.words[id]))
        for (const int skill : index.word_skills[id]) index.skill_says_numbers[skill] = 1;
  const double n = static_cast<double>(index.intents.size());
  index.unknown_weight = kUnknownFactor * std::log(n + 1);
  index.weights.resize(index.words.size());
  index.says_nothing.resize(index.words.size());
  for (std::size_t id = 0; id < index.words.size(); ++id) {
    index.says_nothing[id] = says_nothing(index.words[id], index.english);
    double w = std::max(kMinWeight, std::log((n + 1) / double(intents_using[id].size())));
    if (is_filler_word(index.words[id])) w = std::min(w, kFillerWeight);
    index.weights[id] = w;
    if (index.words[id].size() >= kMinTypoLength)
      for (auto& d : deletions_of(index.words[id]))
        index.deletions[std::move(d)].push_back(static_cast<int>(id));
    if (index.english) index.stems[english_stem(index.words[id])].push_back(static_cast<int>(id));
  }

  index.postings.resize(index.words.size());
  for (std::size_t s = 0; s < index.sentences.size(); ++s) {
    auto& sentence = index.sentences[s];
    std::map<int, int> counts;
    for (int token : sentence.tokens) {
      sentence.total += index.token_weight(token);
      if (token >= 0) ++counts[token];
    }
    for (auto [id, count] : counts)
      index.postings[id].push_back({static_cast<int>(s), float(index.weights[id] * count)});
  }

  for (auto& intent : index.intents) {
    for (const auto& slot : intent.slots) {
      const EntityValues* values = nullptr;
      for (const auto& key : {std::string(skill_of(intent.name)) + ":" + slot, slot})
        if (auto it = index.entities.find(key);
            !values && it != index.entities.end() && !it->second.empty())
          values = &it->second;
      intent.values.push_back(values);
      intent.types.push_back(slot_type(index.english, slot));
    }
  }
  return index;
}

// One word of the utterance: its id (or -1), the ids of template words alike (within one edit,
// then those of the same English stem or a synonym's), and its weight.
struct UtteranceWord {
  std::string text;
  int id = -1;
  std::vector<int> alike_ids;
  double weight = 0;
  std::size_t typos = 0;    // the first alike_ids, within one edit
  bool possessive = false;  // "mother's": a noun, whatever follows
  bool number = false;      // English: a number ("5", "forty")
};

class Matcher {
 public:
  Matcher(const Index& index, Normalized utterance) : index_(index) {
    auto& words = utterance.words;
    words.resize(std::min(words.size(), kMaxUtteranceWords));
    for (std::size_t i = 0; i < words.size(); ++i) {
      UtteranceWord u{std::move(words[i]), -1, {}, index.unknown_weight};
      u.possessive = utterance.possessive[i];
      u.number = index.english && parse_number(u.text).has_value();
      if (auto it = index.word_ids.find(u.text); it != index.word_ids.end()) {
        u.id = it->second;
        u.weight = index.weights[u.id];
      } else if (auto digits = digits_of(u.text); digits && index.word_ids.contains(*digits)) {
        // "the five day forecast" is the template's "the 5 day forecast".
        u.id = index.word_ids.at(*digits);
        u.weight = index.weights[u.id];
      } else {
        if (is_filler_word(u.text))
          u.weight = kFillerWeight;
        else if (index.english && is_common_english_word(english_stem(u.text)))
          u.weight = kCommonWordFactor * index.unknown_weight;
        u.alike_ids = typo_candidates(u.text);
        u.typos = u.alike_ids.size();
      }
      add_same_stem(u);
      total_weight_ += u.weight;
      slot_cost_prefix_.push_back(slot_cost_prefix_.back() +
                                  (u.id >= 0 ? kSlotVocabularyCost : kSlotWordCost) * u.weight);
      content_prefix_.push_back(content_prefix_.back() +
                                (says_nothing(u.text, index.english) ? 0 : 1));
      subject_prefix_.push_back(
          subject_prefix_.back() +
          (says_nothing(u.text, index.english) || (index.english && is_english_quality_word(u.text))
               ? 0
               : 1));
      words_.push_back(std::move(u));
    }
    exclaims_ = index.english && words_.size() >= 2 && words_[0].text == "what" &&
                (words_[1].text == "a" || words_[1].text == "an");
  }

  // Whether utterance word i names a thing the skill's templates do not know: in English, a word
  // none of them has (nor its stem or a synonym), neither filler, a common word nor a number,
  // that ends a noun phrase ("the kids", "my dentist appointment", "the next election", "until
  // christmas", the volume skill's "the blinds"; "a dad joke" is a joke), owns something
  // ("mother's day") or comes before a preposition that ends the utterance ("who are you voting
  // for"). Other words are most often another way of saying what the template says ("how have
  // you been lately", "where am i located").
  bool names_foreign_thing(std::size_t i, int skill) const {
    if (!index_.english || !is_content(i)) return false;
    // A number said to a skill that never says one is a value its intents do not take ("set the
    // volume to 5" is no "set volume to default").
    if (words_[i].number) return !index_.skill_says_numbers[static_cast<std::size_t>(skill)];
    // A word one edit from the skill's is still another word ("my last email" is no timer
    // "list"): only its stem or a synonym make it the skill's.
    auto known = [&](std::size_t k) {
      const auto& u = words_[k];
      auto has = [&](int id) { return index_.word_skills[std::size_t(id)].contains(skill); };
      return (u.id >= 0 && has(u.id)) ||
             std::any_of(u.alike_ids.begin() + std::ptrdiff_t(u.typos), u.alike_ids.end(), has);
    };
    // A day other than today that the skill never names is another time than the present its
    // answers are about: "is it sunday tomorrow" to a skill that only knows today ("how are you
    // today" asks what "how are you" asks).
    if (is_english_other_day(words_[i].text)) return !known(i);
    // A word before another that says something is most often its modifier ("a dad joke"),
    // unless it owns it ("mother's day") or the other ends the noun phrase: an adverb of time
    // ("the markets today") or a preposition ("the time in atlantis").
    if (!words_[i].possessive && i + 1 < words_.size() && is_content(i + 1) &&
        !is_english_time_adverb(words_[i + 1].text) && !is_english_preposition(words_[i + 1].text))
      return false;
    if (known(i)) return false;
    // A possessor is a thing: "what date is mother's day" is about mothers, not today.
    if (words_[i].possessive) return true;
    if (i >= 1 && opens_english_noun_phrase(words_[i - 1].text)) return true;
    // A preposition left at the end belongs to the word before it, which says what is asked
    // about: "who are you voting for", "what day was i born on", "when is good morning america
    // on".
    if (i + 2 == words_.size() && is_english_preposition(words_[i + 1].text)) return true;
    // A phrase whose other word the skill knows is about the skill's thing: "a graphics card" is
    // the diagnostics skill's gpu.
    return i >= 2 && opens_english_noun_phrase(words_[i - 2].text) && is_content(i - 1) &&
           !known(i - 1);
  }

  // Per skill: how many of the first i words name a thing its templates do not know.
  const std::vector<std::size_t>& foreign_prefix(int skill) {
    auto [it, fresh] = foreign_prefixes_.try_emplace(skill, std::vector<std::size_t>{0});
    if (fresh)
      for (std::size_t i = 0; i < words_.size(); ++i)
        it->second.push_back(it->second.back() + (names_foreign_thing(i, skill) ? 1 : 0));
    return it->second;
  }

  bool is_content(std::size_t i) const { return content_prefix_[i + 1] > content_prefix_[i]; }

  // "five" -> "5", for an English number word; "a", "an" and "oh" stay words.
  std::optional<std::string> digits_of(const std::string& word) const {
    if (!index_.english || word.size() < 3) return std::nullopt;
    auto value = parse_number(word);
    if (!value || *value != std::floor(*value)) return std::nullopt;
    return std::to_string(static_cast<long long>(*value));
  }

  std::vector<TemplateMatch> top(std::size_t n, const TemplateEngine::IntentFilter& allowed) {
    std::unordered_map<int, TemplateMatch> per_intent;
    std::vector<char> refused;  // per intent, once `allowed` said no
    if (allowed) {
      refused.resize(index_.intents.size());
      for (std::size_t i = 0; i < index_.intents.size(); ++i)
        refused[i] = !allowed(index_.intents[i].name);
    }
    // At equal confidence the template's own words beat words an open slot took, a guess:
    // "which day of the week is today" is "what day of the week is it" before "what day of the
    // week is {date}". So a tie with a match whose slots took words is scored on.
    double nth_best = 0;
    bool nth_guessed = false;
    for (auto [bound, s] : bounded_candidates()) {
      if (per_intent.size() >= n && best_confidence(bound) <= nth_best &&
          (best_confidence(bound) < nth_best || !nth_guessed))
        break;
      const auto& sentence = index_.sentences[s];
      if (!refused.empty() && refused[static_cast<std::size_t>(sentence.intent)]) continue;
      auto& kept = per_intent[sentence.intent];
      auto scored = score(sentence);
      if (!ranks_before(scored, kept)) continue;
      kept = std::move(scored);
      kept.intent = index_.intents[sentence.intent].name;
      nth_best = nth_confidence(per_intent, n);
      nth_guessed = std::any_of(per_intent.begin(), per_intent.end(), [&](const auto& kept_match) {
        return kept_match.second.confidence == nth_best && slot_words(kept_match.second) > 0;
      });
    }
    std::vector<TemplateMatch> best;
    for (auto& [id, match] : per_intent)
      if (match.confidence > 0) best.push_back(std::move(match));
    std::sort(best.begin(), best.end(), [](const auto& a, const auto& b) {
      if (a.confidence != b.confidence || slot_words(a) != slot_words(b)) return ranks_before(a, b);
      return a.intent < b.intent;
    });
    if (best.size() > n) best.resize(n);
    return best;
  }

 private:
  enum class Step : std::uint8_t { none, skip_word, skip_token, match, slot };
  struct Cell {
    double objective = -1e18;  // unreached
    double matched_t = 0, matched_u = 0, unmatched_u = 0;
    bool inexact = false;
    // Words naming a thing foreign to the skill (names_foreign_thing) that the alignment leaves
    // unexplained, and those the last open slot took, unexplained too unless a template word
    // after the slot matches before one that says something is skipped.
    std::uint16_t unexplained = 0, slot_words_to_anchor = 0;
    // Whether every template word since the last match (or the start) said nothing, so that a
    // slot here is anchored on its left.
    bool anchored = true;
    Step step = Step::none;
    std::uint16_t from = 0;  // utterance position where a slot step starts
  };

  static std::size_t slot_words(const TemplateMatch& m) {
    std::size_t words = 0;
    for (const auto& [slot, value] : m.slots)
      words += value.empty()
                   ? 0
                   : 1 + static_cast<std::size_t>(std::count(value.begin(), value.end(), ' '));
    return words;
  }

  // Higher confidence first, then fewer words taken by slots.
  static bool ranks_before(const TemplateMatch& a, const TemplateMatch& b) {
    if (a.confidence != b.confidence) return a.confidence > b.confidence;
    return slot_words(a) < slot_words(b);
  }

  static double nth_confidence(const std::unordered_map<int, TemplateMatch>& per_intent,
                               std::size_t n) {
    if (per_intent.size() < n) return 0;
    std::vector<double> c;
    for (const auto& [id, match] : per_intent) c.push_back(match.confidence);
    std::nth_element(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(n - 1), c.end(),
                     std::greater<>());
    return c[n - 1];
  }

  // Template words of the same English stem, or of a synonym's ("quieter" is "low").
  void add_same_stem(UtteranceWord& u) const {
    if (!index_.english) return;
    const auto stem = english_stem(u.text);
    auto add = [&](const std::string& key) {
      auto it = index_.stems.find(key);
      if (it == index_.stems.end()) return;
      for (int id : it->second)
        if (id != u.id &&
            std::find(u.alike_ids.begin(), u.alike_ids.end(), id) == u.alike_ids.end())
          u.alike_ids.push_back(id);
    };
    add(stem);
    for (const auto& synonym : english_synonym_stems(stem))
      if (synonym != stem) add(synonym);
  }

  std::vector<int> typo_candidates(const std::string& word) const {
    std::vector<int> ids;
    if (word.size() < kMinTypoLength) return ids;
    auto consider = [&](int id) {
      if (within_one_edit(word, index_.words[id]) &&
          std::find(ids.begin(), ids.end(), id) == ids.end())
        ids.push_back(id);
    };
    auto consider_deletions = [&](const std::string& key) {
      if (auto it = index_.deletions.find(key); it != index_.deletions.end())
        for (int id : it->second) consider(id);
    };
    consider_deletions(word);
    for (const auto& d : deletions_of(word)) {
      if (auto it = index_.word_ids.find(d); it != index_.word_ids.end()) consider(it->second);
      consider_deletions(d);
    }
    return ids;
  }

  // Every sentence sharing a word with the utterance, with an upper bound of its score, best
  // bound first: recall <= the weight of its words the utterance has, and precision <= the
  // weight of the utterance words it has against what the rest must cost at least. The bound
  // holds because a match with a word alike never weighs more than an unknown word.
  std::vector<std::pair<double, int>> bounded_candidates() const {
    const std::size_t count = index_.sentences.size();
    std::vector<double> recall_weight(count), precision_weight(count);
    std::vector<int> seen_by(count, -1);  // the last utterance word that added its weight
    std::vector<int> touched;
    std::vector<char> counted(index_.words.size());
    for (std::size_t i = 0; i < words_.size(); ++i) {
      const auto& u = words_[i];
      std::vector<int> ids = u.alike_ids;
      if (u.id >= 0) ids.push_back(u.id);
      const double most =
          u.alike_ids.empty() ? u.weight : std::max(u.weight, index_.unknown_weight);
      for (int id : ids) {
        const bool fresh = !std::exchange(counted[static_cast<std::size_t>(id)], 1);
        for (const auto& p : index_.postings[static_cast<std::size_t>(id)]) {
          const auto s = static_cast<std::size_t>(p.sentence);
          if (seen_by[s] == -1) touched.push_back(p.sentence);
          if (fresh) recall_weight[s] += p.weight;
          if (std::exchange(seen_by[s], static_cast<int>(i)) != static_cast<int>(i))
            precision_weight[s] += most;
        }
      }
    }
    std::vector<std::pair<double, int>> out;
    for (int s : touched) {
      const auto& sentence = index_.sentences[static_cast<std::size_t>(s)];
      const auto k = static_cast<std::size_t>(s);
      const double recall =
          std::min(1.0, (recall_weight[k] + sentence.slot_weight) / sentence.total);
      // Words the sentence lacks are skipped (full weight) or taken by a slot (a part of it).
      const double lacking = std::max(0.0, total_weight_ - precision_weight[k]);
      const double cost =
          sentence.slot_weight > 0 ? std::min(kSlotWordCost, kSlotVocabularyCost) : 1.0;
      const double precision = precision_weight[k] / (precision_weight[k] + cost * lacking);
      if (recall * precision >= kMinScore) out.emplace_back(recall * precision, s);
    }
    std::sort(out.begin(), out.end(), std::greater<>());
    return out;
  }

  // Whether `span` (words of the utterance) is one of `values` or of `type`. A slot's entity
  // values are named as the slot is, so a pointer to them says its type too.
  bool accepts(const EntityValues* values, SlotType type, const std::string& span) const {
    if (values && values->accepts(span, index_.english)) return true;
    switch (type) {
      case SlotType::any:
        return false;
      case SlotType::number:
        return parse_number(span).has_value();
      case SlotType::duration:
        return parse_duration(span).has_value();
      case SlotType::date:
        return is_spoken_date(span);
    }
    return false;
  }

  // Whether utterance words [from, to) can fill slot k of an intent: one of its values, or
  // words of its type. Each is worked out once per utterance for every span, not per sentence.
  bool slot_allows(const Index::Intent& intent, std::size_t slot, std::size_t from,
                   std::size_t to) {
    const auto* values = intent.values[slot];
    const auto type = intent.types[slot];
    // An open slot names something: "tell me something funny" fills no {query} with
    // "me something", "tell me a silly joke" no "tell me a {query} joke" with "silly".
    if (!values && type == SlotType::any)
      return !index_.english || subject_prefix_[to] > subject_prefix_[from];
    const std::size_t n = words_.size();
    const void* key = values ? static_cast<const void*>(values) : &kTypeKeys[std::size_t(type)];
    auto [it, fresh] = spans_.try_emplace(key);
    if (fresh) {
      it->second.assign(n * (n + 1), 0);
      for (std::size_t i = 0; i < n; ++i) {
        std::string span;
        for (std::size_t j = i; j < n && (values || j - i < kMaxTypedSlotWords); ++j) {
          if (j > i) span += ' ';
          span += words_[j].text;
          it->second[i * (n + 1) + j + 1] = accepts(values, type, span);
        }
      }
    }
    return it->second[from * (n + 1) + to] != 0;
  }

  // Weight of a match between utterance word i and template word id (0: none).
  double match_weight(std::size_t i, int id) const {
    const auto& u = words_[i];
    const double w = index_.weights[static_cast<std::size_t>(id)];
    if (u.id == id) return w;
    if (std::find(u.alike_ids.begin(), u.alike_ids.end(), id) != u.alike_ids.end())
      return std::min(kTypoFactor * w, index_.unknown_weight);
    return 0;
  }

  struct Alignment {
    double score = 0;  // recall x precision
    // A thing foreign to the skill left unexplained, or an exclamation: at most a weak match.
    bool unexplained = false;
  };

  // The best confidence a sentence whose score (recall x precision) is at most `bound` can
  // reach, on the scale the search compares it with. Only an exact match scores 1, up to the
  // rounding of the bound's sums.
  static double best_confidence(double bound) {
    constexpr double kRounding = 1e-4;
    return bound >= 1 - kRounding ? 1.0 : std::min(kParaphraseCap, calibrate(bound));
  }

  // The confidence of an inexact alignment: the OVOS bands below the high one.
  static double paraphrase_confidence(const Alignment& a) {
    const double confidence = std::min(kParaphraseCap, calibrate(a.score));
    return a.unexplained ? kUnexplainedFactor * confidence : confidence;
  }

  // The alignment with word order ignored, each template word taking the first utterance word
  // it matches: "tomorrow will it rain" for "will it rain tomorrow". Slots need an order to take
  // their words, so sentences with slots are only aligned in order.
  Alignment unordered_alignment(const Index::Compiled& sentence,
                                const std::vector<std::size_t>& foreign) const {
    std::vector<char> used(words_.size());
    double matched = 0;
    for (int token : sentence.tokens) {
      for (std::size_t i = 0; i < words_.size(); ++i) {
        const double w = used[i] ? 0 : match_weight(i, token);
        if (w <= 0) continue;
        used[i] = 1;
        matched += w;
        break;
      }
    }
    if (matched <= 0) return {};
    Alignment a;
    double unmatched = 0;
    for (std::size_t i = 0; i < words_.size(); ++i) {
      if (used[i]) continue;
      unmatched += words_[i].weight;
      a.unexplained = a.unexplained || foreign[i + 1] > foreign[i];
    }
    a.score = matched / sentence.total * matched / (matched + unmatched);
    return a;
  }

  // In-order weighted alignment of the utterance and one sentence, maximising matched weight
  // on both sides minus what is left unmatched on either; a slot takes one or more words.
  TemplateMatch score(const Index::Compiled& sentence) {
    const auto& intent = index_.intents[static_cast<std::size_t>(sentence.intent)];
    const auto& foreign = foreign_prefix(intent.skill);
    const std::size_t n = words_.size(), m = sentence.tokens.size();
    cells_.assign((n + 1) * (m + 1), Cell{});
    auto at = [&](std::size_t i, std::size_t j) -> Cell& { return cells_[i * (m + 1) + j]; };
    auto relax = [](Cell& to, const Cell& candidate) {
      if (candidate.objective > to.objective) to = candidate;
    };
    at(0, 0).objective = 0;
    for (std::size_t i = 0; i <= n; ++i) {
      for (std::size_t j = 0; j <= m; ++j) {
        const Cell here = at(i, j);
        if (here.objective <= -1e17) continue;
        if (i < n) {
          Cell c = here;
          c.objective -= words_[i].weight;
          c.unmatched_u += words_[i].weight;
          c.inexact = true;
          c.unexplained += static_cast<std::uint16_t>(foreign[i + 1] - foreign[i]);
          c.step = Step::skip_word;
          relax(at(i + 1, j), c);
        }
        if (j == m) continue;
        const int token = sentence.tokens[j];
        Cell skipped = here;
        skipped.objective -= index_.token_weight(token);
        skipped.inexact = true;
        if (token < 0 || !index_.says_nothing[static_cast<std::size_t>(token)]) {
          skipped.unexplained += std::exchange(skipped.slot_words_to_anchor, 0);
          skipped.anchored = false;
        }
        skipped.step = Step::skip_token;
        relax(at(i, j + 1), skipped);
        if (i == n) continue;
        if (token >= 0) {
          const double w = match_weight(i, token);
          if (w <= 0) continue;
          Cell c = here;
          c.objective += 2 * w;
          c.matched_t += w;
          c.matched_u += w;
          if (here.step == Step::slot) {  // the slot just before is anchored on its right
            c.objective += kSlotWeight / 2;
            c.matched_t += kSlotWeight / 2;
          }
          c.inexact = here.inexact || words_[i].id != token;
          c.slot_words_to_anchor = 0;
          c.anchored = true;
          c.step = Step::match;
          relax(at(i + 1, j + 1), c);
          continue;
        }
        for (std::size_t k = i + 1; k <= n; ++k) {
          const auto slot = static_cast<std::size_t>(-token - 1);
          if (!slot_allows(intent, slot, i, k)) continue;
          // An open slot takes any words, so what it takes still counts against precision:
          // otherwise "my brother tells terrible jokes" is "{query} jokes". Words that are one
          // of the slot's values or of its type are what it is for, and cost nothing.
          const bool checked = intent.values[slot] || intent.types[slot] != SlotType::any;
          const double cost = checked ? 0.0 : slot_cost_prefix_[k] - slot_cost_prefix_[i];
          // A slot is credited for the template words matched on either side of it, half a
          // slot's weight per side, so that it cannot stand in for template words the utterance
          // lacks. A side where the template ends counts as matched; the right side is
          // credited by the match after it.
          const bool left = j == 0 || here.step == Step::match;
          const double credit = kSlotWeight / 2 * (double(left) + double(j + 1 == m));
          Cell c = here;
          c.objective += credit - cost;
          c.matched_t += credit;
          c.unmatched_u += cost;
          // What an open slot takes is explained only between template words that matched (or
          // the template's ends): "cancel my dentist appointment" fills no "cancel my {name}
          // timer". Skipped words that say nothing ("ask wolfram [the] {query}") do not count.
          const auto taken = checked ? 0 : static_cast<std::uint16_t>(foreign[k] - foreign[i]);
          c.unexplained += std::exchange(c.slot_words_to_anchor, 0);
          if (here.anchored)
            c.slot_words_to_anchor = taken;
          else
            c.unexplained += taken;
          c.anchored = false;
          c.step = Step::slot;
          c.from = static_cast<std::uint16_t>(i);
          relax(at(k, j + 1), c);
        }
      }
    }
    const Cell& end = at(n, m);
    TemplateMatch result;
    Alignment best;
    if (end.matched_u > 0) {
      const double recall = end.matched_t / sentence.total;
      best = {recall * end.matched_u / (end.matched_u + end.unmatched_u), end.unexplained > 0};
    }
    if (sentence.slot_weight == 0) {
      auto unordered = unordered_alignment(sentence, foreign);
      unordered.score *= kOrderFactor;
      if (paraphrase_confidence(unordered) > paraphrase_confidence(best)) best = unordered;
    }
    if (best.score <= 0) return result;
    const auto& t = sentence.tokens;
    if (exclaims_ && !(t.size() >= 2 && t[0] == words_[0].id && t[1] == words_[1].id))
      best.unexplained = true;
    result.confidence = end.inexact ? paraphrase_confidence(best) : 1.0;
    // Walk back for the slot spans.
    for (std::size_t i = n, j = m; i > 0 || j > 0;) {
      const Cell& c = at(i, j);
      switch (c.step) {
        case Step::skip_word:
          --i;
          break;
        case Step::skip_token:
          --j;
          break;
        case Step::match:
          --i, --j;
          break;
        case Step::slot: {
          std::vector<std::string> span;
          for (std::size_t k = c.from; k < i; ++k) span.push_back(words_[k].text);
          result.slots[intent.slots[static_cast<std::size_t>(-sentence.tokens[j - 1] - 1)]] =
              join(span);
          i = c.from, --j;
          break;
        }
        case Step::none:
          i = j = 0;
          break;
      }
    }
    return result;
  }

  const Index& index_;
  std::vector<UtteranceWord> words_;
  double total_weight_ = 0;
  // What an open slot taking the first i words costs.
  std::vector<double> slot_cost_prefix_{0.0};
  // How many of the first i words are neither filler nor common English words.
  std::vector<std::size_t> content_prefix_{0};
  // How many of the first i words name a subject: content words but how good or new a thing is
  // ("silly", "best").
  std::vector<std::size_t> subject_prefix_{0};
  std::unordered_map<int, std::vector<std::size_t>> foreign_prefixes_;  // by skill
  // In English, an utterance opening with "what a" or "what an" exclaims ("what a lovely day"):
  // it asks for nothing, unless a template opens the same way, and is at most a weak match.
  bool exclaims_ = false;
  std::vector<Cell> cells_;
  // Entity values or slot type -> whether words [i, j) fill the slot, at i * (words + 1) + j.
  static constexpr char kTypeKeys[4] = {};  // an address per SlotType
  std::unordered_map<const void*, std::vector<char>> spans_;
};

}  // namespace

struct TemplateEngine::Impl {
  std::map<std::string, Registered> registered;  // by language
  std::map<std::string, Index> trained;

  void retrain(const std::string& lang) {
    auto& reg = registered[lang];
    trained[lang] = build_index(reg, lang);
    reg.dirty = false;
  }
};

TemplateEngine::TemplateEngine() : impl_(std::make_unique<Impl>()) {}
TemplateEngine::~TemplateEngine() = default;
TemplateEngine::TemplateEngine(TemplateEngine&&) noexcept = default;
TemplateEngine& TemplateEngine::operator=(TemplateEngine&&) noexcept = default;

std::vector<skills::Diagnostic> TemplateEngine::register_intent(
    std::string_view lang, std::string_view name, std::span<const std::string> samples) {
  std::vector<skills::Diagnostic> errors;
  std::vector<Sentence> sentences;
  for (const auto& sentence : expand_lines(samples, errors))
    sentences.push_back(tokenize_sentence(sentence));
  auto& reg = impl_->registered[text::lang_key(lang)];
  reg.intents[std::string(name)] = std::move(sentences);
  reg.dirty = true;
  return errors;
}

std::vector<skills::Diagnostic> TemplateEngine::register_entity(
    std::string_view lang, std::string_view name, std::span<const std::string> lines) {
  std::vector<skills::Diagnostic> errors;
  EntityValues values;
  for (const auto& line : lines)
    if (const auto stripped = text::strip(line); skills::is_digit_pattern(stripped))
      values.digit_counts.insert(stripped.size());
  for (const auto& value : expand_lines(lines, errors)) {
    auto words = normalize_words(value);
    if (!words.empty()) values.phrases.insert(join(words));
  }
  auto& reg = impl_->registered[text::lang_key(lang)];
  reg.entities[entity_key(name)] = std::move(values);
  reg.dirty = true;
  return errors;
}

void TemplateEngine::detach_intent(std::string_view name) {
  for (auto& [lang, reg] : impl_->registered)
    if (reg.intents.erase(std::string(name)) > 0) impl_->retrain(lang);
}

void TemplateEngine::detach_skill(std::string_view skill_id) {
  for (auto& [lang, reg] : impl_->registered) {
    auto owned = [&](const auto& entry) {
      return skill_of(entry.first) == skill_id && entry.first.find(':') != std::string::npos;
    };
    const auto removed = std::erase_if(reg.intents, owned) + std::erase_if(reg.entities, owned);
    if (removed > 0) impl_->retrain(lang);
  }
}

TrainStats TemplateEngine::train() {
  TrainStats stats;
  for (auto& [lang, reg] : impl_->registered) {
    if (reg.dirty) impl_->retrain(lang);
    const auto& index = impl_->trained[lang];
    stats.intents += index.intents.size();
    stats.sentences += index.sentences.size();
  }
  return stats;
}

std::optional<TemplateMatch> TemplateEngine::match(std::string_view utterance,
                                                   std::string_view lang) const {
  auto best = match_top(utterance, lang, 1);
  if (best.empty()) return std::nullopt;
  return std::move(best.front());
}

std::vector<TemplateMatch> TemplateEngine::match_top(std::string_view utterance,
                                                     std::string_view lang, std::size_t n,
                                                     const IntentFilter& allowed) const {
  auto it = impl_->trained.find(text::lang_key(lang));
  if (it == impl_->trained.end() || n == 0) return {};
  const auto& index = it->second;
  auto words = index.english ? normalize(english_said_plainly(text::lower(utterance)))
                             : normalize(utterance);
  return Matcher(index, std::move(words)).top(n, allowed);
}

std::vector<std::string> normalize_words(std::string_view input) {
  return normalize(input).words;
}

}  // namespace hark::intent
