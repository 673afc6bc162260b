#include "listener/stt.h"

namespace hark::listener {
namespace {

constexpr const char* kGrammar = "intents";
constexpr const char* kLanguageModel = "lm";

}  // namespace

PocketsphinxStt::PocketsphinxStt(PocketsphinxSttOptions options)
    : options_(std::move(options)), decoder_(options_.decoder) {}

Grammar PocketsphinxStt::set_intents(const IntentSamples& samples) {
  std::lock_guard hold(mutex_);
  Grammar grammar = make_grammar(samples, [&](const std::string& w) { return decoder_.knows(w); });
  if (grammar.jsgf.empty()) {
    has_grammar_ = false;
    return grammar;
  }
  decoder_.set_jsgf(kGrammar, grammar.jsgf);
  has_grammar_ = true;
  return grammar;
}

Transcript PocketsphinxStt::transcribe(std::span<const std::int16_t> samples) {
  std::lock_guard hold(mutex_);
  if (has_grammar_) {
    decoder_.use(kGrammar);
    auto hyp = decoder_.decode(samples);
    bool good = !hyp.text.empty() && hyp.score_per_frame >= options_.min_grammar_score;
    if (good || !options_.lm_fallback) return {hyp.text, kGrammar, hyp.score_per_frame};
  }
  if (!has_language_model_) {
    // Loaded when first needed: 65 MB and about a second, which most commands, matched by the
    // grammar, never need.
    decoder_.set_language_model(kLanguageModel);
    has_language_model_ = true;
  }
  decoder_.use(kLanguageModel);
  auto hyp = decoder_.decode(samples);
  return {hyp.text, kLanguageModel, hyp.score_per_frame};
}

}  // namespace hark::listener
