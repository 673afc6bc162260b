// tts_bench: how soon the first sound of a three-sentence answer is ready, whole-answer
// synthesis against the sentence pipeline, with a cold and a warm TTS cache, per engine.
//
//   build/bench/tts_bench [--runs 20]
//
// "first audio" is the time from Speaker::speak() to output_started, which fires when the first
// sentence's audio is handed to the sink (a WAV sink here, so no device latency is counted).
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>

#include "audio/speaker.h"
#include "audio/tts_cache.h"
#include "audio/tts_engine.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;
using hark::audio::Answer;
using hark::audio::Speaker;

constexpr std::string_view kAnswer =
    "It is twenty past ten in the morning. The weather in Lawrence is sunny with a high of "
    "twenty four degrees. Tomorrow brings light rain in the afternoon, so take an umbrella.";

double ms(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

struct Timings {
  double first_audio_ms;
  double all_done_ms;
};

// One answer through a Speaker writing WAV files into `out`.
Timings speak_once(std::shared_ptr<hark::audio::TtsEngine> engine,
                   std::shared_ptr<hark::audio::TtsCache> cache, const fs::path& out) {
  std::mutex mutex;
  std::condition_variable changed;
  std::optional<Clock::time_point> started, ended;
  Speaker speaker(engine, cache, hark::audio::make_wav_sink(out),
                  {.output_started =
                       [&](const Answer&) {
                         std::lock_guard hold(mutex);
                         started = Clock::now();
                       },
                   .output_ended =
                       [&](const Answer&, bool) {
                         std::lock_guard hold(mutex);
                         ended = Clock::now();
                         changed.notify_all();
                       }});
  auto begin = Clock::now();
  speaker.speak({.text = std::string(kAnswer)});
  std::unique_lock lock(mutex);
  changed.wait(lock, [&] { return ended.has_value(); });
  return {ms(*started - begin), ms(*ended - begin)};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("Time to first audio of a three-sentence answer");
  int runs = 20;
  app.add_option("--runs", runs, "repetitions per figure (the median is printed)")
      ->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);

  fs::path scratch = fs::temp_directory_path() / fmt::format("hark-tts-bench-{}", ::getpid());
  fmt::print("answer: {} characters, 3 sentences; median of {} runs; times in ms\n", kAnswer.size(),
             runs);
  fmt::print("{:<20} {:>14} {:>13} {:>13} {:>13} {:>13}\n", "engine", "whole answer", "first audio",
             "first audio", "first audio", "all audio");
  fmt::print("{:<20} {:>14} {:>13} {:>13} {:>13} {:>13}\n", "", "(no pipeline)", "(no cache)",
             "(cold cache)", "(warm cache)", "(cold cache)");
  for (auto [module, voice] : {std::pair{"ovos-tts-plugin-espeakng", "en-us"},
                               std::pair{"ovos-tts-plugin-mimic", "slt"}}) {
    std::shared_ptr engine = hark::audio::make_engine({module, voice});
    std::vector<double> whole, uncached_first, cold_first, warm_first, cold_all;
    for (int run = 0; run < runs; ++run) {
      auto begin = Clock::now();
      engine->synthesize(kAnswer);
      whole.push_back(ms(Clock::now() - begin));

      fs::remove_all(scratch);
      uncached_first.push_back(speak_once(engine, nullptr, scratch / "out").first_audio_ms);
      auto cache = std::make_shared<hark::audio::TtsCache>(scratch / "cache", 64 << 20);
      auto cold = speak_once(engine, cache, scratch / "out");
      auto warm = speak_once(engine, cache, scratch / "out");
      cold_first.push_back(cold.first_audio_ms);
      cold_all.push_back(cold.all_done_ms);
      warm_first.push_back(warm.first_audio_ms);
    }
    fmt::print("{:<20} {:>14.1f} {:>13.1f} {:>13.1f} {:>13.1f} {:>13.1f}\n",
               fmt::format("{} {}", engine->name(), voice), median(whole), median(uncached_first),
               median(cold_first), median(warm_first), median(cold_all));
  }
  fs::remove_all(scratch);
  return 0;
}
