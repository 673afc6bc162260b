// The template (example) intent engine: what Padatious does with .intent/.entity files, without
// a neural net. Registration is queued; train() builds the indexes in milliseconds.
//
//   TemplateEngine engine;
//   std::vector<std::string> cities{"paris", "new york"}, lines{"what's the time [in {location}]"};
//   engine.register_entity("en-us", "date-time:location", cities);
//   engine.register_intent("en-us", "date-time:what.time.is.it.intent", lines);
//   engine.train();
//   auto best = engine.match("hey what's the time in paris please", "en-us");
//   // best->intent "date-time:what.time.is.it.intent", best->slots {"location": "paris"}
//
// Scoring (see template_engine.cpp): each template sentence is aligned in order against the
// normalised utterance. Words weigh by their rarity across the language's intents (IDF), filler
// ("hey", "please", "could you") next to nothing, a word no template has more than any; a word in
// the utterance that no aligned template word explains costs its weight, so "what time does the
// train leave" stays low for "what time is it". In English, words match across plural, -ing,
// -ed, -er and -y endings ("raining" is "rain") and synonyms ("quieter" is "low",
// english_lexicon.h), number words match digits ("five day" is "5 day"), and common words no
// template has ("hear", "something") weigh little and fill no open slot alone. Slots are credited
// for the template words matched on either side of them, typed by name in English ({duration} takes
// only a duration, {number} or {level} a number), and pay for the words they take, more for words
// of the templates' vocabulary. Score = weighted recall of the template x weighted precision of the
// utterance, mapped linearly so that 0.33 (measured on bench/intent_utterances.jsonl) is the medium
// band, and capped at 0.94 unless the utterance is exactly a sentence of the template: the OVOS
// bands then read >= 0.95 exact, >= 0.8 strong paraphrase, >= 0.5 weak. In English, a match that
// leaves unexplained a thing the skill's templates never name (a noun phrase's head none of them
// has: "what's the date of the next election", "how are the kids"; a possessor, "mother's day";
// the word before a final preposition, "who are you voting for"), or words an open slot takes
// beside a missing template word ("cancel my dentist appointment" for "cancel my {name} timer"),
// and an exclamation ("what a lovely day") are at most weak (x 0.85, under 0.8). Sentences sharing
// no word with the utterance are never scored (an inverted index gives the others, best upper
// bound first), which keeps a match in the tens of microseconds.
//
// match() and match_top() are const and may run concurrently; the rest may not.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "skills/diagnostic.h"

namespace hark::intent {

struct TemplateMatch {
  std::string intent;  // as registered
  double confidence = 0;
  // Slot name to the words of the utterance (normalised) that fill it.
  std::map<std::string, std::string> slots;
};

struct TrainStats {
  std::size_t intents = 0;
  std::size_t sentences = 0;  // template sentences after expansion, duplicates removed
};

class TemplateEngine {
 public:
  TemplateEngine();
  ~TemplateEngine();
  TemplateEngine(TemplateEngine&&) noexcept;
  TemplateEngine& operator=(TemplateEngine&&) noexcept;

  // Names are "<skill_id>:<name>" (what padatious:register_intent carries); the skill id is the
  // part before the first ':'. Registering a name again replaces it. Lines that do not parse or
  // expand are skipped and returned; the rest count. Takes effect at the next train().
  std::vector<skills::Diagnostic> register_intent(std::string_view lang, std::string_view name,
                                                  std::span<const std::string> samples);
  // The closed value set of a slot. "<skill_id>:<slot>" applies to that skill's intents, a bare
  // "<slot>" to every skill's; the bus form "<skill_id>:<slot>_<md5>" is read as the first. A
  // line of '#' only is Padatious's digit pattern: offset.entity's "#" and "##" take a number of
  // one or two digits ("2", "12", in English "twelve"). An entity with no value leaves the slot
  // open.
  std::vector<skills::Diagnostic> register_entity(std::string_view lang, std::string_view name,
                                                  std::span<const std::string> lines);

  // Detaching retrains the affected languages at once (so pending registrations there train
  // too): a skill that goes away must stop matching without waiting for mycroft.skills.train.
  void detach_intent(std::string_view name);
  void detach_skill(std::string_view skill_id);

  TrainStats train();

  // The best intent, or nullopt when nothing scores in the low band's neighbourhood (0.48).
  // Languages compare lowercased.
  std::optional<TemplateMatch> match(std::string_view utterance, std::string_view lang) const;
  // The best n intents (one match per intent), best first; with `allowed`, only intents whose
  // registered name it accepts (so that intents left out do not hide the next best ones).
  using IntentFilter = std::function<bool(std::string_view intent)>;
  std::vector<TemplateMatch> match_top(std::string_view utterance, std::string_view lang,
                                       std::size_t n, const IntentFilter& allowed = {}) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// What both sides go through before matching: lowercase, curly quotes straightened,
// contractions expanded ("what's" -> "what is", "don't" -> "do not"), every other character
// that is not a letter or digit a word break.
std::vector<std::string> normalize_words(std::string_view text);

}  // namespace hark::intent
