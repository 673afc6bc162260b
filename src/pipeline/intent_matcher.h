// The intents every skill registered, in both engines, and the matching each pipeline stage
// asks for. Knows no bus: the intent service hands it the data of registration messages
// (protocols.md §2.2) and asks for matches at a stage's confidence band.
//
//   IntentMatcher matcher({.blacklisted_skills = {"naptime.hark"}});
//   matcher.register_padatious_intent(data);        // padatious:register_intent's data
//   matcher.train();
//   auto m = matcher.match_template("what time is it", "en-us", 0.8);
//   // m->intent_name "date-time.hark:time.intent", m->skill_id, m->data {"utterance", ...}
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "intent/keyword_engine.h"
#include "intent/template_engine.h"

namespace hark::pipeline {

struct IntentMatch {
  std::string intent_name;  // "<skill_id>:<name>", the type of the dispatch message
  std::string skill_id;
  std::string intent_service;  // "padatious" (templates) or "adapt" (keywords), as OVOS names them
  double confidence = 0;
  Json data;  // what the dispatch adds to the utterance's data: slots, or Adapt's keys
};

struct Blacklists {
  std::set<std::string, std::less<>> skills;   // skills.blacklisted_skills
  std::set<std::string, std::less<>> intents;  // intents.blacklisted_intents: "<skill_id>:<name>"
};

class IntentMatcher {
 public:
  explicit IntentMatcher(Blacklists blacklists = {});

  void set_blacklists(Blacklists blacklists) { blacklists_ = std::move(blacklists); }
  const Blacklists& blacklists() const { return blacklists_; }
  bool blacklisted_skill(std::string_view skill_id) const;

  // skillmanager.deactivate / activate: a deactivated skill keeps its registrations but none
  // of its intents matches until it is activated again.
  void deactivate_skill(std::string_view skill_id) { deactivated_.emplace(skill_id); }
  void activate_skill(std::string_view skill_id);
  void activate_all_skills() { deactivated_.clear(); }
  bool deactivated(std::string_view skill_id) const { return deactivated_.contains(skill_id); }

  // Each takes a registration message's data and the language to use when it has none; the
  // result is what was wrong with it, or nothing. A blacklisted skill's registrations are
  // refused with a reason.
  std::optional<std::string> register_vocab(const Json& data, std::string_view lang);
  std::optional<std::string> register_keyword_intent(const Json& data, std::string_view lang);
  std::optional<std::string> register_padatious_intent(const Json& data, std::string_view lang);
  std::optional<std::string> register_padatious_entity(const Json& data, std::string_view lang);

  // Returns whether anything was detached.
  bool detach_intent(std::string_view intent_name);
  bool detach_skill(std::string_view skill_id);

  // Trains what was registered since the last call; matching trains first when needed, so
  // this only moves the cost to a moment of the caller's choosing (mycroft.skills.train).
  void train();

  // The best template intent scoring at least `threshold`, trying each utterance in turn.
  std::optional<IntentMatch> match_template(std::string_view utterance, std::string_view lang,
                                            double threshold);
  // `context`: keywords remembered from the conversation (add_context).
  std::optional<IntentMatch> match_keyword(
      std::string_view utterance, std::string_view lang, double threshold,
      std::span<const intent::ContextEntity> context = {}) const;

  // Registered names per language, for the manifests and `skillmanager.list`.
  std::vector<std::string> keyword_intents(std::string_view lang) const;
  std::vector<std::string> template_intents(std::string_view lang) const;
  std::vector<std::string> template_entities(std::string_view lang) const;
  // The template lines behind them, for the listener's speech grammar (hark.intent.samples):
  // {"intents": {name: [lines]}, "entities": {name: [lines]}}, blacklisted intents left out.
  Json template_samples(std::string_view lang) const;
  // Skills that have at least one intent registered, in any language.
  std::set<std::string> skills() const;

 private:
  bool allowed(std::string_view intent_name) const;

  Blacklists blacklists_;
  std::set<std::string, std::less<>> deactivated_;
  intent::KeywordEngine keywords_;
  intent::TemplateEngine templates_;
  bool untrained_ = false;
  // lang -> name -> lines, for manifests and samples; the engines do not list templates.
  using Registry =
      std::map<std::string, std::map<std::string, std::vector<std::string>, std::less<>>,
               std::less<>>;
  Registry template_intents_;
  Registry template_entities_;
  std::set<std::string> languages_;  // of keyword intents, which the engine lists per language
};

// "<skill_id>:<name>" -> "<skill_id>" (the whole name when there is no ':').
std::string_view skill_of(std::string_view intent_name);
// Languages compare lowercased ("en-US" registers and matches as "en-us").
std::string normalize_lang(std::string_view lang);

}  // namespace hark::pipeline
