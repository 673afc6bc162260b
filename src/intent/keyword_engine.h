// The keyword intent engine: Adapt's semantics (protocols.md §2.2, §2.3, §3) without the bus.
// Skills register vocabulary (phrases of a type, or Python regexes whose named groups are
// types) and intents that require, accept one of, optionally take or exclude those types; an
// utterance is tagged with every hit and each intent takes the tags it needs.
//
//   KeywordEngine engine;
//   engine.register_vocab("en-us", "skillAlarm", "alarm");
//   engine.register_vocab("en-us", "skillCreate", "set");
//   engine.register_intent("en-us", {.name = "skill:CreateAlarm",
//                                    .required = {{"skillAlarm", "skillAlarm"},
//                                                 {"skillCreate", "skillCreate"}}});
//   auto best = engine.match("set an alarm", "en-us");  // best[0].confidence == 8.0 / 12
//
// Confidence is Adapt's: (sum of the used tags' confidences / tags in the parse) times (sum
// over the parse's tags of confidence * matched characters / utterance characters). Vocabulary
// tags have confidence 1, regex tags 0.5, so a keyword-only utterance scores its coverage and
// an unused keyword dilutes it. In English, a command that opens with a keyword its intent needs
// (after filler: "can you", "please") and carries words no keyword of the intent covers ("remind
// me to water the plants") scores the square root instead: that payload is what a command is
// for, and Adapt's coverage punished it by its length. Where Adapt enumerates every set of
// non-overlapping tags, this engine builds one parse per intent: its own types first, longest
// first, then the other tags in the gaps (the same result whenever tags do not overlap). An
// at_least_one group takes one tag, of the group's first type present, as Adapt's resolve_one_of;
// unlike Adapt, that tag cannot be one a required type already took.
//
// Words are split as Adapt's English tokenizer does ("what's" is "what" "'s"). In English, a
// word that no vocabulary has tags the vocabulary word of its stem or a synonym's ("alarms",
// "processor" for "cpu"; english_lexicon.h), which Adapt leaves to the skill's .voc lines, and a
// phrase of content words also matches run together or reordered ("speedtest", "test my
// internet speed" for "internet speed test").
//
// Unlike Adapt, in English an intent may answer without one of its required keywords, at most
// 0.44 (the adapt_low band), when no intent has all of its own: people leave out the verb ("do
// a speed test", "timer for ten minutes"). Only when the keywords it took name a subject said as
// the vocabulary has it, the utterance is no question, every other word says nothing of its own
// (filler, common words, numbers, units of time), and no other intent lacking one keyword fills
// as many required types.
//
// Registration and matching must not run at the same time; matches may run concurrently.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/json.h"

namespace hark::intent {

// Entity types are compared case-insensitively, as Adapt does. Attributes name the keys of the
// dispatch data; over the bus they are the munged type.
struct KeywordIntent {
  std::string name;                                                // "<skill_id>:<Name>"
  std::vector<std::pair<std::string, std::string>> required = {};  // (type, attribute)
  std::vector<std::vector<std::string>> at_least_one = {};         // each group needs one type
  std::vector<std::pair<std::string, std::string>> optional = {};  // (type, attribute)
  std::vector<std::string> excludes = {};                          // any of these rejects
};

// A keyword remembered from earlier in the conversation (add_context): it can fill a type the
// intent needs and the utterance lacks.
struct ContextEntity {
  std::string type;   // as registered (munged over the bus)
  std::string value;  // the word
};

struct KeywordMatch {
  std::string intent_name;  // "<skill_id>:<Name>"
  std::string skill_id;
  double confidence = 0.0;
  std::size_t required_matched = 0;
  // Characters of the utterance the intent's own keywords cover: of two intents as confident,
  // with as many required keywords, the one whose keywords say more ("how many" over "people").
  std::size_t keyword_chars = 0;
  // What OVOS adds to the dispatch: intent_type, each attribute's canonical value, confidence,
  // target (null) and __tags__ (the tags the intent used, in Adapt's shape).
  Json data;
};

class KeywordEngine {
 public:
  // Utterances of this many words or more are not matched (OVOS's Adapt pipeline skips them).
  static constexpr std::size_t kMaxWords = 50;

  KeywordEngine();
  ~KeywordEngine();
  KeywordEngine(KeywordEngine&&) noexcept;
  KeywordEngine& operator=(KeywordEngine&&) noexcept;

  // A phrase of `type`; its canonical value is `alias_of` when given. Matched lowercased, on
  // word boundaries, the longest phrase winning where two overlap.
  void register_vocab(std::string_view lang, std::string_view type, std::string_view phrase,
                      std::string_view alias_of = {});
  // A Python regex; each named group that takes part in a match tags its (stripped) text with
  // the group's name as the type. Returns why the pattern was refused, or nothing.
  std::optional<std::string> register_regex(std::string_view lang, std::string_view pattern);
  // The data of a register_vocab message: {entity_value, entity_type, lang, alias_of?}, the
  // legacy {start, end} (value, type) or {regex, lang}. `lang` applies when the data has none.
  std::optional<std::string> register_vocab_message(const Json& data, std::string_view lang);

  // Replaces an intent of the same name in place (it keeps its registration order).
  std::optional<std::string> register_intent(std::string_view lang, const KeywordIntent& intent);
  // The data of a register_intent message: {name, requires: [[type, attribute]...],
  // at_least_one: [[type...]...], optional: [[type, attribute]...], excludes: [type...]}.
  std::optional<std::string> register_intent_message(const Json& data, std::string_view lang);

  // In every language. Returns whether the intent was registered.
  bool detach_intent(std::string_view intent_name);
  // The skill's intents, and the vocabulary and regexes whose types carry its munged prefix, in
  // every language (as OVOS, a prefix test: a skill id that extends another's also matches).
  // Returns how many intents went.
  std::size_t detach_skill(std::string_view skill_id);

  // Registered intent names of a language, in registration order.
  std::vector<std::string> intent_names(std::string_view lang) const;

  // The best `limit` intents, by confidence, then more required tags, then more characters
  // covered by the intent's keywords, then registration order.
  // `context` fills types the utterance lacks, at a regex's confidence and with no coverage,
  // tagged from_context in __tags__, as Adapt's context manager does.
  std::vector<KeywordMatch> match(std::string_view utterance, std::string_view lang,
                                  std::size_t limit = 1,
                                  std::span<const ContextEntity> context = {}) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hark::intent
