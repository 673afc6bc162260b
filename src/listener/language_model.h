// A statistical language model of what people say to the assistant, built at run time: trigrams
// of the intents' sentences (grammar.h's corpus), smoothed by absolute discounting and
// interpolated with a flat unigram over the corpus's words and a list of everyday words
// ("please", "could", "right", "now", ...). Unlike the JSGF grammar, which forces every command
// onto the nearest template sentence, it lets "please set a timer for ten minutes" through with
// its extra word, and turns speech no intent expects into words no intent matches. The frames
// people put around commands ("please ...", "... for me") are counted too, lightly.
//
//   std::string arpa = make_language_model(grammar.corpus, {.everyday_weight = 0.1}, known);
//   // written to a file, then Decoder::set_language_model("intents", file)
#pragma once

#include <functional>
#include <set>
#include <span>
#include <string>
#include <vector>

namespace hark::listener {

struct LanguageModelOptions {
  // Subtracted from every n-gram count (from a frame's fraction of a count, that fraction of it);
  // what it frees goes to the lower order.
  double discount = 0.5;
  // Share of the unigram probability spread evenly over all words (the corpus's and the
  // everyday ones); the rest follows the corpus's counts.
  double everyday_weight = 0.1;
  // Each sentence is also counted in the frames people put around commands ("please ...", "...
  // for me", "can you tell me ..."), which count this much in all; only the n-grams that join
  // words, so the frames' words are no likelier elsewhere. 0: none.
  double frame_weight = 0.5;
  // How far each intent's sentences together count alike, whatever their number (1), rather
  // than each sentence once (0): an intent whose templates expand to many sentences ("(cancel|
  // stop|delete|remove|clear) the timer") otherwise makes its words likelier than what people
  // say them for ("tell me the time" heard as "delete the timer"). Needs the corpus's intents.
  // On voice_bench 1 heard more commands and paraphrases right and let more out-of-domain
  // requests through (bench/README.md).
  double intent_balance = 1;
};

// Words of requests phrased freely: politeness, pronouns, hedges, and the small words around
// them (the model's, and ordinary speech for the wake word's check).
std::span<const char* const> everyday_words();

// Every word a model may have besides its corpus's: the everyday words and the frames' (what a
// decoder must learn before make_language_model asks whether it knows them).
std::set<std::string> words_beyond_the_corpus();

// The model in ARPA text format; `known` says whether the recognizer can pronounce a word (the
// everyday words it cannot are left out). Empty when the corpus is.
std::string make_language_model(const std::vector<std::vector<std::string>>& corpus,
                                const LanguageModelOptions& options,
                                const std::function<bool(const std::string&)>& known,
                                std::span<const std::size_t> corpus_intent = {});

}  // namespace hark::listener
