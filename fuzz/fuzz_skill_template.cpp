// A skill's .intent, .voc, .dialog and .rx lines come from strangers' repositories (and from
// padatious:register_intent over the bus): parsing one must end with a value or a located error,
// and what parses must keep the promises its checks made (bounded expansion, no empty sentence).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "skills/python_regex.h"
#include "skills/template.h"

namespace {

void check_column(const hark::skills::Diagnostic& error, std::string_view line) {
  if (error.column < 0 || error.column > static_cast<int>(line.size()) + 1) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  // The first byte picks what the rest is read as.
  const int mode = data[0] % 3;
  const std::string_view line(reinterpret_cast<const char*>(data + 1), size - 1);
  if (mode == 2) {
    auto regex = hark::skills::PythonRegex::compile(line);
    if (!regex.ok()) return check_column(regex.error, line), 0;
    regex.value->search("what is the weather like in new york tomorrow");
    return 0;
  }
  const auto direction =
      mode == 0 ? hark::skills::Direction::input : hark::skills::Direction::output;
  auto parsed = hark::skills::Template::parse(line, direction);
  if (!parsed.ok()) return check_column(parsed.error, line), 0;
  hark::skills::ExpandOptions options;
  options.max_expansions = 2000;
  auto count = parsed.value->count(options);
  auto sentences = parsed.value->expand(options);
  if (count.ok() != sentences.ok()) std::abort();  // the cheap check and the expansion agree
  if (sentences.ok()) {
    if (sentences.value->size() > *count.value) std::abort();
    if (direction == hark::skills::Direction::input) {
      for (const auto& sentence : *sentences.value) {
        if (sentence.empty()) std::abort();
      }
    }
  }
  return 0;
}
