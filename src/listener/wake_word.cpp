#include "listener/wake_word.h"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include "listener/audio_source.h"

namespace hark::listener {
namespace {

constexpr std::size_t kFrameSamples = kSampleRate / 100;
// The keyword search keeps its whole history within an utterance; starting a new one now and
// then bounds memory and time, at the small risk of cutting a wake word in two.
constexpr std::size_t kRestartSamples = 30 * kSampleRate;
// The second stage's window: "hey mycroft" lasts about a second, and the keyword search reports
// the word's end a few frames early at times.
constexpr std::size_t kWindowBefore = 3 * kSampleRate / 2;
constexpr std::size_t kWindowAfter = kSampleRate / 5;

DecoderOptions with_threshold(DecoderOptions decoder, double threshold) {
  decoder.arguments.push_back("-kws_threshold");
  decoder.arguments.push_back(fmt::format("{:g}", threshold));
  // With the default beams the keyword's path is pruned before the word ends on voices the
  // model fits poorly: 35 of 60 wake words spotted at 1e-50 instead of 52 (bench/README.md).
  for (const char* beam : {"-beam", "-pbeam", "-wbeam"}) {
    decoder.arguments.push_back(beam);
    decoder.arguments.push_back("1e-70");
  }
  return decoder;
}

std::vector<std::string> split(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

}  // namespace

std::string WakeWordOptions::spotted() const {
  if (!spot.empty()) return spot;
  auto words = split(phrase);
  return words.empty() ? "" : words.back();
}

WakeWordSpotter::WakeWordSpotter(const WakeWordOptions& options, const DecoderOptions& decoder)
    : options_(options), decoder_(with_threshold(decoder, options.threshold)) {
  auto spotted = options_.spotted();
  if (spotted.empty()) throw DecoderError("listener.wake_word: empty");
  auto words = split(spotted);
  decoder_.learn({words.begin(), words.end()});
  for (const auto& word : words) {
    if (!decoder_.knows(word)) {
      throw DecoderError(
          fmt::format("listener.wake_word: '{}' is not in the dictionary; give its phones in "
                      "listener.extra_words",
                      word));
    }
  }
  for (std::size_t i = 0; i < options_.templates.size(); ++i) {
    if (!templates_.add(decoder_.cepstra(trim_silence(options_.templates[i])))) {
      throw DecoderError(fmt::format(
          "listener.wake_word_templates: recording {} holds less than 0.1 s of sound", i + 1));
    }
  }
  decoder_.set_keyphrase("wake", spotted);
  decoder_.use("wake");
  reset();
}

void WakeWordSpotter::reset() {
  decoder_.start();
  fed_ = 0;
  recent_.clear();
}

std::optional<WakeWordHit> WakeWordSpotter::feed(std::span<const std::int16_t> samples) {
  decoder_.process(samples);
  fed_ += samples.size();
  if (templates_.size()) {
    recent_.insert(recent_.end(), samples.begin(), samples.end());
    // A block more than the window, so that the window is whole when a hit comes late.
    constexpr std::size_t kKept = kWindowBefore + kWindowAfter + 4096;
    if (recent_.size() > kKept) {
      recent_.erase(recent_.begin(),
                    recent_.begin() + static_cast<std::ptrdiff_t>(recent_.size() - kKept));
    }
  }
  if (decoder_.hypothesis().empty()) {
    if (fed_ >= kRestartSamples) reset();
    return std::nullopt;
  }
  int end_frame = decoder_.last_word_end();
  std::size_t spoken_until =
      end_frame < 0 ? fed_
                    : std::min(fed_, (static_cast<std::size_t>(end_frame) + 1) * kFrameSamples);
  WakeWordHit hit{.after = fed_ - spoken_until};
  if (templates_.size()) {
    // recent_ ends where the audio fed so far ends; the window ends a little after the word.
    std::size_t after = std::min(hit.after, recent_.size());
    std::size_t end = recent_.size() - after + std::min(after, kWindowAfter);
    std::size_t begin = end > kWindowBefore + kWindowAfter ? end - kWindowBefore - kWindowAfter : 0;
    hit.template_distance =
        templates_.distance(decoder_.cepstra(std::span(recent_).subspan(begin, end - begin)));
  }
  reset();
  if (hit.template_distance > options_.max_template_distance && templates_.size()) {
    return std::nullopt;
  }
  return hit;
}

}  // namespace hark::listener
