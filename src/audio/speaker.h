// The speech pipeline: answers are split into sentences, a synthesis thread turns them into
// audio (from the TTS cache when it can), a playback thread plays them in order. The first
// sentence plays while the next are synthesized. Knows no bus: the service turns the events
// into messages.
//
//   hark::audio::Speaker speaker(engine, cache, hark::audio::make_pulse_sink({}), {
//       .output_started = [](const Answer& first) { ... },
//       .output_ended = [](const Answer& last, bool stopped) { ... }});
//   speaker.speak({.text = "Hello. How are you?", .listen = true});
//   speaker.stop();   // heard within a playback piece plus the sink's latency
#pragma once

#include <any>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "audio/sink.h"
#include "audio/tts_cache.h"
#include "audio/tts_engine.h"

namespace hark::audio {

// How many samples of `pcm` are silence before its first sound (louder than -42 dBFS), less the
// last 5 ms of it, which keep a soft onset whole. An answer starts playing after them: flite
// opens every sentence with about 0.2 s of silence (dithered: peaks up to 82), espeak-ng with 12
// ms, 40-50 ms before a plosive ("Today is Thursday.", "Timer set ..."), which the listener would
// wait for before hearing anything.
std::size_t leading_silence(const Pcm& pcm);

struct Answer {
  std::string text;
  bool listen = false;  // the speaker expects a reply once this is heard
  std::any origin{};    // whatever the caller needs back in the events (the speak message)
};

class Speaker {
 public:
  struct Events {
    // The queue went busy: the first audio of `first` is about to play.
    std::function<void(const Answer& first)> output_started;
    // The queue drained: `last` was the last answer played, or stop() cut it off.
    std::function<void(const Answer& last, bool stopped)> output_ended;
  };

  // `cache` may be null. Events run on the playback thread.
  Speaker(std::shared_ptr<TtsEngine> engine, std::shared_ptr<TtsCache> cache,
          std::unique_ptr<AudioSink> sink, Events events);
  // Drops what is queued and joins both threads.
  ~Speaker();
  Speaker(const Speaker&) = delete;
  Speaker& operator=(const Speaker&) = delete;

  // Queues an answer behind those already waiting.
  void speak(Answer answer);
  // Cuts off what plays and drops everything queued. True when anything was playing or waiting.
  bool stop();
  // True from speak() until the queue has drained.
  bool speaking() const;
  // Used from the next sentence on (after a configuration change).
  void set_engine(std::shared_ptr<TtsEngine> engine);

  // Audio is written to the sink in pieces this long; a stop is seen between two.
  static constexpr int kPieceMs = 10;

 private:
  struct Chunk {
    std::shared_ptr<const Answer> answer;
    Pcm pcm;
    std::uint64_t generation;
  };

  void synthesis_loop();
  void playback_loop();
  // Plays one chunk, or as much of it as comes before a stop.
  void play(const Chunk& chunk);
  bool drained_locked() const;

  std::shared_ptr<TtsEngine> engine_;
  std::shared_ptr<TtsCache> cache_;
  std::unique_ptr<AudioSink> sink_;
  Events events_;

  mutable std::mutex mutex_;
  std::condition_variable wake_synthesis_;
  std::condition_variable wake_playback_;
  std::deque<Answer> text_;
  std::deque<Chunk> audio_;
  bool synthesizing_ = false;
  bool busy_ = false;     // between output_started and output_ended
  bool stopped_ = false;  // stop() cut off the busy period
  bool shutting_down_ = false;
  // Bumped by stop(); audio from an older generation is never played.
  std::uint64_t generation_ = 0;

  // Touched by the playback thread only.
  std::shared_ptr<const Answer> open_answer_;
  int open_rate_ = 0;

  std::thread synthesis_thread_;
  std::thread playback_thread_;
};

}  // namespace hark::audio
