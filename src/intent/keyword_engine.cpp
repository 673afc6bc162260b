#include "intent/keyword_engine.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <unordered_map>

#include "intent/english_lexicon.h"
#include "intent/spoken_numbers.h"
#include "skills/munge.h"
#include "skills/python_regex.h"
#include "skills/text.h"

namespace hark::intent {
namespace {

namespace text = skills::text;

using TypeId = std::uint32_t;
using TokenId = std::uint32_t;
constexpr TokenId kUnknownToken = std::numeric_limits<TokenId>::max();
constexpr double kVocabConfidence = 1.0;
constexpr double kRegexConfidence = 0.5;    // Adapt's, so a wildcard never beats a keyword
constexpr double kContextConfidence = 0.5;  // remembered, not said: below a spoken keyword
// A match that lacks one required keyword answers at most in OVOS's adapt_low band (0.25 up to
// adapt_medium's 0.45), after every template stage and every full keyword match.
constexpr double kWaivedCap = 0.44;
// A command said with every keyword it requires, opening the utterance, answers at least in the
// adapt_low band however long what it takes is ("remind me to take the chicken out of the
// freezer at 3 pm": the reminder's words are not the command's).
constexpr double kCommandFloor = 0.3;

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <class V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

std::string normalize(std::string_view s) {
  return text::collapse_spaces(text::lower(s));
}

bool is_adapt_word_char(char32_t c) {
  return text::is_alnum(c) || c == U'_' || c == U'\'';
}

constexpr std::array<std::string_view, 7> kClitics = {"n't", "'s", "'d", "'m", "'ll", "'re", "'ve"};

struct Token {
  std::size_t begin = 0;
  std::size_t end = 0;
  bool word = false;

  std::string_view text(std::string_view of) const { return of.substr(begin, end - begin); }
};

// Runs of letters, digits, '_' and apostrophes are words; any other non-space character is a
// token of its own. Vocabulary and utterances go through the same split, so a phrase can only
// match whole tokens.
std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> tokens;
  std::size_t pos = 0;
  while (pos < s.size()) {
    const std::size_t begin = pos;
    const char32_t c = text::decode(s, pos);
    if (c == U' ') continue;  // the utterance is normalized: no other whitespace
    if (!is_adapt_word_char(c)) {
      tokens.push_back({begin, pos, false});
      continue;
    }
    std::size_t end = pos;
    while (end < s.size()) {
      std::size_t next = end;
      if (!is_adapt_word_char(text::decode(s, next))) break;
      end = next;
    }
    // Adapt's English tokenizer splits clitics off: "what's" is "what" "'s", "don't" "do" "n't".
    const auto word = s.substr(begin, end - begin);
    const auto clitic =
        std::find_if(kClitics.begin(), kClitics.end(), [&](std::string_view ending) {
          return word.size() > ending.size() && word.ends_with(ending);
        });
    const std::size_t split = clitic == kClitics.end() ? end : end - clitic->size();
    tokens.push_back({begin, split, true});
    if (split != end) tokens.push_back({split, end, true});
    pos = end;
  }
  return tokens;
}

// Python's len(): code points, which is what Adapt's coverage counts.
std::size_t char_count(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

struct Entity {
  TypeId type = 0;
  std::string value;  // canonical: alias_of when the phrase is an alias
  bool operator==(const Entity&) const = default;
};

struct VocabRecord {
  TypeId type = 0;
  std::string phrase;
  std::string value;
};

struct RegexRecord {
  skills::PythonRegex regex;
  std::vector<std::pair<std::string, TypeId>> groups;  // name and type, in group order
};

struct CompiledIntent {
  std::string name;
  std::string skill_id;
  std::uint64_t order = 0;
  std::vector<std::pair<TypeId, std::string>> required;                   // (type, attribute)
  std::vector<std::vector<std::pair<TypeId, std::string>>> at_least_one;  // keyed by the type
  std::vector<std::pair<TypeId, std::string>> optional;
  std::vector<TypeId> excludes;

  bool wants(TypeId type) const {
    const auto in = [type](const auto& list) {
      return std::any_of(list.begin(), list.end(),
                         [type](const auto& p) { return p.first == type; });
    };
    return in(required) || in(optional) ||
           std::any_of(at_least_one.begin(), at_least_one.end(), in);
  }
};

struct Tag {
  std::size_t begin = 0;  // bytes of the normalized utterance
  std::size_t end = 0;
  std::size_t start_token = 0;
  std::size_t end_token = 0;  // inclusive, as Adapt
  double confidence = kVocabConfidence;
  std::vector<Entity> entities;
  bool from_context = false;  // zero width, after the utterance
  // Every word as the vocabulary has it, no stem or synonym standing in: "times" is no "time"
  // to build a guess on.
  bool as_said = true;

  bool has(TypeId type) const {
    return std::any_of(entities.begin(), entities.end(),
                       [type](const Entity& e) { return e.type == type; });
  }
  const Entity* find(TypeId type) const {
    for (const auto& e : entities)
      if (e.type == type) return &e;
    return nullptr;
  }
  bool overlaps(const Tag& o) const { return begin < o.end && o.begin < end; }
};

// Which tokens of an utterance say when: the times, days and durations of the command ("remind
// me to call mom at 3 pm tomorrow", "alarm for noon on saturday"), with the preposition before
// each ("at", "on", "for"). What a skill's code reads from the command itself, as OVOS skills
// extract dates and times from the utterance. One per match: each intent's parse asks with the
// tokens it covers left out, and the spans between them are worked out once.
class SpokenWhen {
 public:
  SpokenWhen(std::string_view utterance, const std::vector<Token>& tokens)
      : token_count_(tokens.size()) {
    for (std::size_t t = 0; t < tokens.size(); ++t) {
      if (!tokens[t].word) continue;
      words_.emplace_back(tokens[t].text(utterance));
      token_of_.push_back(t);
    }
    lengths_.assign(words_.size() * (words_.size() + 1), kUnknown);
  }

  // Per token, whether it says when, the `skipped` tokens left out.
  std::vector<char> tokens(const std::vector<char>& skipped) {
    std::vector<char> when(token_count_);
    for (std::size_t w = 0; w < words_.size(); ++w) {
      if (skipped[token_of_[w]]) continue;
      std::size_t run = w;  // the words from w on that are not skipped
      while (run < words_.size() && !skipped[token_of_[run]]) ++run;
      const auto said = length(w, run);
      if (said == 0) continue;
      if (w > 0 && !skipped[token_of_[w - 1]] && is_english_preposition(words_[w - 1]))
        when[token_of_[w - 1]] = 1;
      for (std::size_t t = token_of_[w]; t <= token_of_[w + said - 1]; ++t) when[t] = 1;
      w += said - 1;
    }
    return when;
  }

 private:
  static constexpr std::size_t kUnknown = static_cast<std::size_t>(-1);

  // spoken_when_length of the words [w, run), remembered.
  std::size_t length(std::size_t w, std::size_t run) {
    auto& known = lengths_[w * (words_.size() + 1) + run];
    if (known == kUnknown) known = spoken_when_length(std::span(words_).first(run), w);
    return known;
  }

  std::size_t token_count_;
  std::vector<std::string> words_;
  std::vector<std::size_t> token_of_;  // per word
  std::vector<std::size_t> lengths_;   // per word and end of its run
};

// Per token, whether one of `tags` covers it.
std::vector<char> covered_by(const std::vector<const Tag*>& tags, std::size_t token_count) {
  std::vector<char> covered(token_count);
  for (const Tag* tag : tags)
    if (!tag->from_context)
      for (std::size_t t = tag->start_token; t <= tag->end_token && t < token_count; ++t)
        covered[t] = 1;
  return covered;
}

// The characters of the spans that say when and no tag covers: they count for Adapt's coverage
// as a regex entity would, so a command is not weaker for saying when.
double when_chars(const std::vector<const Tag*>& parse, std::string_view utterance,
                  const std::vector<Token>& tokens, SpokenWhen& spoken_when) {
  const auto when = spoken_when.tokens(covered_by(parse, tokens.size()));
  std::size_t chars = 0;
  for (std::size_t t = 0; t < tokens.size(); ++t) {
    if (!when[t]) continue;
    std::size_t last = t;
    while (last + 1 < tokens.size() && when[last + 1]) ++last;
    chars += char_count(utterance.substr(tokens[t].begin, tokens[last].end - tokens[t].begin));
    t = last;
  }
  return static_cast<double>(chars);
}

// Whether an English word says something of its own: not filler, a common word, an article or
// preposition, a question word or a clitic.
bool says_something(std::string_view word) {
  return !(is_filler_word(word) || is_common_english_word(english_stem(word)) ||
           opens_english_noun_phrase(word) || is_english_preposition(word) ||
           is_english_question_word(word) || word.starts_with('\'') || word == "n't");
}

// Whether every word outside the tags the intent took says nothing of its own: filler, a common
// English word, an article or preposition, a question word, a number or a unit of time, the
// "and" between them ("for an hour and a half"), or when ("alarm for noon on saturday").
bool rest_is_explained(const std::vector<const Tag*>& parse,
                       const std::vector<std::pair<std::size_t, TypeId>>& taken,
                       std::string_view utterance, const std::vector<Token>& tokens,
                       SpokenWhen& spoken_when) {
  std::vector<const Tag*> taken_tags;
  for (const auto& t : taken) taken_tags.push_back(parse[t.first]);
  const auto taken_word = covered_by(taken_tags, tokens.size());
  const auto when = spoken_when.tokens(taken_word);
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (!tokens[i].word || taken_word[i] || when[i]) continue;
    const auto word = tokens[i].text(utterance);
    if (!says_something(word) || word == "and" || parse_number(word) ||
        parse_duration("1 " + std::string(word)))
      continue;
    return false;
  }
  return true;
}

// Whether the utterance, after filler, opens with a question word or the auxiliary of a yes/no
// question ("what", "were there", "did it").
bool opens_a_question(std::string_view utterance, const std::vector<Token>& tokens) {
  constexpr std::string_view kAuxiliaries[] = {"is",   "are",  "was", "were", "am",  "did",
                                               "does", "have", "has", "had",  "will"};
  for (const auto& token : tokens) {
    if (!token.word) continue;
    const auto word = token.text(utterance);
    if (is_english_question_word(word) ||
        std::find(std::begin(kAuxiliaries), std::end(kAuxiliaries), word) != std::end(kAuxiliaries))
      return true;
    if (!is_filler_word(word)) return false;
  }
  return false;
}

// Whether the tags the intent took hold a word that names what is asked for: one that says
// something, is no adverb of time ("how about tomorrow" leaves the subject to context) and is
// said as the vocabulary has it (in "what is 15 times 23", "times" is no "time").
bool names_a_subject(const std::vector<const Tag*>& parse,
                     const std::vector<std::pair<std::size_t, TypeId>>& taken,
                     std::string_view utterance, const std::vector<Token>& tokens) {
  for (const auto& [i, type] : taken) {
    const Tag* tag = parse[i];
    if (tag->from_context || !tag->as_said) continue;
    for (std::size_t t = tag->start_token; t <= tag->end_token && t < tokens.size(); ++t) {
      const auto word = tokens[t].text(utterance);
      if (tokens[t].word && says_something(word) && !is_english_time_adverb(word)) return true;
    }
  }
  return false;
}

// Vocabulary of one language: phrases as token-id paths through a trie, so tagging an
// utterance costs one hash lookup per token and one per trie step, whatever the vocabulary.
class Vocabulary {
 public:
  // Returns false when the phrase is empty or already there with this type and value (skills
  // register again when they reload).
  bool add(const VocabRecord& record) {
    const auto tokens = tokenize(record.phrase);
    if (tokens.empty()) return false;
    std::uint32_t node = 0;
    Phrase phrase;
    std::string compound;
    // Only a phrase of content words keeps its sense in another order: "what is my" or "tell me
    // about the weather" need theirs.
    bool content_words = true;
    for (const auto& t : tokens) {
      const auto word = t.text(record.phrase);
      auto [it, added] = token_ids_.try_emplace(std::string(word), token_ids_.size());
      // A word that is a whole phrase stands for its stem before one inside a longer phrase:
      // "cheers" is "thanks" (a thanks of its own), not the "thank" of "thank you".
      if (tokens.size() == 1)
        stem_ids_.insert_or_assign(english_stem(word), it->second);
      else if (added)
        stem_ids_.try_emplace(english_stem(word), it->second);
      const std::uint64_t key = (std::uint64_t{node} << 32) | it->second;
      auto [child, fresh] = edges_.try_emplace(key, static_cast<std::uint32_t>(nodes_.size()));
      if (fresh) nodes_.emplace_back();
      node = child->second;
      phrase.ids.push_back(it->second);
      compound += word;
      content_words = content_words && says_something(word);
    }
    auto& entities = nodes_[node];
    const bool known = std::any_of(entities.begin(), entities.end(), [&](const Entity& e) {
      return e.type == record.type && e.value == record.value;
    });
    if (known) return false;
    entities.push_back({record.type, record.value});
    longest_ = std::max(longest_, tokens.size());
    // Other spellings of a phrase are registered with its first entity only.
    if (tokens.size() > 1 && entities.size() == 1) {
      phrase.node = node;
      if (content_words) {
        phrases_by_word_[phrase.ids.front()].push_back(phrases_.size());
        phrases_.push_back(std::move(phrase));
      }
      compounds_.try_emplace(std::move(compound), node);
    }
    return true;
  }

  void clear() {
    token_ids_.clear();
    stem_ids_.clear();
    phrases_.clear();
    phrases_by_word_.clear();
    compounds_.clear();
    edges_.clear();
    nodes_.assign(1, {});
    longest_ = 0;
  }

  // Every phrase found in the utterance, one tag per span. In English, a word no phrase has
  // stands for the vocabulary's word of its stem ("alarms": "alarm") or a synonym's
  // ("processor": "cpu").
  void tag(std::string_view utterance, const std::vector<Token>& tokens, bool english,
           std::vector<Tag>& out) const {
    std::vector<TokenId> ids(tokens.size(), kUnknownToken);
    std::vector<char> alike(tokens.size());
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      const auto word = tokens[i].text(utterance);
      if (const auto it = token_ids_.find(word); it != token_ids_.end()) {
        ids[i] = it->second;
      } else if (english && tokens[i].word) {
        bool by_stem = false;
        ids[i] = english_alike(word, by_stem);
        alike[i] = by_stem;
      }
    }
    std::vector<Tag> in_order;  // the phrases as the vocabulary has them
    for (std::size_t start = 0; start < tokens.size(); ++start) {
      std::uint32_t node = 0;
      for (std::size_t i = start; i < tokens.size() && i - start < longest_; ++i) {
        if (ids[i] == kUnknownToken) break;
        const auto edge = edges_.find((std::uint64_t{node} << 32) | ids[i]);
        if (edge == edges_.end()) break;
        node = edge->second;
        if (!nodes_[node].empty()) {
          in_order.push_back(
              {tokens[start].begin, tokens[i].end, start, i, kVocabConfidence, nodes_[node]});
          in_order.back().as_said = std::none_of(alike.begin() + static_cast<std::ptrdiff_t>(start),
                                                 alike.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                                                 [](char a) { return a != 0; });
        }
      }
    }
    if (english) tag_rephrased(utterance, tokens, ids, alike, in_order);
    out.insert(out.end(), in_order.begin(), in_order.end());
  }

 private:
  // `by_stem`: the word's stem is a vocabulary word's, which its other senses share ("times" in
  // "15 times 23"); a synonym of the lexicon keeps its sense.
  TokenId english_alike(std::string_view word, bool& by_stem) const {
    const auto stem = english_stem(word);
    if (const auto it = stem_ids_.find(stem); it != stem_ids_.end()) {
      by_stem = true;
      return it->second;
    }
    for (const auto& synonym : english_synonym_stems(stem))
      if (const auto it = stem_ids_.find(synonym); it != stem_ids_.end()) return it->second;
    return kUnknownToken;
  }

  // In English, a phrase of several words is also said as one word ("speedtest" for "speed
  // test") or in another order, with a few words between ("test the internet speed" for
  // "internet speed test"). Such a span tags the phrase when nothing tagged it in order already.
  void tag_rephrased(std::string_view utterance, const std::vector<Token>& tokens,
                     const std::vector<TokenId>& ids, const std::vector<char>& alike,
                     std::vector<Tag>& tags) const {
    const auto tagged = [&](std::uint32_t node) {
      return std::any_of(tags.begin(), tags.end(),
                         [&](const Tag& t) { return t.entities == nodes_[node]; });
    };
    std::vector<Tag> found;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      if (ids[i] != kUnknownToken || !tokens[i].word) continue;
      const auto word = tokens[i].text(utterance);
      if (const auto it = compounds_.find(word); it != compounds_.end() && !tagged(it->second))
        found.push_back(
            {tokens[i].begin, tokens[i].end, i, i, kVocabConfidence, nodes_[it->second]});
    }
    std::vector<std::size_t> candidates;  // the phrases whose first word the utterance has
    for (const TokenId id : ids) {
      if (const auto it = phrases_by_word_.find(id); it != phrases_by_word_.end())
        candidates.insert(candidates.end(), it->second.begin(), it->second.end());
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    for (const std::size_t c : candidates) {
      const Phrase& phrase = phrases_[c];
      // Each word of the phrase at its first place in the utterance; all within the phrase's
      // length and two more words.
      std::size_t first = tokens.size();
      std::size_t last = 0;
      bool all = true;
      for (const TokenId id : phrase.ids) {
        const auto at = std::find(ids.begin(), ids.end(), id);
        if (at == ids.end()) {
          all = false;
          break;
        }
        const auto i = static_cast<std::size_t>(at - ids.begin());
        first = std::min(first, i);
        last = std::max(last, i);
      }
      if (!all || last - first + 1 > phrase.ids.size() + 2 || tagged(phrase.node)) continue;
      found.push_back({tokens[first].begin, tokens[last].end, first, last, kVocabConfidence,
                       nodes_[phrase.node]});
      found.back().as_said = std::all_of(phrase.ids.begin(), phrase.ids.end(), [&](TokenId id) {
        return alike[static_cast<std::size_t>(std::find(ids.begin(), ids.end(), id) -
                                              ids.begin())] == 0;
      });
    }
    tags.insert(tags.end(), found.begin(), found.end());
  }

  struct Phrase {
    std::vector<TokenId> ids;
    std::uint32_t node = 0;
  };
  std::vector<Phrase> phrases_;  // of two content words or more
  std::unordered_map<TokenId, std::vector<std::size_t>> phrases_by_word_;  // by the first word
  StringMap<std::uint32_t> compounds_;  // a phrase's words run together -> its node
  StringMap<TokenId> token_ids_;
  StringMap<TokenId> stem_ids_;  // English stem of a vocabulary word -> the first such word
  std::unordered_map<std::uint64_t, std::uint32_t> edges_;  // (node << 32 | token) -> node
  std::vector<std::vector<Entity>> nodes_ = std::vector<std::vector<Entity>>(1);
  std::size_t longest_ = 0;
};

struct Language {
  std::vector<VocabRecord> vocab;
  Vocabulary vocabulary;
  std::vector<RegexRecord> regexes;
  std::vector<CompiledIntent> intents;
};

std::string skill_prefix_of(std::string_view intent_name) {
  const auto colon = intent_name.find(':');
  return std::string(colon == std::string_view::npos ? std::string_view{}
                                                     : intent_name.substr(0, colon));
}

std::optional<std::string> typed_pairs(const Json& data, const char* key,
                                       std::vector<std::pair<std::string, std::string>>& out) {
  if (!data.contains(key)) return std::nullopt;
  const auto& list = data[key];
  if (!list.is_array()) return std::string(key) + " is not a list";
  for (const auto& pair : list) {
    if (pair.is_string()) {  // a bare type: the attribute is the type, as IntentBuilder
      out.emplace_back(pair.get<std::string>(), pair.get<std::string>());
    } else if (pair.is_array() && pair.size() == 2 && pair[0].is_string() && pair[1].is_string()) {
      out.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
    } else {
      return std::string(key) + " entries must be [type, attribute]";
    }
  }
  return std::nullopt;
}

bool strings_of(const Json& list, std::vector<std::string>& out) {
  if (!list.is_array()) return false;
  for (const auto& s : list) {
    if (!s.is_string()) return false;
    out.push_back(s.get<std::string>());
  }
  return true;
}

// Whether the parse is a command with a payload: the utterance opens, after nothing but filler
// ("can you", "please") that opens no noun phrase, with the first keyword of a type the intent
// needs (of the first `needed` in `taken`); that keyword has a command's word, neither filler
// itself ("tell me") nor a question's ("what"); and a word after it that is not filler is in no
// tag the intent took ("remind me to water the plants": "water", "plants").
bool is_command_with_payload(const std::vector<const Tag*>& parse,
                             const std::vector<std::pair<std::size_t, TypeId>>& taken,
                             std::size_t needed, std::string_view utterance,
                             const std::vector<Token>& tokens) {
  const auto word = [&](std::size_t i) { return tokens[i].text(utterance); };
  const auto says_something = [&](std::size_t i) {
    return tokens[i].word && !is_filler_word(word(i));
  };
  std::size_t opening = parse.size();  // the parse is in utterance order
  for (std::size_t t = 0; t < needed; ++t) opening = std::min(opening, taken[t].first);
  if (opening == parse.size() || parse[opening]->from_context) return false;
  const Tag& first = *parse[opening];
  // Filler that opens a noun phrase ("the", "a") makes the keyword a thing talked about: "the
  // weather channel had a funny segment".
  for (std::size_t i = 0; i < first.start_token; ++i)
    if (says_something(i) || !tokens[i].word || opens_english_noun_phrase(word(i))) return false;
  if (is_english_question_word(word(first.start_token))) return false;
  bool commands = false;
  for (std::size_t i = first.start_token; i <= first.end_token; ++i) commands |= says_something(i);
  if (!commands) return false;
  for (std::size_t i = first.end_token + 1; i < tokens.size(); ++i) {
    const bool taken_word = std::any_of(taken.begin(), taken.end(), [&](const auto& t) {
      const Tag* tag = parse[t.first];
      return !tag->from_context && tag->start_token <= i && i <= tag->end_token;
    });
    if (!taken_word && says_something(i)) return true;
  }
  return false;
}

}  // namespace

// How validate treats a required type the utterance lacks: as Adapt does (no match), or forgiven
// for one type, to find the candidates or to build the answer of the one chosen.
enum class Waive { none, candidate, answer };

struct KeywordEngine::Impl {
  std::map<std::string, Language, std::less<>> languages;
  StringMap<TypeId> type_ids;      // lowercased type -> id
  std::vector<std::string> types;  // id -> type as first registered
  std::uint64_t next_order = 0;

  TypeId intern(std::string_view type) {
    auto [it, added] = type_ids.try_emplace(text::lower(type), static_cast<TypeId>(types.size()));
    if (added) types.emplace_back(type);
    return it->second;
  }

  const Language* find_language(std::string_view lang) const {
    const auto it = languages.find(text::lang_key(lang));
    return it == languages.end() ? nullptr : &it->second;
  }

  CompiledIntent compile(const KeywordIntent& source) {
    CompiledIntent c;
    c.skill_id = skill_prefix_of(source.name);
    c.order = next_order++;
    c.name = source.name;
    for (const auto& [type, attribute] : source.required)
      c.required.emplace_back(intern(type), attribute);
    for (const auto& group : source.at_least_one) {
      auto& group_types = c.at_least_one.emplace_back();
      for (const auto& type : group) group_types.emplace_back(intern(type), type);
    }
    for (const auto& [type, attribute] : source.optional)
      c.optional.emplace_back(intern(type), attribute);
    for (const auto& type : source.excludes) c.excludes.push_back(intern(type));
    return c;
  }

  std::vector<Tag> tag(const Language& language, bool english, std::string_view utterance,
                       const std::vector<Token>& tokens) const;
  // `spoken_when` (English only, else null) is the utterance's, shared by every intent tried.
  std::optional<KeywordMatch> validate(const CompiledIntent& intent, const std::vector<Tag>& tags,
                                       std::string_view utterance, const std::vector<Token>& tokens,
                                       SpokenWhen* spoken_when, Waive waive = Waive::none) const;
  Json tag_json(const Tag& tag, const Entity& entity, std::string_view utterance) const;
};

std::vector<Tag> KeywordEngine::Impl::tag(const Language& language, bool english,
                                          std::string_view utterance,
                                          const std::vector<Token>& tokens) const {
  std::vector<Tag> tags;
  language.vocabulary.tag(utterance, tokens, english, tags);
  for (const auto& rx : language.regexes) {
    std::size_t from = 0;
    while (from <= utterance.size()) {
      const auto m = rx.regex.search(utterance, from);
      if (!m) break;
      from = m->end > m->begin ? m->end : m->begin + 1;
      // Not a structured binding: clang before 16 cannot capture one in the lambda below.
      for (const auto& named_group : m->groups) {
        const std::string& name = named_group.first;
        const std::string& captured = named_group.second;
        // The match gives group texts, not their offsets: the first occurrence inside the
        // match is the group's unless the same text also appears earlier in the match.
        const auto value = text::strip(captured);
        const auto at = utterance.substr(0, m->end).find(value, m->begin);
        const auto group = std::find_if(rx.groups.begin(), rx.groups.end(),
                                        [&](const auto& g) { return g.first == name; });
        if (value.empty() || at == std::string_view::npos || group == rx.groups.end()) continue;
        Tag t{at, at + value.size(), 0, 0, kRegexConfidence, {{group->second, std::string(value)}}};
        for (std::size_t i = 0; i < tokens.size(); ++i) {
          if (tokens[i].end <= t.begin) t.start_token = i + 1;
          if (tokens[i].begin < t.end) t.end_token = i;
        }
        tags.push_back(std::move(t));
      }
    }
  }
  // One tag per span, as Adapt groups the entities found on the same words.
  std::sort(tags.begin(), tags.end(), [](const Tag& a, const Tag& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  std::vector<Tag> merged;
  for (auto& t : tags) {
    if (!merged.empty() && merged.back().begin == t.begin && merged.back().end == t.end) {
      auto& into = merged.back();
      into.confidence = std::max(into.confidence, t.confidence);
      into.as_said |= t.as_said;
      for (auto& e : t.entities) into.entities.push_back(std::move(e));
    } else {
      merged.push_back(std::move(t));
    }
  }
  return merged;
}

Json KeywordEngine::Impl::tag_json(const Tag& tag, const Entity& entity,
                                   std::string_view utterance) const {
  const std::string matched(utterance.substr(tag.begin, tag.end - tag.begin));
  Json data = Json::array();
  for (const auto& e : tag.entities) data.push_back(Json::array({e.value, types[e.type]}));
  return Json{{"match", entity.value},
              {"key", matched},
              {"start_token", tag.start_token},
              {"entities", Json::array({Json{{"key", matched},
                                             {"match", entity.value},
                                             {"data", std::move(data)},
                                             {"confidence", tag.confidence}}})},
              {"end_token", tag.end_token},
              {"from_context", tag.from_context}};
}

std::optional<KeywordMatch> KeywordEngine::Impl::validate(
    const CompiledIntent& intent, const std::vector<Tag>& tags, std::string_view utterance,
    const std::vector<Token>& tokens, SpokenWhen* spoken_when, Waive waive) const {
  const bool english = spoken_when != nullptr;
  const auto relevant = [&](const Tag& t) {
    const auto in = [&](const auto& list) {
      return std::any_of(list.begin(), list.end(), [&](const auto& p) { return t.has(p.first); });
    };
    return in(intent.required) || in(intent.optional) ||
           std::any_of(intent.at_least_one.begin(), intent.at_least_one.end(), in);
  };
  // Most intents need a type the utterance lacks: leave before building a parse. A waived
  // match lets exactly one required type be missing, of an intent that needs two or more.
  const bool waive_one = waive != Waive::none;
  std::optional<TypeId> waived;
  for (const auto& required : intent.required) {
    if (std::any_of(tags.begin(), tags.end(), [&](const Tag& t) { return t.has(required.first); }))
      continue;
    if (!waive_one || waived || intent.required.size() + intent.at_least_one.size() < 2)
      return std::nullopt;
    waived = required.first;
  }
  if (waive_one && !waived) return std::nullopt;

  // The intent's parse: its own tags first, longest first, then the others in the gaps.
  std::vector<std::size_t> order(tags.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::vector<char> mine(tags.size());
  for (std::size_t i = 0; i < tags.size(); ++i) mine[i] = relevant(tags[i]);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (mine[a] != mine[b]) return mine[a] > mine[b];
    return tags[a].end - tags[a].begin > tags[b].end - tags[b].begin;
  });
  std::vector<const Tag*> parse;
  for (const std::size_t i : order) {
    if (std::none_of(parse.begin(), parse.end(),
                     [&](const Tag* p) { return p->overlaps(tags[i]); }))
      parse.push_back(&tags[i]);
  }
  std::sort(parse.begin(), parse.end(),
            [](const Tag* a, const Tag* b) { return a->begin < b->begin; });

  for (const TypeId type : intent.excludes) {
    if (std::any_of(parse.begin(), parse.end(), [&](const Tag* t) { return t->has(type); }))
      return std::nullopt;
  }

  std::vector<char> used(parse.size());
  std::vector<std::pair<std::size_t, TypeId>> taken;  // parse index, type it served as
  const auto take = [&](TypeId type) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < parse.size(); ++i) {
      if (!used[i] && parse[i]->has(type)) {
        used[i] = 1;
        taken.emplace_back(i, type);
        return i;
      }
    }
    return std::nullopt;
  };

  KeywordMatch match;
  match.intent_name = intent.name;
  match.skill_id = intent.skill_id;
  match.data = Json{{"intent_type", intent.name}};
  for (const auto& [type, attribute] : intent.required) {
    if (waived && type == *waived) continue;
    const auto i = take(type);
    if (!i) return std::nullopt;
    match.data[attribute] = parse[*i]->find(type)->value;
    ++match.required_matched;
  }
  for (const auto& group : intent.at_least_one) {
    const auto found = std::find_if(group.begin(), group.end(), [&](const auto& typed) {
      const auto i = take(typed.first);
      if (i) match.data[typed.second] = parse[*i]->find(typed.first)->value;
      return i.has_value();
    });
    if (found == group.end()) return std::nullopt;
  }
  const std::size_t needed_taken = taken.size();  // the tags of required and one-of types
  for (const auto& [type, attribute] : intent.optional) {
    if (match.data.contains(attribute)) continue;
    if (const auto i = take(type)) match.data[attribute] = parse[*i]->find(type)->value;
  }

  double used_confidence = 0.0;
  for (const auto& [i, type] : taken) {
    used_confidence += parse[i]->confidence;
    if (!parse[i]->from_context)
      match.keyword_chars +=
          char_count(utterance.substr(parse[i]->begin, parse[i]->end - parse[i]->begin));
  }
  double coverage = 0.0;
  const double length = static_cast<double>(char_count(utterance));
  for (const Tag* t : parse)
    coverage += t->confidence *
                static_cast<double>(char_count(utterance.substr(t->begin, t->end - t->begin))) /
                length;
  if (spoken_when)
    coverage += kRegexConfidence * when_chars(parse, utterance, tokens, *spoken_when) / length;
  match.confidence = used_confidence / static_cast<double>(parse.size()) * coverage;
  // In English, a command that names its intent first ("remind me to water the plants
  // tomorrow", "can you spell the word giraffe") carries a payload that no vocabulary covers:
  // Adapt's coverage punishes it by its length, which put long commands under the low band. Such
  // a parse scores the square root of Adapt's confidence, in (0, 1) still and in the same order.
  // Only a keyword of a type the intent needs opens a command, not an optional one ("what",
  // "tell me" of a query type).
  if (english && is_command_with_payload(parse, taken, needed_taken, utterance, tokens))
    match.confidence = std::max(kCommandFloor, std::sqrt(match.confidence));
  else if (english && !waived && opens_a_question(utterance, tokens) &&
           rest_is_explained(parse, taken, utterance, tokens, *spoken_when))
    match.confidence = std::max(kCommandFloor, match.confidence);
  if (waived) {
    // Keywords that name nothing ("read", "tomorrow") leave the intent a guess of no one's.
    if (!names_a_subject(parse, taken, utterance, tokens)) return std::nullopt;
    // A question asks about the thing; the verb it leaves out is no command's ("were there any
    // reminders while I was away" creates none).
    if (opens_a_question(utterance, tokens)) return std::nullopt;
    match.confidence = std::min(kWaivedCap, std::sqrt(match.confidence));
    if (waive == Waive::candidate) return match;  // no dispatch data for a mere candidate
    // A keyword left out is only forgiven when the rest says nothing the intent does not take:
    // "do a speed test", "timer for ten minutes", not "run the dishwasher" (run + a thing of its
    // own) nor "the time machine was a great movie".
    if (!rest_is_explained(parse, taken, utterance, tokens, *spoken_when)) return std::nullopt;
  }

  Json used_tags = Json::array();
  for (const auto& [i, type] : taken)
    used_tags.push_back(tag_json(*parse[i], *parse[i]->find(type), utterance));
  match.data["confidence"] = match.confidence;
  match.data["target"] = nullptr;
  match.data["__tags__"] = std::move(used_tags);
  return match;
}

KeywordEngine::KeywordEngine() : impl_(std::make_unique<Impl>()) {}
KeywordEngine::~KeywordEngine() = default;
KeywordEngine::KeywordEngine(KeywordEngine&&) noexcept = default;
KeywordEngine& KeywordEngine::operator=(KeywordEngine&&) noexcept = default;

void KeywordEngine::register_vocab(std::string_view lang, std::string_view type,
                                   std::string_view phrase, std::string_view alias_of) {
  auto& language = impl_->languages[text::lang_key(lang)];
  VocabRecord record{impl_->intern(type), normalize(phrase),
                     std::string(alias_of.empty() ? phrase : alias_of)};
  if (language.vocabulary.add(record)) language.vocab.push_back(std::move(record));
}

std::optional<std::string> KeywordEngine::register_regex(std::string_view lang,
                                                         std::string_view pattern) {
  auto compiled = skills::PythonRegex::compile(pattern);
  if (!compiled.ok()) return compiled.error.str();
  RegexRecord record{std::move(*compiled.value), {}};
  for (const auto& name : record.regex.group_names())
    record.groups.emplace_back(name, impl_->intern(name));
  impl_->languages[text::lang_key(lang)].regexes.push_back(std::move(record));
  return std::nullopt;
}

std::optional<std::string> KeywordEngine::register_vocab_message(const Json& data,
                                                                 std::string_view lang) {
  if (!data.is_object()) return "register_vocab data is not an object";
  const auto string_at = [&](const char* key) -> std::optional<std::string> {
    const auto it = data.find(key);
    if (it == data.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
  };
  const std::string language = string_at("lang").value_or(std::string(lang));
  if (const auto regex = string_at("regex")) return register_regex(language, *regex);
  const auto value =
      string_at("entity_value").has_value() ? string_at("entity_value") : string_at("start");
  const auto type =
      string_at("entity_type").has_value() ? string_at("entity_type") : string_at("end");
  if (!value || !type) return "register_vocab needs entity_value and entity_type, or regex";
  register_vocab(language, *type, *value, string_at("alias_of").value_or(""));
  return std::nullopt;
}

std::optional<std::string> KeywordEngine::register_intent(std::string_view lang,
                                                          const KeywordIntent& intent) {
  if (intent.name.empty()) return "an intent needs a name";
  if (intent.required.empty() && intent.at_least_one.empty())
    return "intent " + intent.name + " requires nothing, so it would match every utterance";
  auto& intents = impl_->languages[text::lang_key(lang)].intents;
  auto compiled = impl_->compile(intent);
  const auto same = std::find_if(intents.begin(), intents.end(),
                                 [&](const CompiledIntent& c) { return c.name == compiled.name; });
  if (same == intents.end()) {
    intents.push_back(std::move(compiled));
  } else {
    compiled.order = same->order;
    *same = std::move(compiled);
  }
  return std::nullopt;
}

std::optional<std::string> KeywordEngine::register_intent_message(const Json& data,
                                                                  std::string_view lang) {
  if (!data.is_object() || !data.contains("name") || !data["name"].is_string())
    return "register_intent needs a name";
  KeywordIntent intent;
  intent.name = data["name"].get<std::string>();
  if (auto error = typed_pairs(data, "requires", intent.required)) return error;
  if (auto error = typed_pairs(data, "optional", intent.optional)) return error;
  if (data.contains("at_least_one")) {
    if (!data["at_least_one"].is_array()) return "at_least_one is not a list";
    for (const auto& group : data["at_least_one"]) {
      if (!strings_of(group, intent.at_least_one.emplace_back()))
        return "at_least_one entries must be lists of types";
    }
  }
  if (data.contains("excludes") && !strings_of(data["excludes"], intent.excludes))
    return "excludes must be a list of types";
  const std::string language = data.contains("lang") && data["lang"].is_string()
                                   ? data["lang"].get<std::string>()
                                   : std::string(lang);
  return register_intent(language, std::move(intent));
}

bool KeywordEngine::detach_intent(std::string_view intent_name) {
  bool found = false;
  for (auto& [lang, language] : impl_->languages) {
    found |= std::erase_if(language.intents,
                           [&](const CompiledIntent& c) { return c.name == intent_name; }) > 0;
  }
  return found;
}

std::size_t KeywordEngine::detach_skill(std::string_view skill_id) {
  const std::string prefix = text::lower(skills::to_alnum(skill_id));
  const auto owned = [&](TypeId type) {
    return text::lower(impl_->types[type]).starts_with(prefix);
  };
  std::size_t removed = 0;
  for (auto& [lang, language] : impl_->languages) {
    removed += std::erase_if(language.intents,
                             [&](const CompiledIntent& c) { return c.skill_id == skill_id; });
    std::erase_if(language.regexes, [&](const RegexRecord& r) {
      return std::any_of(r.groups.begin(), r.groups.end(),
                         [&](const auto& g) { return owned(g.second); });
    });
    if (std::erase_if(language.vocab, [&](const VocabRecord& r) { return owned(r.type); }) > 0) {
      // A trie does not shrink well; skills leave rarely, so build it again.
      language.vocabulary.clear();
      for (const auto& record : language.vocab) language.vocabulary.add(record);
    }
  }
  return removed;
}

std::vector<std::string> KeywordEngine::intent_names(std::string_view lang) const {
  std::vector<std::string> names;
  if (const auto* language = impl_->find_language(lang)) {
    for (const auto& intent : language->intents) names.push_back(intent.name);
  }
  return names;
}

std::vector<KeywordMatch> KeywordEngine::match(std::string_view utterance, std::string_view lang,
                                               std::size_t limit,
                                               std::span<const ContextEntity> context) const {
  std::vector<KeywordMatch> matches;
  const auto* language = impl_->find_language(lang);
  const bool english = text::lang_key(lang).starts_with("en");
  const std::string normalized =
      english ? english_said_plainly(normalize(utterance)) : normalize(utterance);
  if (!language || normalized.empty() || limit == 0) return matches;
  const auto tokens = tokenize(normalized);
  if (std::count_if(tokens.begin(), tokens.end(), [](const Token& t) { return t.word; }) >=
      static_cast<std::ptrdiff_t>(kMaxWords))
    return matches;

  const auto tags = impl_->tag(*language, english, normalized, tokens);
  // Context entities stand in for a type the utterance lacks ("how about tomorrow" after a
  // weather question): zero-width tags after the utterance, so they add no coverage.
  std::vector<Tag> context_tags;
  for (const auto& entity : context) {
    auto id = impl_->type_ids.find(text::lower(entity.type));
    if (id == impl_->type_ids.end()) continue;
    Tag t{normalized.size(), normalized.size(),  tokens.size(),
          tokens.size(),     kContextConfidence, {{id->second, entity.value}}};
    t.from_context = true;
    context_tags.push_back(std::move(t));
  }
  if (tags.empty() && context_tags.empty()) return matches;
  std::vector<std::uint64_t> orders;
  std::vector<Tag> with_context;
  std::optional<SpokenWhen> spoken_when_of_utterance;
  if (english) spoken_when_of_utterance.emplace(normalized, tokens);
  SpokenWhen* spoken_when = english ? &*spoken_when_of_utterance : nullptr;
  for (const auto& intent : language->intents) {
    const std::vector<Tag>* intent_tags = &tags;
    if (!context_tags.empty()) {
      // Only the context an intent asks for, and only for types the utterance lacks.
      with_context = tags;
      for (const auto& c : context_tags) {
        const TypeId type = c.entities.front().type;
        if (intent.wants(type) &&
            std::none_of(tags.begin(), tags.end(), [&](const Tag& t) { return t.has(type); }))
          with_context.push_back(c);
      }
      if (with_context.size() > tags.size()) intent_tags = &with_context;
    }
    if (auto m = impl_->validate(intent, *intent_tags, normalized, tokens, spoken_when)) {
      matches.push_back(std::move(*m));
      orders.push_back(intent.order);
    }
  }
  // No intent found every keyword it requires. People leave out the verb a skill's vocabulary
  // expects ("do a speed test" for run + speed test, "timer for ten minutes" for set + timer):
  // when exactly one intent of the language can do without one of its required keywords, the
  // rest of what it needs being said, it answers weakly. Of several such intents, one whose
  // said keywords fill more of its required types is about them ("timer for ten minutes": the
  // intent that requires a timer, not those that take any of timer, alarm or reminder); two
  // alike are a guess between them, so then none answers.
  if (matches.empty() && english) {
    const CompiledIntent* chosen = nullptr;
    std::size_t chosen_required = 0;
    bool tied = false;
    for (const auto& intent : language->intents) {
      const auto m =
          impl_->validate(intent, tags, normalized, tokens, spoken_when, Waive::candidate);
      if (!m) continue;
      if (chosen && m->required_matched == chosen_required) {
        tied = true;
      } else if (!chosen || m->required_matched > chosen_required) {
        tied = false;
        chosen = &intent;
        chosen_required = m->required_matched;
      }
    }
    if (!chosen || tied) return matches;
    auto m = impl_->validate(*chosen, tags, normalized, tokens, spoken_when, Waive::answer);
    if (!m) return matches;
    matches.push_back(std::move(*m));
    orders.push_back(chosen->order);
  }
  std::vector<std::size_t> rank(matches.size());
  for (std::size_t i = 0; i < rank.size(); ++i) rank[i] = i;
  std::sort(rank.begin(), rank.end(), [&](std::size_t a, std::size_t b) {
    if (matches[a].confidence != matches[b].confidence)
      return matches[a].confidence > matches[b].confidence;
    if (matches[a].required_matched != matches[b].required_matched)
      return matches[a].required_matched > matches[b].required_matched;
    if (matches[a].keyword_chars != matches[b].keyword_chars)
      return matches[a].keyword_chars > matches[b].keyword_chars;
    return orders[a] < orders[b];
  });
  std::vector<KeywordMatch> best;
  for (std::size_t i = 0; i < rank.size() && i < limit; ++i)
    best.push_back(std::move(matches[rank[i]]));
  return best;
}

}  // namespace hark::intent
