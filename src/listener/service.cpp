#include "listener/service.h"

#include <fmt/format.h>
#include <malloc.h>
#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <future>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "audio/wav.h"
#include "client/bus_client.h"
#include "client/process_status.h"
#include "config/watcher.h"
#include "core/files.h"
#include "core/lock_file.h"
#include "core/log.h"
#include "listener/audio_source.h"
#include "listener/enrollment.h"
#include "listener/settings.h"

namespace hark::listener {
namespace asio = boost::asio;
using namespace std::chrono_literals;
namespace {

// 64 ms: pocketsphinx's preferred piece (machine-notes 3).
constexpr std::size_t kBlock = 1024;
// While a command is recorded: one end-of-speech frame, 20 ms. The end of speech is judged per
// frame, and a 64 ms read held the decision back by up to 44 ms; the speech to text still decodes
// the recording in kBlock pieces (PocketsphinxStt::follow).
constexpr std::size_t kRecordingBlock = Endpointer::kFrameSamples;
// Audio kept from before the wake word's end, for the command that follows it at once and for
// the saved wake word.
constexpr std::size_t kHistory = 2 * kSampleRate;
// How long to wait before trying a missing microphone again.
constexpr auto kMicRetry = 5s;

Json audio_context() {
  return {{"source", "audio"}, {"destination", Json::array({"skills"})}};
}

std::string timestamp() {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
}

// Opt-in recordings; a full disk costs a warning, never the listener.
void save(const std::filesystem::path& dir, std::span<const std::int16_t> samples) {
  try {
    std::filesystem::create_directories(dir);
    auto path = dir / (timestamp() + ".wav");
    audio::write_wav(path, {{samples.begin(), samples.end()}, kSampleRate});
    spdlog::debug("saved {}", path.string());
  } catch (const std::exception& e) {
    spdlog::warn("cannot save a recording in {}: {}", dir.string(), e.what());
  }
}

// The wake words learn() kept in `dir`, oldest first; none when it does not exist yet.
std::vector<std::filesystem::path> learned_files(const std::filesystem::path& dir) {
  std::error_code none_yet;
  return wav_files(dir, none_yet);
}

// The wake words learnt before, the newest the spotter keeps; a damaged file costs a warning.
void learn_saved_wake_words(WakeWordSpotter& wake, const std::filesystem::path& dir) {
  auto files = learned_files(dir);
  auto keep = std::min(files.size(), wake.options().max_learned);
  for (auto file = files.end() - static_cast<std::ptrdiff_t>(keep); file != files.end(); ++file) {
    try {
      if (!wake.learn(read_wav_16k(*file)))
        spdlog::warn("{}: less than 0.1 s of sound, not a wake word", file->string());
    } catch (const SourceError& e) {
      spdlog::warn("{} (not learnt)", e.what());
    }
  }
  if (auto learned = wake.learned())
    spdlog::info("{} wake word{} learnt before, from {}", learned, learned == 1 ? "" : "s",
                 dir.string());
}

// The spotter's cepstral mean as the last listener left it (one line of numbers); a missing
// file is a first start, a damaged one costs a warning.
void start_from_saved_mean(WakeWordSpotter& wake, const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return;
  std::vector<float> mean;
  for (std::string word; in >> word;) {
    char* end = nullptr;
    float value = std::strtof(word.c_str(), &end);
    if (*end != '\0' || !std::isfinite(value)) {
      spdlog::warn("{}: '{}' is not a number (the wake word's mean starts afresh)", file.string(),
                   word);
      return;
    }
    mean.push_back(value);
  }
  try {
    wake.start_from(Decoder::Normalization::of_mean(std::move(mean)));
    spdlog::info("the wake word's cepstral mean as the last listener left it, from {}",
                 file.string());
  } catch (const DecoderError& e) {
    spdlog::warn("{}: {} (the wake word's mean starts afresh)", file.string(), e.what());
  }
}

// Written whole or not at all: a listener stopped meanwhile leaves the previous file.
void save_mean(const WakeWordSpotter& wake, const std::filesystem::path& file) {
  std::error_code ec;
  replace_file(file, fmt::format("{:.3f}\n", fmt::join(wake.normalization().estimate(), " ")), ec);
  if (ec) spdlog::warn("cannot keep the wake word's mean in {}: {}", file.string(), ec.message());
}

// The engines a configuration change may replace while the audio thread uses them.
struct Engines {
  std::shared_ptr<WakeWordSpotter> wake;
  // This machine's decoder, when stt.module or stt.fallback_module is pocketsphinx: the one the
  // intents' sentences go to.
  std::shared_ptr<PocketsphinxStt> local;
  std::shared_ptr<SpeechToText> stt;  // what transcribes a command
};

// Throws DecoderError or SourceError, naming the setting to fix.
Engines load_engines(const ListenerSettings& s) {
  auto wake = s.wake;
  if (!s.wake_word_templates.empty()) {
    try {
      wake.templates = read_wav_folder(s.wake_word_templates);
    } catch (const SourceError& e) {
      throw SourceError(fmt::format("listener.wake_word_templates: {}", e.what()));
    }
  }
  Engines engines;
  // One acoustic model for both (decoder.h, SharedDecoder).
  auto decoder = std::make_shared<SharedDecoder>(s.decoder);
  engines.wake = std::make_shared<WakeWordSpotter>(wake, decoder);
  if (!s.learned_wake_words.empty()) learn_saved_wake_words(*engines.wake, s.learned_wake_words);
  if (!s.wake_word_mean.empty()) start_from_saved_mean(*engines.wake, s.wake_word_mean);
  if (s.local_stt || s.fallback_local_stt.value_or(false)) {
    engines.local = std::make_shared<PocketsphinxStt>(
        PocketsphinxSttOptions{.decoder = s.decoder,
                               .intent_language_model = s.intent_language_model,
                               .language_model = {.everyday_weight = s.everyday_weight},
                               .min_grammar_score = s.min_grammar_score,
                               .min_fit = s.min_fit,
                               .lm_fallback = s.lm_fallback,
                               .adaptation = s.adaptation},
        decoder);
  }
  if (s.local_stt) {
    engines.stt = engines.local;
  } else {
    std::shared_ptr<SpeechToText> remote = std::make_shared<RemoteStt>(s.remote);
    engines.stt = engines.local ? std::make_shared<FallbackStt>(remote, engines.local) : remote;
  }
  return engines;
}

// The state machine on the audio thread: waiting for the wake word, recording, transcribing.
class Listener {
 public:
  Listener(client::BusClient& bus, ListenerSettings settings, Engines engines)
      : bus_(bus), settings_(std::move(settings)), engines_(std::move(engines)) {}

  // Reads `source` until it ends or stop(); a recording still open then is finished.
  void run(AudioSource& source) {
    std::vector<std::int16_t> buffer(kBlock);
    while (!stopping_) {
      std::span block(buffer.data(), recording_ ? kRecordingBlock : kBlock);
      if (!source.read(block)) break;
      handle(block);
    }
    if (recording_) finish();
  }
  void stop() { stopping_ = true; }
  bool stopping() const { return stopping_; }

  void set_muted(bool muted) {
    if (muted_.exchange(muted) != muted) spdlog::info("microphone {}", muted ? "muted" : "unmuted");
  }
  bool muted() const { return muted_; }
  void listen() { listen_requested_ = true; }
  void stop_recording() { stop_requested_ = true; }
  // hark.listener.enroll: taken up by the audio thread once no command is being recorded.
  void enroll(EnrollmentPlan plan) {
    std::lock_guard hold(mutex_);
    enroll_requested_ = plan;
  }
  // Why no microphone is being read (empty once one is): an enrollment asked for meanwhile is
  // refused with it instead of waiting unanswered.
  void set_microphone_error(std::string why) {
    std::lock_guard hold(mutex_);
    microphone_error_ = std::move(why);
  }
  std::string microphone_error() {
    std::lock_guard hold(mutex_);
    return microphone_error_;
  }
  // Also drops a request not yet taken up.
  void stop_enrolling() {
    std::lock_guard hold(mutex_);
    enroll_requested_.reset();
    enroll_stop_requested_ = true;
  }

  Engines engines() {
    std::lock_guard hold(mutex_);
    return engines_;
  }
  ListenerSettings settings() {
    std::lock_guard hold(mutex_);
    return settings_;
  }
  void replace(ListenerSettings settings, Engines engines) {
    std::lock_guard hold(mutex_);
    settings_ = std::move(settings);
    engines_ = std::move(engines);
    wake_reset_ = true;
  }

 private:
  void handle(std::span<const std::int16_t> block) {
    remember(block);
    if (muted_) {
      if (recording_) {
        spdlog::info("muted while recording: command dropped");
        recording_ = false;
        stop_following();
        bus_.emit(Message("recognizer_loop:record_end", {}, audio_context()));
      }
      listen_requested_ = false;
      wake_reset_ = true;
      return;
    }
    auto [s, engines] = snapshot();
    if (wake_reset_.exchange(false)) engines.wake->reset();
    if (enroll_stop_requested_.exchange(false) && enrollment_) {
      enrollment_->stop("stopped by hark.listener.enroll.stop");
      if (recording_) {
        recording_ = false;
        bus_.emit(Message("recognizer_loop:record_end", {}, audio_context()));
      }
      end_enrolling(engines);
    }
    if (!recording_) {
      if (auto plan = take_enroll_request()) start_enrolling(s, engines, *plan);
    }
    if (enrollment_ && !recording_) {
      listen_requested_ = false;  // what is said now is the enrollment's
      enrollment_step(s, engines, block);
      return;
    }
    if (!recording_) {
      if (listen_requested_.exchange(false)) {
        spdlog::info("listening (mycroft.mic.listen)");
        begin({});
      } else if (auto hit = engines.wake->feed(block)) {
        woke(s, *hit);
      }
      return;
    }
    recording_audio_.insert(recording_audio_.end(), block.begin(), block.end());
    if (s.local_stt && !enrollment_) {
      engines.local->follow(recording_audio_);
      endpointer_->set_words_complete(pause_ends_a_sentence(s, *engines.local) ||
                                      engines.local->heard_a_sentence_end());
    }
    auto verdict = endpointer_->feed(block);
    if (stop_requested_.exchange(false) || verdict != Endpointer::Verdict::listening) finish();
  }

  // Whether the final words end a sentence, asked once per pause, kFinishAhead before the
  // shorter silence for complete commands ends it: pocketsphinx's final passes (about 30 ms per
  // second of command) then run while the silence goes on instead of after the command's end,
  // and a result the partial words lag behind on ("what are" for "what are you") can still end
  // the command there. A speaker who goes on after such a pause is followed on from the start.
  bool pause_ends_a_sentence(const ListenerSettings& s, PocketsphinxStt& stt) {
    constexpr double kFinishAhead = 0.1;
    const double silence = endpointer_->silence_seconds();
    const double short_silence = s.endpointer.complete_silence_seconds;
    if (silence < short_silence - kFinishAhead || short_silence >= s.endpointer.silence_seconds) {
      if (pause_ends_sentence_) stt.go_on_following(recording_audio_);
      pause_asked_ = pause_ends_sentence_ = false;
      return false;
    }
    if (!pause_asked_) {
      pause_asked_ = true;
      pause_ends_sentence_ = stt.finished_a_sentence(recording_audio_);
    }
    return pause_ends_sentence_;
  }

  void woke(const ListenerSettings& s, WakeWordHit& hit) {
    auto after = std::min(hit.after, history_.size());
    spdlog::info("wake word '{}'{}", s.wake.phrase, hit.repeated ? " (said again)" : "");
    bus_.emit(Message("recognizer_loop:wakeword",
                      {{"utterance", s.wake.phrase},
                       {"key_phrase", s.wake.phrase},
                       {"module", "pocketsphinx"},
                       {"engine", "pocketsphinx"}},
                      audio_context()));
    std::span<const std::int16_t> heard(history_);
    auto spoken_until = heard.size() - after;
    if (s.record_wake_words) {
      auto length = std::min<std::size_t>(spoken_until, 3 * kSampleRate / 2);
      save(s.records_dir / "wake_words", heard.subspan(spoken_until - length, length));
    }
    auto command = heard.subspan(spoken_until);
    begin({command.begin(), command.end()});
    wake_word_ = std::move(hit.wake_word);
  }

  void begin(std::vector<std::int16_t> already) {
    auto [s, engines] = snapshot();
    auto endpointer = s.endpointer;
    if (enrollment_) {
      // Time to read the sentence first, and to say all of it.
      endpointer.no_speech_seconds = std::max(endpointer.no_speech_seconds, kReadingSeconds);
      endpointer.max_seconds = std::max(endpointer.max_seconds, 2 * kReadingSeconds);
    }
    endpointer_ = std::make_unique<Endpointer>(endpointer);
    endpointer_->feed(already);
    recording_audio_ = std::move(already);
    wake_word_.clear();
    pause_asked_ = pause_ends_sentence_ = false;
    // Decoded as it is said: when the speaker stops, only the last piece is left to decode.
    if (s.local_stt && !enrollment_) {
      engines.local->begin_following();
      engines.local->follow(recording_audio_);
    }
    recording_ = true;
    stop_requested_ = false;
    bus_.emit(Message("recognizer_loop:record_begin", {}, audio_context()));
  }

  // A recording that will not be transcribed: the local engine frees what following it took.
  void stop_following() {
    auto [s, engines] = snapshot();
    if (s.local_stt) engines.local->stop_following();
  }

  void finish() {
    recording_ = false;
    bus_.emit(Message("recognizer_loop:record_end", {}, audio_context()));
    auto [s, engines] = snapshot();
    if (enrollment_) {
      read_sentence(s, engines);
      return;
    }
    if (s.save_utterances) save(s.records_dir / "utterances", recording_audio_);
    Transcript transcript;
    if (endpointer_->heard_speech()) {
      auto started = std::chrono::steady_clock::now();
      try {
        transcript = engines.stt->transcribe(recording_audio_);
      } catch (const SttError& e) {
        spdlog::error("{}", e.what());
      }
      spdlog::info("heard '{}'{} ({}, {:.1f}/frame, fit {:.1f}, {:.2f} s of audio in {} ms)",
                   transcript.text,
                   transcript.dropped.empty()
                       ? ""
                       : fmt::format(", '{}' dropped below listener.min_fit", transcript.dropped),
                   transcript.search, transcript.score_per_frame, transcript.fit,
                   static_cast<double>(recording_audio_.size()) / kSampleRate,
                   std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::steady_clock::now() - started)
                       .count());
    } else {
      spdlog::info("no speech after the wake word");
      stop_following();
    }
    if (transcript.text.empty()) {
      bus_.emit(Message("recognizer_loop:speech.recognition.unknown", {}, audio_context()));
    } else {
      bus_.emit(Message("recognizer_loop:utterance",
                        {{"utterances", Json::array({transcript.text})}, {"lang", s.lang}},
                        audio_context()));
      std::cout << transcript.text << std::endl;
    }
    // After the utterance went out: the core and the audio service answer meanwhile.
    if (engines.local) engines.local->end_command(recording_audio_, transcript);
    // A command understood: what woke the listener was its wake word.
    if (transcript.heard_by_intents() && !wake_word_.empty()) learn(s, *engines.wake, wake_word_);
    wake_word_.clear();
    recording_audio_.clear();
    engines.wake->reset();
  }

  std::optional<EnrollmentPlan> take_enroll_request() {
    std::lock_guard hold(mutex_);
    return std::exchange(enroll_requested_, std::nullopt);
  }

  void start_enrolling(const ListenerSettings& s, const Engines& engines,
                       const EnrollmentPlan& plan) {
    if (enrollment_) {
      enrollment_->stop("replaced by another hark.listener.enroll");
      end_enrolling(engines);
    }
    std::string cannot;
    if (plan.sentences && !can_learn_sentences(s, engines)) {
      cannot = kSentencesNeed;
    } else if (plan.wake_words && !s.wake.max_learned) {
      cannot = "the wake words need listener.learn_wake_word on";
    }
    if (!cannot.empty()) {
      spdlog::error("hark.listener.enroll: {}", cannot);
      bus_.emit(Message("hark.listener.enroll.done", {{"complete", false}, {"error", cannot}}));
      return;
    }
    spdlog::info("enrolling a voice: {} wake words, {} sentences", plan.wake_words, plan.sentences);
    enrollment_.emplace(plan, s.wake.phrase);
    prompt(engines);
  }

  // Waits for the wake word, or starts recording the sentence to read.
  void enrollment_step(const ListenerSettings& s, const Engines& engines,
                       std::span<const std::int16_t> block) {
    if (enrollment_->current().kind == Enrollment::Kind::sentence) {
      begin({});
      return;
    }
    if (auto hit = engines.wake->feed(block, WakeWordSpotter::Saying::prompted)) {
      if (learn(s, *engines.wake, hit->wake_word)) {
        enrollment_->learnt();
      } else {
        enrollment_->missed("it was too short to learn from");
      }
      next_enrollment_step(engines);
    } else if ((waited_ += block.size()) >=
               static_cast<std::size_t>(kReadingSeconds * kSampleRate)) {
      enrollment_->missed(
          fmt::format("the wake word was not heard within {:g} s", kReadingSeconds));
      next_enrollment_step(engines);
    }
  }

  static bool can_learn_sentences(const ListenerSettings& s, const Engines& engines) {
    return engines.local && s.adaptation;
  }
  static constexpr const char* kSentencesNeed =
      "the sentences need listener.speaker_adaptation on and pocketsphinx as stt.module or "
      "stt.fallback_module";

  void read_sentence(const ListenerSettings& s, const Engines& engines) {
    const auto& text = enrollment_->current().text;
    if (!can_learn_sentences(s, engines)) {
      // A configuration change since it started.
      enrollment_->stop(kSentencesNeed);
    } else if (!endpointer_->heard_speech()) {
      enrollment_->missed(fmt::format("nothing was said within {:g} s", kReadingSeconds));
    } else if (engines.local->adapt(recording_audio_, text)) {
      enrollment_->learnt();
    } else {
      enrollment_->missed("it was too short to learn from");
    }
    recording_audio_.clear();
    next_enrollment_step(engines);
  }

  void next_enrollment_step(const Engines& engines) {
    if (enrollment_->finished()) {
      end_enrolling(engines);
    } else {
      prompt(engines);
    }
  }

  void prompt(const Engines& engines) {
    waited_ = 0;
    engines.wake->reset();
    bus_.emit(Message("hark.listener.enroll.prompt", enrollment_->prompt()));
  }

  void end_enrolling(const Engines& engines) {
    if (engines.local) engines.local->save_adaptation();
    auto summary = enrollment_->summary();
    spdlog::info(
        "enrollment {}: {} wake words and {} sentences learnt{}",
        summary["complete"] ? "complete" : "ended", summary["wake_words"].get<int>(),
        summary["sentences"].get<int>(),
        summary.contains("error") ? fmt::format(" ({})", summary["error"].get<std::string>()) : "");
    bus_.emit(Message("hark.listener.enroll.done", summary));
    enrollment_.reset();
    engines.wake->reset();
  }

  // False when the spotter took nothing from `wake_word` (too little sound, learning off).
  bool learn(const ListenerSettings& s, WakeWordSpotter& wake,
             std::span<const std::int16_t> wake_word) {
    if (!wake.learn(wake_word)) return false;
    if (s.learned_wake_words.empty()) return true;
    save(s.learned_wake_words, wake_word);
    auto files = learned_files(s.learned_wake_words);
    for (std::size_t i = 0; i + s.wake.max_learned < files.size(); ++i) {
      std::error_code ignored;
      std::filesystem::remove(files[i], ignored);
    }
    return true;
  }

  void remember(std::span<const std::int16_t> block) {
    history_.insert(history_.end(), block.begin(), block.end());
    if (history_.size() > kHistory) {
      history_.erase(history_.begin(),
                     history_.begin() + static_cast<std::ptrdiff_t>(history_.size() - kHistory));
    }
  }

  std::pair<ListenerSettings, Engines> snapshot() {
    std::lock_guard hold(mutex_);
    return {settings_, engines_};
  }

  client::BusClient& bus_;
  std::mutex mutex_;
  ListenerSettings settings_;
  Engines engines_;
  std::atomic<bool> stopping_ = false;
  std::atomic<bool> muted_ = false;
  std::atomic<bool> listen_requested_ = false;
  std::atomic<bool> stop_requested_ = false;
  std::atomic<bool> wake_reset_ = false;
  std::optional<EnrollmentPlan> enroll_requested_;  // guarded by mutex_
  std::string microphone_error_;                    // guarded by mutex_
  std::atomic<bool> enroll_stop_requested_ = false;
  // How long an enrollment step waits for its wake word, or for its sentence to be read.
  static constexpr double kReadingSeconds = 10;
  std::optional<Enrollment> enrollment_;
  std::size_t waited_ = 0;  // samples since the wake word was asked for
  bool recording_ = false;
  std::unique_ptr<Endpointer> endpointer_;
  std::vector<std::int16_t> recording_audio_;
  std::vector<std::int16_t> wake_word_;  // of the command being recorded; empty: none
  bool pause_asked_ = false;             // pause_ends_a_sentence() asked about the current pause
  bool pause_ends_sentence_ = false;     // and the final words ended a sentence
  std::vector<std::int16_t> history_;
};

void wire(client::BusClient& bus, Listener& listener) {
  bus.on("mycroft.mic.mute", [&](const Message&) { listener.set_muted(true); });
  bus.on("mycroft.mic.unmute", [&](const Message&) { listener.set_muted(false); });
  bus.on("mycroft.mic.mute.toggle", [&](const Message&) { listener.set_muted(!listener.muted()); });
  bus.on("mycroft.mic.get_status", [&](const Message& m) {
    bus.emit(m.response({{"muted", listener.muted()}}));
  });
  bus.on("mycroft.mic.listen", [&](const Message&) { listener.listen(); });
  bus.on("recognizer_loop:record_stop", [&](const Message&) { listener.stop_recording(); });
  bus.on("hark.listener.enroll", [&](const Message& m) {
    std::string refused;
    try {
      auto plan = EnrollmentPlan::from_json(m.data(), listener.settings().wake.max_learned);
      refused = listener.microphone_error();
      if (refused.empty()) listener.enroll(plan);
    } catch (const std::invalid_argument& e) {
      refused = fmt::format("hark.listener.enroll: {}", e.what());
    }
    if (refused.empty()) return;
    spdlog::error("enrollment refused: {}", refused);
    bus.emit(Message("hark.listener.enroll.done", {{"complete", false}, {"error", refused}}));
  });
  bus.on("hark.listener.enroll.stop", [&](const Message&) { listener.stop_enrolling(); });
}

// Keeps the speech grammar in step with the intents the core has: asks on connection and
// whenever skills change. Each answer is built on a thread of its own (most of a second here,
// seconds on a Raspberry Pi), so that the bus client's thread goes on answering meanwhile; an
// answer that arrives during a build replaces any other still waiting.
class GrammarKeeper {
 public:
  GrammarKeeper(client::BusClient& bus, asio::io_context& io, Listener& listener)
      : bus_(bus), listener_(listener), debounce_(io) {
    bus.on("hark.intent.samples", [this](const Message& m) { receive(m); });
    bus.on_connected([this] { ask(); });
    for (const char* change : {"mycroft.skills.trained", "mycroft.skills.initialized",
                               "padatious:register_intent", "detach_intent", "detach_skill"}) {
      bus.on(change, [this](const Message&) { ask_soon(); });
    }
  }

  // True once a first answer was applied, false when `timeout` passes first.
  bool wait_first(std::chrono::milliseconds timeout) {
    return first_.wait_for(timeout) == std::future_status::ready;
  }

  void ask() {
    bus_.emit(Message("hark.intent.samples.get", {{"lang", listener_.settings().lang}}));
  }

  // The last samples applied, for engines reloaded after a configuration change.
  IntentSamples latest() {
    std::lock_guard hold(mutex_);
    return latest_;
  }

 private:
  // Skills register intents in bursts; one question after the burst is enough.
  void ask_soon() {
    asio::post(debounce_.get_executor(), [this] {
      debounce_.expires_after(500ms);
      debounce_.async_wait([this](boost::system::error_code ec) {
        if (!ec) ask();
      });
    });
  }

  void receive(const Message& m) {
    auto samples = IntentSamples::from_json(m.data());
    std::lock_guard hold(mutex_);
    waiting_ = std::move(samples);
    arrived_.notify_one();
  }

  void build_each(std::stop_token stop) {
    for (;;) {
      std::unique_lock hold(mutex_);
      if (!arrived_.wait(hold, stop, [this] { return waiting_.has_value(); })) return;
      auto samples = *std::exchange(waiting_, std::nullopt);
      hold.unlock();
      apply(samples);
    }
  }

  void apply(const IntentSamples& samples) {
    // A configuration change may replace the engine during the build, after the new one took
    // latest(): the new one is then built for too.
    for (std::shared_ptr<PocketsphinxStt> built;;) {
      auto local = listener_.engines().local;
      if (built && local == built) break;
      // Without a decoder here (a server transcribes), the samples wait for a configuration
      // that brings one.
      if (!local || applied(*local, samples)) {
        std::lock_guard hold(mutex_);
        latest_ = samples;
      }
      if (!local) break;
      built = local;
    }
    // Building the intents' model (sentences, language model, dictionary text) frees megabytes
    // that glibc keeps in the arena: 3.2 MB of the listener's 29 MB RSS after start.
    malloc_trim(0);
    if (!first_set_.exchange(true)) first_promise_.set_value();
  }

  static bool applied(PocketsphinxStt& local, const IntentSamples& samples) {
    try {
      auto grammar = local.set_intents(samples);
      spdlog::info("speech grammar: {} sentences from {} intents{}", grammar.sentences,
                   samples.intents.size(),
                   grammar.dropped
                       ? fmt::format(" ({} left out for words the dictionary lacks: "
                                     "{}; add them to listener.extra_words)",
                                     grammar.dropped, fmt::join(grammar.unknown_words, ", "))
                       : "");
      return true;
    } catch (const DecoderError& e) {
      spdlog::error("keeping the previous speech grammar: {}", e.what());
      return false;
    }
  }

  client::BusClient& bus_;
  Listener& listener_;
  asio::steady_timer debounce_;
  std::mutex mutex_;
  std::condition_variable_any arrived_;
  std::optional<IntentSamples> waiting_;
  IntentSamples latest_;
  std::promise<void> first_promise_;
  std::future<void> first_ = first_promise_.get_future();
  std::atomic<bool> first_set_ = false;
  std::jthread builder_{[this](std::stop_token stop) { build_each(stop); }};  // last: uses all
};

}  // namespace

int run(const config::Sources& sources, const RunOptions& options) {
  // One malloc arena for every thread: the intents' model is built on a thread of its own,
  // and what it freed stayed in that thread's arena in pieces malloc_trim cannot return (0.7 MB
  // of RSS once running, `MALLOC_ARENA_MAX=1 bench/stack_figures.sh`). Once running, the
  // threads allocate too little to contend for it.
  mallopt(M_ARENA_MAX, 1);
  asio::io_context io(1);
  log::init("listener");
  asio::signal_set stop_signals(io, SIGTERM, SIGINT);
  std::optional<config::LiveConfig> conf;
  if (!config::LiveConfig::open(conf, io, sources, validate)) return 1;
  // A file's transcription depends on the file alone: it neither reads nor keeps what the
  // microphone's speakers taught the model (it adapts to the file's speaker while it runs).
  auto settings_from = [&](const Json& config) {
    auto s = ListenerSettings::from(config);
    if (options.input && s.adaptation) s.adaptation->file.clear();
    if (options.input) {
      s.learned_wake_words.clear();
      s.wake_word_mean.clear();
    }
    return s;
  };
  auto initial = settings_from(conf->current());
  log::set_level(initial.log_level);

  std::optional<LockFile> lock;
  std::unique_ptr<AudioSource> file;
  Engines engines;
  client::Endpoint endpoint;
  try {
    endpoint = client::Endpoint::from_config(conf->current());
    if (options.input) {
      file = make_wav_source(*options.input);
    } else {
      lock.emplace(LockFile::runtime_dir() / fmt::format("listener-{}.lock", endpoint.port));
    }
    engines = load_engines(initial);
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }

  client::BusClient bus(endpoint,
                        client::BusClientOptions::from_config(conf->current(), "listener"));
  client::ProcessStatus status(bus, "voice");
  Listener listener(bus, initial, engines);
  wire(bus, listener);
  GrammarKeeper grammar(bus, io, listener);
  bus.start();

  stop_signals.async_wait([&](boost::system::error_code ec, int signal) {
    if (ec) return;
    spdlog::info("{}: stopping", signal == SIGTERM ? "SIGTERM" : "SIGINT");
    listener.stop();
    io.stop();
  });

  conf->on_change([&](const Json&, const Json& after) {
    auto next = settings_from(after);
    auto previous = listener.settings();
    if (next.log_level != previous.log_level && !log::set_level(next.log_level)) {
      spdlog::warn("unknown log_level '{}'", next.log_level);
    }
    if (next.device != previous.device) {
      spdlog::warn("listener.device changed: restart hark listener to apply it");
    }
    // The engines load beside the running ones, which keep listening until the new ones are
    // ready; a configuration they cannot load leaves the old ones in place.
    try {
      // The new engine starts from all the running one learnt.
      auto running = listener.engines();
      if (running.local) running.local->save_adaptation();
      auto loaded = load_engines(next);
      try {
        // Fresher than the file, and with the frames it was taken from.
        loaded.wake->start_from(running.wake->normalization());
      } catch (const DecoderError& e) {
        spdlog::info("the wake word's cepstral mean starts afresh: {}", e.what());
      }
      if (loaded.local) loaded.local->set_intents(grammar.latest());
      listener.replace(std::move(next), std::move(loaded));
      spdlog::info("listener settings applied; wake word '{}'", listener.settings().wake.phrase);
    } catch (const std::exception& e) {
      spdlog::error("keeping the previous listener settings: {}", e.what());
    }
  });
  conf->reload_on_hangup();

  if (file) {
    if (!grammar.wait_first(5s)) {
      spdlog::warn(
          "the core did not answer hark.intent.samples.get: recognizing with the "
          "general language model");
    }
    status.set_ready();
    std::thread audio([&] {
      listener.run(*file);
      asio::post(io, [&] { io.stop(); });
    });
    io.run();
    listener.stop();
    audio.join();
    bus.stop();
    return 0;
  }

  std::thread audio([&] {
    bool said = false;
    while (!listener.stopping()) {
      try {
        auto mic = make_pulse_source({.device = listener.settings().device});
        listener.set_microphone_error("");
        spdlog::info(
            "listening for '{}' on {}", listener.settings().wake.phrase,
            listener.settings().device.empty() ? "the default source" : listener.settings().device);
        said = false;
        listener.run(*mic);
        if (!mic->error().empty()) {
          spdlog::error("{}", mic->error());
          listener.set_microphone_error(fmt::format("no microphone: {}", mic->error()));
        }
      } catch (const SourceError& e) {
        if (!said) spdlog::error("{}; trying again every {} s", e.what(), kMicRetry.count());
        said = true;
        listener.set_microphone_error(fmt::format("no microphone: {}", e.what()));
      }
      for (auto waited = 0ms; waited < kMicRetry && !listener.stopping(); waited += 100ms) {
        std::this_thread::sleep_for(100ms);
      }
    }
  });
  status.set_ready();
  io.run();
  listener.stop();
  audio.join();
  if (auto settings = listener.settings(); !settings.wake_word_mean.empty())
    save_mean(*listener.engines().wake, settings.wake_word_mean);
  bus.stop();
  return 0;
}

}  // namespace hark::listener
