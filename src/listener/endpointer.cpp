#include "listener/endpointer.h"

#include <speex/speex_preprocess.h>

#include <algorithm>
#include <cmath>

#include "listener/audio_source.h"

namespace hark::listener {
namespace {

// A click or a cough shorter than this is not the start of a command.
constexpr long kMinSpeechFrames = 5;

long frames_in(double seconds) {
  return std::lround(seconds * kSampleRate / Endpointer::kFrameSamples);
}

double rms(std::span<const std::int16_t> samples) {
  double sum = 0;
  for (auto s : samples) sum += static_cast<double>(s) * s;
  return std::sqrt(sum / static_cast<double>(samples.size()));
}

}  // namespace

Endpointer::Endpointer(EndpointerOptions options) : options_(options) {
  vad_ = speex_preprocess_state_init(kFrameSamples, kSampleRate);
  int on = 1;
  int off = 0;
  speex_preprocess_ctl(vad_, SPEEX_PREPROCESS_SET_VAD, &on);
  // Only the VAD's verdict is used; the audio the recognizer hears stays untouched.
  speex_preprocess_ctl(vad_, SPEEX_PREPROCESS_SET_DENOISE, &off);
  speex_preprocess_ctl(vad_, SPEEX_PREPROCESS_SET_AGC, &off);
  frame_.reserve(kFrameSamples);
}

Endpointer::~Endpointer() {
  speex_preprocess_state_destroy(vad_);
}

void Endpointer::reset() {
  frame_.clear();
  frames_ = 0;
  speech_frames_ = 0;
  silent_run_ = 0;
  words_complete_ = false;
  verdict_ = Verdict::listening;
}

bool Endpointer::heard_speech() const {
  return speech_frames_ >= kMinSpeechFrames;
}

double Endpointer::seconds() const {
  return static_cast<double>(frames_ * kFrameSamples + static_cast<long>(frame_.size())) /
         kSampleRate;
}

double Endpointer::silence_seconds() const {
  return heard_speech() ? static_cast<double>(silent_run_ * kFrameSamples) / kSampleRate : 0;
}

Endpointer::Verdict Endpointer::feed(std::span<const std::int16_t> samples) {
  for (auto sample : samples) {
    if (verdict_ != Verdict::listening) break;
    frame_.push_back(sample);
    if (frame_.size() == kFrameSamples) {
      verdict_ = judge_frame();
      frame_.clear();
    }
  }
  return verdict_;
}

Endpointer::Verdict Endpointer::judge_frame() {
  ++frames_;
  bool loud = rms(frame_) >= options_.min_rms;
  // speex_preprocess_run works in place; the copy keeps frame_ as it was heard.
  std::vector<spx_int16_t> scratch(frame_.begin(), frame_.end());
  bool voiced = speex_preprocess_run(vad_, scratch.data()) != 0;
  if (loud && voiced) {
    ++speech_frames_;
    silent_run_ = 0;
  } else {
    ++silent_run_;
  }
  if (frames_ >= frames_in(options_.max_seconds)) return Verdict::too_long;
  if (speech_frames_ >= kMinSpeechFrames) {
    auto enough = words_complete_
                      ? std::min(options_.complete_silence_seconds, options_.silence_seconds)
                      : options_.silence_seconds;
    if (silent_run_ >= frames_in(enough)) return Verdict::ended;
  } else if (frames_ >= frames_in(options_.no_speech_seconds)) {
    return Verdict::no_speech;
  }
  return Verdict::listening;
}

}  // namespace hark::listener
