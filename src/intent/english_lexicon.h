// A small English lexicon for the intent engines: words that mean the same to an assistant
// ("processor" and "cpu", "quiet" and "low"), and the common words of the language, which say
// little about what a request is for even when no template has them ("hear", "something").
// Every word is compared by its English stem (english_stem below), so "quieter" and "quiet",
// "processors" and "processor" are one entry.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace hark::intent {

// A rough English stem, so that "raining", "rainy" and "rain", or "jokes" and "joke", match:
// plural, -ing, -ed, -er and -y endings go (a doubled consonant left behind too: "sunny" ->
// "sun"). Both sides of a comparison go through it, so a stem need not be a word.
std::string english_stem(std::string_view word);

// The stems of the words that mean what `stem` means in some context (itself included), or
// nothing when the lexicon has no synonym for it.
std::span<const std::string> english_synonym_stems(std::string_view stem);

// The text (lowercase) with what people say in several words for an assistant's one-word
// requests said as those words, so that both engines see what their skills' vocabularies name:
// - phrasal verbs: "turn off the timer" / "switch the timer off" -> "cancel the timer", "turn
//   the sound back on" -> "unmute the sound", "turn the volume down" -> "decrease the volume";
//   turned up or down with no object but a pronoun, what an assistant turns is its volume ("turn
//   it up a bit" -> "increase the volume a bit", "all the way" -> "set the volume to maximum");
// - louder or quieter, the utterance naming nothing else: the volume too ("make it a tad louder
//   please" -> "increase the volume please");
// - stop idioms, the utterance saying nothing else: "be quiet", "shush", "cut it out" -> "stop";
// - a place asked with "what" or "which": "which country do you come from" -> "where do you
//   come from".
// - questions asked another way: "how many degrees" -> "what temperature", "should i take" ->
//   "do i need".
// Characters other than words stay as they were.
std::string english_said_plainly(std::string_view text);

// What a command said to the assistant on its own is said of (english_command_said).
enum class EnglishCommandObject {
  Itself,      // what it is doing now: "stop", "cancel that", "stop talking"
  Everything,  // "stop everything", "cancel all of it"
};

// Whether one of `commands` (lowercase, as said: "stop", "never mind") is said to the assistant
// as a command of its own: at the start, or after interjections and the frames of a request
// ("nope cancel that", "whoa hang on stop", "you can quit reading"), said of nothing, of what is
// going on ("it", "that", "everything") or of what an assistant does ("stop talking"), then only
// how or when ("right now", "for a second") and perhaps a clause of the speaker's own ("stop
// counting i get it", "quiet please the baby is sleeping"). Not when it is another verb's object
// or a noun ("i need to stop", "don't stop believing", "the bus stop"), nor said of a thing ("stop
// the car", "cancel my flight": another skill's).
std::optional<EnglishCommandObject> english_command_said(std::string_view utterance,
                                                         std::span<const std::string> commands);

// Whether a word (by its stem) is one of the common words of English: pronouns, determiners,
// auxiliaries, prepositions, hedges and the everyday verbs people wrap a request in.
bool is_common_english_word(std::string_view stem);

// Whether the word (as said) is filler people wrap a request in: "hey", "please", "could",
// "you", the assistant's names. The template engine weighs it as almost nothing in every
// language (the names are said in all of them); the keyword engine lets it open a command.
bool is_filler_word(std::string_view word);

// Whether a noun phrase follows the word (as said, not its stem): an article, a possessive, a
// demonstrative or a preposition ("the", "my", "that", "in").
bool opens_english_noun_phrase(std::string_view word);

// Whether the word opens a question ("what", "how", "when").
bool is_english_question_word(std::string_view word);

// Whether the word is an adverb of time ("today", "tomorrow", "lately").
bool is_english_time_adverb(std::string_view word);

// Whether the word is an adverb of a day other than today ("tomorrow", "yesterday").
bool is_english_other_day(std::string_view word);

// Whether the word says how good, new or big a thing is ("good", "silly", "best", "new"), not
// what it is about: what an open slot alone cannot be filled with.
bool is_english_quality_word(std::string_view word);

// Whether the word is a preposition ("in", "on", "for", "until").
bool is_english_preposition(std::string_view word);

}  // namespace hark::intent
