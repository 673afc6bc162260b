#include "listener/wake_word.h"

#include <fmt/format.h>

#include <sstream>

#include "listener/audio_source.h"

namespace hark::listener {
namespace {

constexpr std::size_t kFrameSamples = kSampleRate / 100;
// The keyword search keeps its whole history within an utterance; starting a new one now and
// then bounds memory and time, at the small risk of cutting a wake word in two.
constexpr std::size_t kRestartSamples = 30 * kSampleRate;

DecoderOptions with_threshold(DecoderOptions decoder, double threshold) {
  decoder.arguments.push_back("-kws_threshold");
  decoder.arguments.push_back(fmt::format("{:g}", threshold));
  return decoder;
}

}  // namespace

std::string WakeWordOptions::spotted() const {
  if (!spot.empty()) return spot;
  std::istringstream words(phrase);
  std::string word;
  std::string last;
  while (words >> word) last = word;
  return last;
}

WakeWordSpotter::WakeWordSpotter(const WakeWordOptions& options, const DecoderOptions& decoder)
    : options_(options), decoder_(with_threshold(decoder, options.threshold)) {
  auto spotted = options_.spotted();
  if (spotted.empty()) throw DecoderError("listener.wake_word: empty");
  std::istringstream words(spotted);
  std::string word;
  while (words >> word) {
    if (!decoder_.knows(word)) {
      throw DecoderError(
          fmt::format("listener.wake_word: '{}' is not in the dictionary; give its phones in "
                      "listener.extra_words",
                      word));
    }
  }
  decoder_.set_keyphrase("wake", spotted);
  decoder_.use("wake");
  reset();
}

void WakeWordSpotter::reset() {
  decoder_.start();
  fed_ = 0;
}

std::optional<std::size_t> WakeWordSpotter::feed(std::span<const std::int16_t> samples) {
  decoder_.process(samples);
  fed_ += samples.size();
  if (decoder_.hypothesis().empty()) {
    if (fed_ >= kRestartSamples) reset();
    return std::nullopt;
  }
  int end_frame = decoder_.last_word_end();
  std::size_t spoken_until =
      end_frame < 0 ? fed_ : (static_cast<std::size_t>(end_frame) + 1) * kFrameSamples;
  std::size_t after = fed_ > spoken_until ? fed_ - spoken_until : 0;
  reset();
  return after;
}

}  // namespace hark::listener
