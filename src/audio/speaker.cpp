#include "audio/speaker.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "audio/sentences.h"

namespace hark::audio {

std::size_t leading_silence(const Pcm& pcm) {
  constexpr int kQuiet = 256;  // of 32767
  const auto& samples = pcm.samples;
  auto loud = std::find_if(samples.begin(), samples.end(),
                           [](std::int16_t s) { return std::abs(static_cast<int>(s)) > kQuiet; });
  auto silent = static_cast<std::size_t>(loud - samples.begin());
  auto onset = static_cast<std::size_t>(pcm.sample_rate / 200);
  return loud == samples.end() ? silent : silent - std::min(silent, onset);
}

Speaker::Speaker(std::shared_ptr<TtsEngine> engine, std::shared_ptr<TtsCache> cache,
                 std::unique_ptr<AudioSink> sink, Events events)
    : engine_(std::move(engine)),
      cache_(std::move(cache)),
      sink_(std::move(sink)),
      events_(std::move(events)) {
  synthesis_thread_ = std::thread([this] { synthesis_loop(); });
  playback_thread_ = std::thread([this] { playback_loop(); });
}

Speaker::~Speaker() {
  {
    std::lock_guard hold(mutex_);
    shutting_down_ = true;
    ++generation_;
    text_.clear();
    audio_.clear();
  }
  wake_synthesis_.notify_all();
  wake_playback_.notify_all();
  synthesis_thread_.join();
  playback_thread_.join();
}

void Speaker::speak(Answer answer) {
  {
    std::lock_guard hold(mutex_);
    text_.push_back(std::move(answer));
  }
  wake_synthesis_.notify_one();
}

bool Speaker::stop() {
  bool anything;
  {
    std::lock_guard hold(mutex_);
    anything = busy_ || synthesizing_ || !text_.empty() || !audio_.empty();
    ++generation_;
    text_.clear();
    audio_.clear();
    if (busy_) stopped_ = true;
  }
  wake_playback_.notify_all();
  return anything;
}

bool Speaker::speaking() const {
  std::lock_guard hold(mutex_);
  return busy_ || synthesizing_ || !text_.empty() || !audio_.empty();
}

void Speaker::set_engine(std::shared_ptr<TtsEngine> engine) {
  std::lock_guard hold(mutex_);
  engine_ = std::move(engine);
}

bool Speaker::drained_locked() const {
  return audio_.empty() && text_.empty() && !synthesizing_;
}

void Speaker::synthesis_loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_synthesis_.wait(lock, [&] { return shutting_down_ || !text_.empty(); });
    if (shutting_down_) return;
    auto answer = std::make_shared<const Answer>(std::move(text_.front()));
    text_.pop_front();
    synthesizing_ = true;
    const std::uint64_t generation = generation_;
    auto engine = engine_;
    lock.unlock();

    auto sentences = split_sentences(answer->text);
    // An answer with nothing to say still starts and ends the output, so listeners waiting for
    // audio_output_end (and mycroft.mic.listen) are not left hanging.
    if (sentences.empty()) sentences.emplace_back();
    for (const auto& sentence : sentences) {
      Pcm pcm;
      bool synthesized = false;
      if (!sentence.empty()) {
        try {
          if (auto cached = cache_ ? cache_->find(*engine, sentence) : std::nullopt) {
            pcm = std::move(*cached);
          } else {
            pcm = engine->synthesize(sentence);
            synthesized = true;
          }
        } catch (const std::exception& e) {
          spdlog::error("{} could not say \"{}\": {}", engine->name(), sentence, e.what());
        }
      }
      // Stored after it is queued: the disk write need not delay the first sound.
      Pcm to_store = synthesized && cache_ ? pcm : Pcm{};
      // Between sentences the silence is the pause a reader makes; before the first it is a wait.
      if (&sentence == &sentences.front()) {
        pcm.samples.erase(pcm.samples.begin(),
                          pcm.samples.begin() + static_cast<std::ptrdiff_t>(leading_silence(pcm)));
      }
      lock.lock();
      bool current = generation == generation_;
      if (current) audio_.push_back({answer, std::move(pcm), generation});
      lock.unlock();
      wake_playback_.notify_one();
      if (!to_store.samples.empty()) cache_->store(*engine, sentence, to_store);
      if (!current) break;
    }
    lock.lock();
    synthesizing_ = false;
    wake_playback_.notify_one();
  }
}

void Speaker::playback_loop() {
  std::shared_ptr<const Answer> last;
  std::unique_lock lock(mutex_);
  while (true) {
    wake_playback_.wait(
        lock, [&] { return shutting_down_ || !audio_.empty() || (busy_ && drained_locked()); });
    if (shutting_down_) break;
    if (audio_.empty()) {
      bool stopped = stopped_;
      lock.unlock();
      if (open_answer_) stopped ? sink_->discard_and_close() : sink_->drain_and_close();
      open_answer_.reset();
      lock.lock();
      // An answer queued while the last one drained keeps the output busy.
      if (!drained_locked()) continue;
      busy_ = false;
      stopped_ = false;
      lock.unlock();
      if (events_.output_ended) events_.output_ended(*last, stopped);
      lock.lock();
      continue;
    }
    Chunk chunk = std::move(audio_.front());
    audio_.pop_front();
    bool starting = !busy_;
    busy_ = true;
    stopped_ = false;
    lock.unlock();
    if (starting && events_.output_started) events_.output_started(*chunk.answer);
    last = chunk.answer;
    play(chunk);
    lock.lock();
  }
  lock.unlock();
  if (open_answer_) sink_->discard_and_close();
}

void Speaker::play(const Chunk& chunk) {
  const Pcm& pcm = chunk.pcm;
  if (pcm.samples.empty()) return;
  // One sink session per answer (one WAV file each); a new rate needs a new stream too.
  if (open_answer_ != chunk.answer || open_rate_ != pcm.sample_rate) {
    if (open_answer_) sink_->drain_and_close();
    open_answer_.reset();
    if (!sink_->open(pcm.sample_rate)) return;
    open_answer_ = chunk.answer;
    open_rate_ = pcm.sample_rate;
  }
  const std::size_t piece = static_cast<std::size_t>(pcm.sample_rate) * kPieceMs / 1000;
  for (std::size_t offset = 0; offset < pcm.samples.size(); offset += piece) {
    bool cut_off;
    {
      std::lock_guard hold(mutex_);
      cut_off = chunk.generation != generation_;
    }
    if (cut_off) {
      sink_->discard_and_close();
      open_answer_.reset();
      return;
    }
    std::size_t count = std::min(piece, pcm.samples.size() - offset);
    sink_->write(std::span(pcm.samples).subspan(offset, count));
  }
}

}  // namespace hark::audio
