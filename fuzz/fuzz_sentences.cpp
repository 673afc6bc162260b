// A `speak` utterance is any text a skill or a remote client sends: splitting it must neither
// crash nor lose or reorder what is to be said. Every character that is not white space comes
// out, in order, and no sentence is empty or padded.
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "audio/sentences.h"

namespace {

std::string without_space(std::string_view text) {
  std::string kept;
  for (char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) kept += c;
  }
  return kept;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string joined;
  for (const auto& sentence : hark::audio::split_sentences(text)) {
    if (sentence.empty() || std::isspace(static_cast<unsigned char>(sentence.front())) ||
        std::isspace(static_cast<unsigned char>(sentence.back()))) {
      std::abort();
    }
    joined += sentence;
  }
  if (without_space(joined) != without_space(text)) std::abort();
  return 0;
}
