// intent_bench: the template intent engine on the OVOS fixture skills. Load + train time,
// latency per utterance, and top-1 accuracy / false accepts on bench/intent_utterances.jsonl.
//
//   cmake -S . -B build-tpl -G Ninja && ninja -C build-tpl intent_bench
//   build-tpl/bench/intent_bench [--threshold 0.8] [--runs 20] [--misses]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "intent/ovos_fixtures.h"

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  namespace fixtures = hark::intent::fixtures;
  CLI::App app{"template intent engine benchmark"};
  std::string skills_dir = HARK_OVOS_SKILLS_DIR;
  std::string utterances = HARK_INTENT_UTTERANCES;
  double threshold = 0.8;
  int runs = 20;
  bool misses = false;
  app.add_option("--skills", skills_dir, "shared/ovos-skills");
  app.add_option("--utterances", utterances, "labelled utterances (JSON lines)");
  app.add_option("--threshold", threshold, "confidence that accepts (OVOS medium: 0.8)");
  app.add_option("--runs", runs, "passes over the utterances for the latency figures");
  app.add_flag("--misses", misses, "print every utterance scored wrong");
  CLI11_PARSE(app, argc, argv);

  const auto start = Clock::now();
  hark::intent::TemplateEngine engine;
  const auto errors = fixtures::register_ovos_skills(engine, skills_dir);
  const double load_ms = ms_since(start);
  const auto train_start = Clock::now();
  const auto stats = engine.train();
  const double train_ms = ms_since(train_start);
  std::printf("skills: %zu intents, %zu sentences, %zu load errors\n", stats.intents,
              stats.sentences, errors.size());
  std::printf("load %.1f ms, train %.1f ms\n", load_ms, train_ms);

  const auto cases = fixtures::read_labelled(utterances);
  std::vector<double> latencies;
  for (int run = 0; run < runs; ++run) {
    for (const auto& c : cases) {
      const auto t = Clock::now();
      auto best = engine.match(c.utterance, "en-us");
      latencies.push_back(ms_since(t));
      if (misses && run == 0) {
        const bool accepted = best && best->confidence >= threshold;
        const bool right = c.intent ? accepted && best->intent == *c.intent : !accepted;
        if (!right)
          std::printf("miss: %-55s want %-50s got %s %.2f\n", c.utterance.c_str(),
                      c.intent ? c.intent->c_str() : "-", best ? best->intent.c_str() : "-",
                      best ? best->confidence : 0.0);
      }
    }
  }
  std::sort(latencies.begin(), latencies.end());
  auto pct = [&](double p) {
    return latencies[static_cast<std::size_t>(p * double(latencies.size() - 1))];
  };
  std::printf("match: p50 %.3f ms, p99 %.3f ms, max %.3f ms (%zu matches)\n", pct(0.5), pct(0.99),
              latencies.back(), latencies.size());

  const auto a = fixtures::measure(engine, cases, threshold);
  std::printf("at %.2f: top-1 right %d/%d (%.1f %%), false accepts %d/%d (%.1f %%)\n", threshold,
              a.correct, a.positives, 100.0 * a.correct / a.positives, a.accepted, a.negatives,
              100.0 * a.accepted / a.negatives);
  return 0;
}
