// An utterance comes from any bus client (recognizer_loop:utterance, hark utter) or from speech
// to text: the English readings and both intent engines must take any bytes and answer with a
// match or none, and the readings must not grow what they are given without bound.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "intent/english_lexicon.h"
#include "intent/keyword_engine.h"
#include "intent/template_engine.h"

namespace {

struct Engines {
  hark::intent::TemplateEngine templates;
  hark::intent::KeywordEngine keywords;
  std::vector<std::string> stop_words{"stop", "cancel", "never mind", "shut up", "quiet"};

  Engines() {
    using Lines = std::vector<std::string>;
    templates.register_intent("en-us", "clock:time.intent",
                              Lines{"what time is it", "(tell|give) me the time [please]"});
    templates.register_intent("en-us", "timer:start.intent",
                              Lines{"set a timer for {duration}", "{name} timer for {duration}"});
    templates.register_intent("en-us", "wiki:search.intent",
                              Lines{"tell me about {query}", "who is {query}"});
    templates.register_intent("en-us", "volume:set.intent", Lines{"set the volume to {level}"});
    templates.train();
    keywords.register_vocab("en-us", "alertsAlarm", "alarm");
    keywords.register_vocab("en-us", "alertsCreate", "set");
    keywords.register_vocab("en-us", "alertsList", "shopping list");
    keywords.register_regex("en-us", "(?P<alertsWhen>\\d+ (am|pm))");
    keywords.register_intent(
        "en-us", {.name = "alerts:CreateAlarm",
                  .required = {{"alertsAlarm", "alertsAlarm"}, {"alertsCreate", "alertsCreate"}},
                  .optional = {{"alertsWhen", "alertsWhen"}}});
    keywords.register_intent(
        "en-us", {.name = "alerts:AddToList",
                  .required = {{"alertsCreate", "alertsCreate"}, {"alertsList", "alertsList"}}});
  }
};

const Engines& engines() {
  static const Engines kEngines;
  return kEngines;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view said(reinterpret_cast<const char*>(data), size);
  const auto plainly = hark::intent::english_said_plainly(said);
  // A reading replaces a few words with a few others; a clock time gains a space.
  if (plainly.size() > 4 * said.size() + 64) std::abort();
  const auto& e = engines();
  hark::intent::english_command_said(said, e.stop_words);
  if (auto m = e.templates.match(said, "en-us"); m && (m->confidence < 0 || m->confidence > 1))
    std::abort();
  for (const auto& m : e.keywords.match(said, "en-us", 3))
    if (m.confidence < 0 || m.confidence > 1) std::abort();
  return 0;
}
