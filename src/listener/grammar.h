// The speech recognizer's grammar, made from the sentences of the intents the core has loaded:
// a JSGF grammar that only allows what some intent would match turns pocketsphinx from "do you
// dropped off the top" into "hey mycroft what time is it" (machine-notes 3).
//
//   IntentSamples samples = IntentSamples::from_json(reply.data());   // hark.intent.samples
//   Grammar g = make_grammar(samples, [&](const std::string& w) { return decoder.knows(w); });
//   decoder.set_jsgf("intents", g.jsgf);
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/json.h"

namespace hark::listener {

// What skills registered with padatious:register_intent / _entity: template lines per name.
struct IntentSamples {
  // "<skill_id>:<name>.intent" -> lines such as "what (time is it|is the time)".
  std::map<std::string, std::vector<std::string>> intents{};
  // "<skill_id>:<slot>" or "<slot>" -> the slot's values, as template lines.
  std::map<std::string, std::vector<std::string>> entities{};

  // {"intents": {name: [lines]}, "entities": {name: [lines]}}; anything else is skipped.
  static IntentSamples from_json(const Json& data);
  bool empty() const { return intents.empty(); }
};

struct Grammar {
  std::string jsgf;  // empty when no sentence survived
  // The same sentences as word lists, each slot filled in turn with its values (an open slot
  // with sample numbers and durations): what a statistical language model learns from.
  std::vector<std::vector<std::string>> corpus;
  // The intent each sentence of the corpus came from (an index in the samples' order).
  std::vector<std::size_t> corpus_intent;
  std::size_t sentences = 0;
  // Sentences left out because a word is not in the pronunciation dictionary.
  std::size_t dropped = 0;
  std::set<std::string> unknown_words;
};

// Every sentence of every intent. A slot becomes the alternatives of its entity, or, when the
// skill registered no entity for it, a run of number and unit words ("five minutes", "forty
// percent"). `known` says whether the recognizer can pronounce a word.
Grammar make_grammar(const IntentSamples& samples,
                     const std::function<bool(const std::string&)>& known);

}  // namespace hark::listener
