// End-pointing: decides, 20 ms at a time, whether a recording has started to hold speech and
// when it is over. The speech/non-speech call is speexdsp's preprocessor VAD, gated by a level
// floor so that digital silence and hiss never count as speech.
//
//   Endpointer ends({.silence_seconds = 0.5, .max_seconds = 10});
//   while (mic.read(block)) {
//     record(block);
//     ends.set_words_complete(recognizer.heard_a_whole_command());   // optional
//     if (ends.feed(block) != Endpointer::Verdict::listening) break;
//   }
#pragma once

#include <cstdint>
#include <span>
#include <vector>

struct SpeexPreprocessState_;

namespace hark::listener {

struct EndpointerOptions {
  // Silence after speech that ends the recording.
  double silence_seconds = 0.5;
  // Shorter silence that ends it when the words so far are known to be a whole command
  // (set_words_complete): a pause after "what time is it" is the end, one after "set a timer
  // for" is not.
  double complete_silence_seconds = 0.25;
  // A recording never runs longer.
  double max_seconds = 10;
  // A recording in which nobody starts speaking within this long ends empty-handed.
  double no_speech_seconds = 3;
  // Frames quieter than this RMS (of 32768) are silence whatever the VAD says.
  double min_rms = 200;
};

class Endpointer {
 public:
  enum class Verdict {
    listening,  // more audio, please
    ended,      // speech, then `silence_seconds` of silence (or `complete_silence_seconds`)
    too_long,   // `max_seconds` reached (with or without speech)
    no_speech,  // `no_speech_seconds` without a word
  };

  explicit Endpointer(EndpointerOptions options);
  ~Endpointer();
  Endpointer(const Endpointer&) = delete;
  Endpointer& operator=(const Endpointer&) = delete;

  // Any number of samples at 16 kHz; once it returned something else than `listening`, it
  // keeps returning that until reset().
  Verdict feed(std::span<const std::int16_t> samples);
  // Whether the words heard so far make a whole command (the speech recognizer's call); holds
  // for the samples fed next.
  void set_words_complete(bool complete) { words_complete_ = complete; }
  void reset();
  bool heard_speech() const;
  // Seconds of audio fed since the last reset().
  double seconds() const;
  // Seconds of silence since the last speech (0 before any).
  double silence_seconds() const;

  static constexpr int kFrameSamples = 320;  // 20 ms

 private:
  Verdict judge_frame();

  EndpointerOptions options_;
  SpeexPreprocessState_* vad_ = nullptr;
  std::vector<std::int16_t> frame_;
  long frames_ = 0;
  long speech_frames_ = 0;
  long silent_run_ = 0;
  bool words_complete_ = false;
  Verdict verdict_ = Verdict::listening;
};

}  // namespace hark::listener
