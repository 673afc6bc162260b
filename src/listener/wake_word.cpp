#include "listener/wake_word.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "listener/audio_source.h"
#include "listener/words.h"

namespace hark::listener {
namespace {

// The keyword search keeps its whole history within an utterance; starting a new one now and
// then bounds memory and time, at the small risk of cutting a wake word in two.
constexpr std::size_t kRestartSamples = 30 * kSampleRate;
// The templates' window: "hey mycroft" lasts about a second, and the keyword search reports
// the word's end a few frames early at times.
constexpr std::size_t kWindowBefore = 3 * kSampleRate / 2;
constexpr std::size_t kWindowAfter = kSampleRate / 5;

// A leading word ("hey") may end this long before the next word starts (a pause), or overlap
// its start by a little (the search's boundaries are not exact).
constexpr int kLeadGapFrames = 40;
constexpr int kLeadOverlapFrames = 5;

// The check's window: "hey mycroft" (0.7-1 s), the keyword search's delay in reporting it, and a
// little silence before. The check's grammar starts with the phrase: speech before it in the
// window counts against it.
constexpr std::size_t kCheckWindow = 13 * kSampleRate / 10;

constexpr const char* kSpotting = "wake";

}  // namespace

WakeTemplates::Match said_again_match(Decoder& decoder, std::span<const std::int16_t> earlier,
                                      const WakeWordHit& later) {
  auto cut = match_between(decoder, earlier, later.wake_word);
  auto window = match_between(decoder, earlier, later.window);
  return cut.distance <= window.distance ? cut : window;
}

bool is_said_again(const WakeTemplates::Match& match, double max_distance) {
  return match.distance <= max_distance && match.peak <= kMaxSaidAgainPeak;
}

std::string WakeWordOptions::spotted() const {
  if (!spot.empty()) return spot;
  auto words = split_words(phrase);
  return words.empty() ? "" : words.back();
}

std::vector<std::string> WakeWordOptions::leading() const {
  auto words = split_words(phrase);
  auto spotted_words = split_words(spotted());
  if (spotted_words.size() > words.size() ||
      !std::equal(spotted_words.rbegin(), spotted_words.rend(), words.rbegin())) {
    return {};
  }
  words.resize(words.size() - spotted_words.size());
  return words;
}

WakeWordSpotter::WakeWordSpotter(const WakeWordOptions& options, const DecoderOptions& decoder)
    : WakeWordSpotter(options, std::make_shared<SharedDecoder>(decoder)) {}

WakeWordSpotter::WakeWordSpotter(const WakeWordOptions& options,
                                 std::shared_ptr<SharedDecoder> decoder)
    : options_(options), shared_(std::move(decoder)), decoder_(shared_->decoder) {
  std::lock_guard hold(shared_->mutex);
  auto spotted = options_.spotted();
  if (spotted.empty()) throw DecoderError("listener.wake_word: empty");
  std::vector<Keyphrase> keyphrases{{spotted, options_.threshold}};
  if (options_.lead_threshold > 0) {
    for (const auto& word : options_.leading()) {
      keyphrases.push_back({word, options_.lead_threshold});
      leading_.push_back(word);
    }
  }
  // The check decodes the whole phrase.
  std::set<std::string> words;
  if (options_.check) {
    for (auto& word : split_words(options_.phrase)) words.insert(std::move(word));
  }
  for (const auto& keyphrase : keyphrases)
    for (auto& word : split_words(keyphrase.phrase)) words.insert(std::move(word));
  decoder_.learn(words);
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
  if (options_.check) check_.emplace(decoder_, split_words(options_.phrase));
  decoder_.set_keyphrases(kSpotting, keyphrases, Pruning::wide);
  listen();
}

std::optional<std::pair<int, int>> WakeWordSpotter::wake_word_frames(
    const std::vector<Detection>& found) const {
  const auto spotted = options_.spotted();
  for (const auto& last : found) {
    if (last.phrase != spotted) continue;
    // Walk back through the leading words, each ending just before the next one starts.
    int next_start = last.start_frame;
    bool chained = true;
    for (auto word = leading_.rbegin(); word != leading_.rend() && chained; ++word) {
      chained = false;
      for (const auto& lead : found) {
        if (lead.phrase == *word && lead.end_frame >= next_start - kLeadGapFrames &&
            lead.end_frame <= next_start + kLeadOverlapFrames) {
          next_start = lead.start_frame;
          chained = true;
          break;
        }
      }
    }
    if (chained) return std::pair{next_start, last.end_frame};
  }
  return std::nullopt;
}

void WakeWordSpotter::listen() {
  decoder_.use(kSpotting);
  decoder_.start(AudioStream::wake_word);
  utterance_ = decoder_.utterance();
  fed_ = 0;
}

void WakeWordSpotter::reset() {
  std::lock_guard hold(shared_->mutex);
  listen();
  recent_.clear();
  refused_.reset();
}

bool WakeWordSpotter::has_templates() const {
  return templates_.size() || learned_.size() >= kMinLearned;
}

bool WakeWordSpotter::sounds_like_templates(const WakeWordHit& hit) const {
  return hit.template_distance <= options_.max_template_distance ||
         hit.learned_distance <= options_.max_learned_distance;
}

bool WakeWordSpotter::learn(std::span<const std::int16_t> wake_word) {
  std::lock_guard hold(shared_->mutex);
  if (!options_.max_learned) return false;
  if (!learned_.add(decoder_.cepstra(trim_silence(wake_word)))) return false;
  learned_.keep_newest(options_.max_learned);
  return true;
}

std::size_t WakeWordSpotter::learned() const {
  std::lock_guard hold(shared_->mutex);
  return learned_.size();
}

Decoder::Normalization WakeWordSpotter::normalization() const {
  std::lock_guard hold(shared_->mutex);
  return decoder_.normalization(AudioStream::wake_word);
}

void WakeWordSpotter::start_from(const Decoder::Normalization& state) {
  std::lock_guard hold(shared_->mutex);
  decoder_.set_normalization(AudioStream::wake_word, state);
}

std::optional<WakeWordHit> WakeWordSpotter::feed(std::span<const std::int16_t> samples,
                                                 Saying saying) {
  std::lock_guard hold(shared_->mutex);
  // The speech to text ended this utterance to learn new intents' words: what was heard stays
  // in recent_ for the check.
  if (!decoder_.in_utterance() || decoder_.utterance() != utterance_) listen();
  decoder_.process(samples);
  fed_ += samples.size();
  fed_in_all_ += samples.size();
  recent_.insert(recent_.end(), samples.begin(), samples.end());
  // A block more than the window, so that the window is whole when a hit comes late.
  constexpr std::size_t kKept = kWindowBefore + kWindowAfter + 4096;
  if (recent_.size() > kKept) {
    recent_.erase(recent_.begin(),
                  recent_.begin() + static_cast<std::ptrdiff_t>(recent_.size() - kKept));
  }
  auto frames = wake_word_frames(decoder_.detections());
  if (!frames) {
    if (fed_ >= kRestartSamples) listen();
    return std::nullopt;
  }
  // Sample positions in this utterance of the keyword search, and their places in recent_
  // (which ends where the audio fed so far ends).
  auto in_recent = [&](int frame) {
    auto at = std::min(fed_, static_cast<std::size_t>(std::max(frame, 0)) * Decoder::kFrameSamples);
    auto before_end = fed_ - at;
    return recent_.size() - std::min(before_end, recent_.size());
  };
  std::size_t spoken_until =
      std::min(fed_, (static_cast<std::size_t>(frames->second) + 1) * Decoder::kFrameSamples);
  WakeWordHit hit{.after = fed_ - spoken_until};
  {
    constexpr std::size_t kMargin = kSampleRate / 20;
    auto begin = in_recent(frames->first);
    begin = begin > kMargin ? begin - kMargin : 0;
    auto end = std::min(recent_.size(), in_recent(frames->second + 1) + kMargin);
    if (end > begin)
      hit.wake_word.assign(recent_.begin() + static_cast<std::ptrdiff_t>(begin),
                           recent_.begin() + static_cast<std::ptrdiff_t>(end));
  }
  if (has_templates()) {
    // The window ends a little after the word.
    std::size_t after = std::min(hit.after, recent_.size());
    std::size_t end = recent_.size() - after + std::min(after, kWindowAfter);
    std::size_t begin = end > kWindowBefore + kWindowAfter ? end - kWindowBefore - kWindowAfter : 0;
    hit.window.assign(recent_.begin() + static_cast<std::ptrdiff_t>(begin),
                      recent_.begin() + static_cast<std::ptrdiff_t>(end));
    auto window = decoder_.cepstra(hit.window);
    hit.template_distance = templates_.distance(window);
    if (learned_.size() >= kMinLearned) hit.learned_distance = learned_.distance(window);
  }
  if (check_) {
    // The audio up to now: the hit is reported within about 0.2 s of the word's end.
    auto length = std::min(recent_.size(), kCheckWindow);
    hit.check_gap = check_->gap(std::span(recent_).last(length));
    hit.check_heard = check_->heard();
  }
  listen();
  recent_.clear();
  if (check_ && hit.check_gap > options_.max_check_gap) {
    // What was heard instead, to tune listener.wake_word_max_check_gap by.
    spdlog::info("not the wake word: heard '{}', {:.1f} per frame better (at most {:g})",
                 hit.check_heard, hit.check_gap, options_.max_check_gap);
    return std::nullopt;
  }
  if (has_templates() && !sounds_like_templates(hit) && saying == Saying::unprompted) {
    constexpr auto kRepeat = static_cast<std::uint64_t>(kRepeatSeconds * kSampleRate);
    std::optional<WakeTemplates::Match> to_refused;
    if (options_.let_in_said_again && refused_ && fed_in_all_ - refused_->at <= kRepeat)
      to_refused = said_again_match(decoder_, refused_->wake_word, hit);
    if (!to_refused || !is_said_again(*to_refused, options_.max_learned_distance)) {
      std::string unlike;
      if (templates_.size())
        unlike = fmt::format("the recordings ({:.2f}, at most {:g})", hit.template_distance,
                             options_.max_template_distance);
      if (learned_.size() >= kMinLearned)
        unlike += fmt::format("{}the wake words learnt ({:.2f}, at most {:g})",
                              unlike.empty() ? "" : " and ", hit.learned_distance,
                              options_.max_learned_distance);
      std::string said_again;
      if (to_refused)
        said_again = fmt::format(
            "; nor like the one refused just before ({:.2f}, at most {:g}; its least alike 0.12 s "
            "{:.2f}, at most {:g})",
            to_refused->distance, options_.max_learned_distance, to_refused->peak,
            kMaxSaidAgainPeak);
      else if (options_.let_in_said_again)
        said_again = "; said again at once, it is";
      spdlog::info("not the wake word: it sounds unlike {}{}", unlike, said_again);
      refused_ = Refused{fed_in_all_, hit.wake_word};
      return std::nullopt;
    }
    hit.repeated = true;
    refused_.reset();
  }
  return hit;
}

}  // namespace hark::listener
