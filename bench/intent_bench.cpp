// intent_bench: the template intent engine, as `hark core` runs it and on the OVOS fixtures.
//
//   build/bench/intent_bench [--generated 100] [--threshold 0.8] [--low 0.5] [--runs 20]
//                            [--misses] [--by-skill]
//
// Two engines:
//   1. OVOS: the 18 fixture skills of shared/ovos-skills, scored on bench/intent_utterances.jsonl
//      heldout, heldout2, heldout4 to heldout6, heldout16, heldout17, heldout19, heldout20 and
//      heldout22 and heldout25 (tuned on) and heldout3, heldout7 to heldout15, heldout18,
//      heldout21, heldout23, heldout24 and heldout26 (held out: written without looking at the
//      scores, --misses skips their lines); heldout2 on also label keyword intents, so they are
//      scored through the pipeline (with hark core's stop stage) only.
//   2. Deployment: Hark's built-in skills plus --generated skills of five intents each, written
//      to files first so that reading them counts; scored on intent_utterances_builtin.jsonl and
//      its heldout2 to heldout4 (tuned on) and heldout5 and heldout6 (held out), through the stop
//      stage and the template engine.
// For each: load (read + register) and train times, match p50/p99 over every labelled
// utterance, top-1 right and false accepts at --threshold (and at --low).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

#include <CLI/CLI.hpp>

#include "generated_skills.h"
#include "intent/keyword_engine.h"
#include "intent/keyword_skill.h"
#include "intent/ovos_fixtures.h"
#include "pipeline/common_query.h"
#include "pipeline/stop_matcher.h"
#include "shipped_answer.h"
#include "skills/builtin_dir.h"

namespace {

namespace fixtures = hark::intent::fixtures;
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Registers every .intent and .entity file of a skill folder; returns the errors.
std::size_t register_folder(hark::intent::TemplateEngine& engine, const std::string& skill_id,
                            const std::filesystem::path& folder) {
  auto index = hark::skills::index_resources({folder, "en-us", {}});
  auto resources = hark::skills::load_skill_resources(index.value);
  auto intents = index.value.bases("intent");
  auto loaded =
      hark::intent::register_template_skill(engine, "en-us", skill_id, resources.value, intents);
  for (const auto* errors : {&index.errors, &resources.errors, &loaded.errors})
    for (const auto& e : *errors)
      std::printf("  load error: %s: %s\n", skill_id.c_str(), e.str().c_str());
  return index.errors.size() + resources.errors.size() + loaded.errors.size();
}

struct Options {
  double threshold = 0.8;
  // A padatious_low stage at this confidence (OVOS's conf_low, 0.5) after adapt_low; Hark's
  // default pipeline, as OVOS's, has none.
  std::optional<double> low;
  int runs = 20;
  bool misses = false;
  // Right intent, right skill and no answer per labelled skill, the held-out sets apart.
  bool by_skill = false;
  // Each utterance of the sets tuned on, with both engines' best 3 intents: for calibrating.
  std::string candidates;
};

// Sets scored for the figures only: --misses never prints their lines, so that no rule is tuned
// on them (bench/README.md says how each was used).
bool is_held_out(std::string_view set) {
  constexpr std::string_view kHeldOut[] = {
      "intent_utterances_heldout3",        "intent_utterances_heldout7",
      "intent_utterances_heldout8",        "intent_utterances_heldout9",
      "intent_utterances_heldout10",       "intent_utterances_heldout11",
      "intent_utterances_heldout12",       "intent_utterances_heldout13",
      "intent_utterances_heldout14",       "intent_utterances_heldout15",
      "intent_utterances_heldout18",       "intent_utterances_heldout21",
      "intent_utterances_heldout23",       "intent_utterances_heldout24",
      "intent_utterances_heldout26",       "intent_utterances_builtin_heldout5",
      "intent_utterances_builtin_heldout6"};
  return std::find(std::begin(kHeldOut), std::end(kHeldOut), set) != std::end(kHeldOut);
}

void print_latencies(const char* title, std::vector<double> latencies) {
  std::sort(latencies.begin(), latencies.end());
  auto pct = [&](double p) {
    return latencies[static_cast<std::size_t>(p * double(latencies.size() - 1))];
  };
  std::printf("%s match: p50 %.3f ms, p99 %.3f ms, max %.3f ms (%zu matches)\n", title, pct(0.5),
              pct(0.99), latencies.back(), latencies.size());
}

void report(const char* title, const hark::intent::TemplateEngine& engine,
            const hark::pipeline::StopMatcher* stop,
            const std::vector<std::pair<std::string, std::vector<fixtures::Labelled>>>& sets,
            const Options& options) {
  std::vector<double> latencies;
  for (int run = 0; run < options.runs; ++run) {
    for (const auto& [name, cases] : sets) {
      for (const auto& c : cases) {
        const auto t = Clock::now();
        const auto answer =
            hark::bench::shipped_answer(engine, stop, "stop", c.utterance, options.threshold);
        latencies.push_back(ms_since(t));
        if (options.misses && run == 0 && !is_held_out(name) &&
            (c.intent ? !c.is(answer) : !answer.empty())) {
          const auto best = engine.match(c.utterance, "en-us");
          std::printf("  miss (%s): %-50s want %-45s got %s (template best %s %.2f)\n",
                      name.c_str(), c.utterance.c_str(), c.intent ? c.intent->c_str() : "-",
                      answer.empty() ? "-" : answer.c_str(), best ? best->intent.c_str() : "-",
                      best ? best->confidence : 0.0);
        }
      }
    }
  }
  print_latencies(title, latencies);
  std::vector<double> thresholds{options.threshold};
  if (options.low) thresholds.push_back(*options.low);
  for (const double threshold : thresholds) {
    for (const auto& [name, cases] : sets) {
      int positives = 0, correct = 0, negatives = 0, accepted = 0;
      for (const auto& c : cases) {
        const auto answer =
            hark::bench::shipped_answer(engine, stop, "stop", c.utterance, threshold);
        if (c.intent) {
          ++positives;
          correct += c.is(answer);
        } else {
          ++negatives;
          accepted += !answer.empty();
        }
      }
      std::printf("%s %s at %.2f: top-1 right %d/%d (%.1f %%), false accepts %d/%d (%.1f %%)\n",
                  title, name.c_str(), threshold, correct, positives,
                  100.0 * correct / std::max(positives, 1), accepted, negatives,
                  100.0 * accepted / std::max(negatives, 1));
    }
  }
}

// The fixture of OVOS's stop pipeline (ovos-core's own sentences), labelled as a skill.
constexpr std::string_view kStopPipeline = "ovos-core-stop";

// The fixture skills' keyword intents, as they register themselves.
hark::intent::KeywordEngine load_keyword_skills(const std::string& skills_dir) {
  hark::intent::KeywordEngine keywords;
  for (const auto& entry : std::filesystem::directory_iterator(skills_dir)) {
    if (!entry.is_directory()) continue;
    const auto skill = entry.path().filename().string();
    std::ifstream in(entry.path() / "adapt_intents.json");
    if (!in) continue;
    const auto declared = hark::Json::parse(in);
    auto index = hark::skills::index_resources({fixtures::skill_root(entry.path()), "en-us", {}});
    auto resources = hark::skills::load_skill_resources(index.value);
    hark::intent::register_keyword_skill(keywords, "en-us", skill, resources.value, declared);
  }
  return keywords;
}

// The OVOS pipeline's matching stages over both engines (protocols.md §3: padatious_high,
// adapt_high, padatious_medium, adapt_medium, adapt_low, and with --low padatious_low), the
// fixture skills loaded into both as
// they register themselves. Counted right when the first stage that answers gives the labelled
// intent, or, more leniently, an intent of the labelled skill (a skill may answer "louder
// please" with its keyword intent rather than its .intent file).
void report_pipeline(const std::string& skills_dir, const std::string& bench_dir,
                     const Options& options) {
  // OVOS's stop pipeline is no skill in Hark: its stop stage answers with the built-in stop
  // skill's sentences, in place of the fixture's.
  hark::intent::TemplateEngine templates;
  fixtures::register_ovos_skills(templates, skills_dir, kStopPipeline);
  templates.train();
  const auto keywords = load_keyword_skills(skills_dir);
  const hark::pipeline::StopMatcher stop(hark::skills::builtin_skill_dir("stop"));
  enum class Engine { Stop, Template, Keyword };
  using hark::pipeline::Band;
  struct Stage {
    Engine engine;
    double threshold;
    Band band = Band::Medium;  // the stop stage's
  };
  std::vector<Stage> stages{{Engine::Stop, 0.95, Band::High},
                            {Engine::Template, 0.95},
                            {Engine::Keyword, 0.65},
                            {Engine::Stop, options.threshold},
                            {Engine::Template, options.threshold},
                            {Engine::Keyword, 0.45},
                            {Engine::Keyword, 0.25}};
  if (options.low) stages.push_back({Engine::Template, *options.low});
  // The alerts skill's own keyword test cases (tuned on, as intent_utterances is).
  const std::pair<const char*, std::string> sets[] = {
      {"intent_utterances", bench_dir + "/intent_utterances.jsonl"},
      {"alerts_test_cases", skills_dir + "/ovos-skill-alerts/test/labelled_cases.jsonl"},
      {"intent_utterances_heldout", bench_dir + "/intent_utterances_heldout.jsonl"},
      {"intent_utterances_heldout2", bench_dir + "/intent_utterances_heldout2.jsonl"},
      {"intent_utterances_heldout3", bench_dir + "/intent_utterances_heldout3.jsonl"},
      {"intent_utterances_heldout4", bench_dir + "/intent_utterances_heldout4.jsonl"},
      {"intent_utterances_heldout5", bench_dir + "/intent_utterances_heldout5.jsonl"},
      {"intent_utterances_heldout6", bench_dir + "/intent_utterances_heldout6.jsonl"},
      {"intent_utterances_heldout7", bench_dir + "/intent_utterances_heldout7.jsonl"},
      {"intent_utterances_heldout8", bench_dir + "/intent_utterances_heldout8.jsonl"},
      {"intent_utterances_heldout9", bench_dir + "/intent_utterances_heldout9.jsonl"},
      {"intent_utterances_heldout10", bench_dir + "/intent_utterances_heldout10.jsonl"},
      {"intent_utterances_heldout11", bench_dir + "/intent_utterances_heldout11.jsonl"},
      {"intent_utterances_heldout12", bench_dir + "/intent_utterances_heldout12.jsonl"},
      {"intent_utterances_heldout13", bench_dir + "/intent_utterances_heldout13.jsonl"},
      {"intent_utterances_heldout14", bench_dir + "/intent_utterances_heldout14.jsonl"},
      {"intent_utterances_heldout15", bench_dir + "/intent_utterances_heldout15.jsonl"},
      {"intent_utterances_heldout16", bench_dir + "/intent_utterances_heldout16.jsonl"},
      {"intent_utterances_heldout17", bench_dir + "/intent_utterances_heldout17.jsonl"},
      {"intent_utterances_heldout18", bench_dir + "/intent_utterances_heldout18.jsonl"},
      {"intent_utterances_heldout19", bench_dir + "/intent_utterances_heldout19.jsonl"},
      {"intent_utterances_heldout20", bench_dir + "/intent_utterances_heldout20.jsonl"},
      {"intent_utterances_heldout21", bench_dir + "/intent_utterances_heldout21.jsonl"},
      {"intent_utterances_heldout22", bench_dir + "/intent_utterances_heldout22.jsonl"},
      {"intent_utterances_heldout23", bench_dir + "/intent_utterances_heldout23.jsonl"},
      {"intent_utterances_heldout24", bench_dir + "/intent_utterances_heldout24.jsonl"},
      {"intent_utterances_heldout25", bench_dir + "/intent_utterances_heldout25.jsonl"},
      {"intent_utterances_heldout26", bench_dir + "/intent_utterances_heldout26.jsonl"}};
  std::vector<double> keyword_latencies;
  // Per labelled skill, [0] over the sets tuned on, [1] over the held-out ones.
  struct SkillCounts {
    int labelled = 0, exact = 0, same_skill = 0, unanswered = 0, questions = 0;
  };
  // What no stage answers, the common_qa stage would put to the question-answering skills
  // (OVOS's wikipedia and wolfie skills answer there too, with their code): counted apart.
  const hark::pipeline::QuestionDetector questions(hark::skills::builtin_skill_dir("common-query"));
  std::map<std::string, SkillCounts> by_skill[2];
  struct SetCounts {
    int positives = 0, exact = 0, same_handler = 0, asked_answerers = 0, negatives = 0,
        accepted = 0;
  };
  SetCounts totals[2];  // tuned, held out
  // The fixture skills that answer questions through common_qa (CommonQuerySkill in their code):
  // a question of theirs that no stage answers is put to them there.
  auto one_of_answerers = [](std::string_view skill) {
    return skill == "ovos-skill-wikipedia" || skill == "ovos-skill-wolfie";
  };
  std::ofstream candidates;
  if (!options.candidates.empty()) candidates.open(options.candidates);
  for (const auto& [file, path] : sets) {
    int positives = 0, exact = 0, same_handler = 0, same_skill = 0, negatives = 0, accepted = 0;
    int asked_answerers = 0;
    for (const auto& c : fixtures::read_labelled(path)) {
      std::string answer;
      for (const auto& stage : stages) {
        if (stage.engine == Engine::Stop) {
          if (auto kind = stop.match(c.utterance, "en-us", stage.band, stage.threshold))
            answer = std::string(kStopPipeline) +
                     (*kind == hark::pipeline::StopKind::Global ? ":global_stop" : ":stop");
        } else if (stage.engine == Engine::Keyword) {
          const auto t = Clock::now();
          auto m = keywords.match(c.utterance, "en-us");
          keyword_latencies.push_back(ms_since(t));
          if (!m.empty() && m[0].confidence >= stage.threshold) answer = m[0].intent_name;
        } else if (auto m = templates.match(c.utterance, "en-us");
                   m && m->confidence >= stage.threshold) {
          answer = m->intent;
        }
        if (!answer.empty()) break;
      }
      if (candidates.is_open() && !is_held_out(file)) {
        candidates << file << '\t' << c.utterance << '\t' << (c.intent ? *c.intent : "-") << '\t'
                   << (answer.empty() ? "-" : answer);
        for (const auto& m : templates.match_top(c.utterance, "en-us", 3))
          candidates << "\tT " << m.intent << ' ' << m.confidence;
        for (const auto& m : keywords.match(c.utterance, "en-us", 3))
          candidates << "\tK " << m.intent_name << ' ' << m.confidence;
        candidates << '\n';
      }
      if (options.misses && !is_held_out(file) &&
          (c.intent ? !c.is_handled_as(answer) : !answer.empty()))
        std::printf("  pipeline miss (%s): %-50s want %-45s got %s\n", file, c.utterance.c_str(),
                    c.intent ? c.intent->c_str() : "-", answer.empty() ? "-" : answer.c_str());
      if (!c.intent) {
        ++negatives;
        accepted += !answer.empty();
        continue;
      }
      ++positives;
      const bool answered_by_skill =
          !answer.empty() && answer.substr(0, answer.find(':')) == c.skill();
      exact += c.is(answer);
      same_handler += c.is_handled_as(answer);
      same_skill += answered_by_skill;
      auto& counts = by_skill[is_held_out(file)][std::string(c.skill())];
      ++counts.labelled;
      counts.exact += c.is(answer);
      counts.same_skill += answered_by_skill;
      counts.unanswered += answer.empty();
      const bool to_common_qa = answer.empty() && questions.is_question(c.utterance, "en-us");
      counts.questions += to_common_qa;
      asked_answerers += to_common_qa && one_of_answerers(c.skill());
    }
    auto& total = totals[is_held_out(file)];
    total.positives += positives;
    total.exact += exact;
    total.same_handler += same_handler;
    total.asked_answerers += asked_answerers;
    total.negatives += negatives;
    total.accepted += accepted;
    std::printf(
        "OVOS pipeline%s %s: right intent %d/%d (%.1f %%), right handler %d/%d (%.1f %%), "
        "right skill %d/%d (%.1f %%), false accepts %d/%d (%.1f %%)\n",
        options.low ? " + padatious_low" : "", file, exact, positives, 100.0 * exact / positives,
        same_handler, positives, 100.0 * same_handler / positives, same_skill, positives,
        100.0 * same_skill / positives, accepted, negatives,
        100.0 * accepted / std::max(negatives, 1));
  }
  for (const bool held_out : {false, true}) {
    const auto& t = totals[held_out];
    std::printf(
        "OVOS pipeline, %s sets together: right intent %d/%d (%.1f %%), right handler %.1f %%; "
        "with the knowledge questions that reach common_qa, where the question-answering skills "
        "answer them (%d), %.1f %% and %.1f %%; false accepts %d/%d (%.1f %%)\n",
        held_out ? "held-out" : "tuned", t.exact, t.positives, 100.0 * t.exact / t.positives,
        100.0 * t.same_handler / t.positives, t.asked_answerers,
        100.0 * (t.exact + t.asked_answerers) / t.positives,
        100.0 * (t.same_handler + t.asked_answerers) / t.positives, t.accepted, t.negatives,
        100.0 * t.accepted / std::max(t.negatives, 1));
  }
  print_latencies("OVOS keyword engine", keyword_latencies);
  if (!options.by_skill) return;
  for (const bool held_out : {false, true}) {
    std::printf(
        "OVOS pipeline by skill, %s sets: labelled, right intent, right skill, none (of which a "
        "question for common_qa)\n",
        held_out ? "held-out" : "tuned");
    for (const auto& [skill, n] : by_skill[held_out])
      std::printf("  %-28s %4d  %5.1f %%  %5.1f %%  %5.1f %% (%4.1f %%)\n", skill.c_str(),
                  n.labelled, 100.0 * n.exact / n.labelled, 100.0 * n.same_skill / n.labelled,
                  100.0 * n.unanswered / n.labelled, 100.0 * n.questions / n.labelled);
  }
}

// Hark's built-in skills and the generated ones: the engine of the built-in figures. The stop
// skill is no skill of the engine but the core's stop stage, with its own matcher.
struct Deployment {
  hark::intent::TemplateEngine engine;
  hark::pipeline::StopMatcher stop{hark::skills::builtin_skill_dir("stop")};
  std::size_t skills = 0, errors = 0;
};

Deployment load_deployment(const std::vector<std::filesystem::path>& generated_folders) {
  Deployment d;
  for (const auto& entry :
       std::filesystem::directory_iterator(hark::skills::builtin_skills_dir())) {
    if (!entry.is_directory() || entry.path().filename() == "stop") continue;
    d.errors += register_folder(d.engine, "hark-" + entry.path().filename().string(), entry.path());
    ++d.skills;
  }
  for (const auto& folder : generated_folders) {
    d.errors += register_folder(d.engine, folder.filename().string(), folder);
    ++d.skills;
  }
  return d;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"template intent engine benchmark"};
  std::string skills_dir = HARK_OVOS_SKILLS_DIR;
  std::string bench_dir = HARK_BENCH_DIR;
  int generated = 100;
  Options options;
  app.add_option("--skills", skills_dir, "shared/ovos-skills");
  app.add_option("--generated", generated, "generated skills beside the built-in ones");
  app.add_option("--threshold", options.threshold, "confidence that accepts (OVOS medium: 0.8)");
  app.add_option("--runs", options.runs, "passes over the utterances for the latency figures");
  app.add_flag("--misses", options.misses,
               "print every utterance scored wrong, but those of the held-out sets");
  app.add_flag("--by-skill", options.by_skill,
               "per labelled skill: right intent, right skill and no answer, over the sets tuned "
               "on and over the held-out ones (totals only, no line of theirs)");
  app.add_option("--low", options.low,
                 "a padatious_low stage at this confidence (0.5) after adapt_low, and the "
                 "template figures at it too");
  app.add_option("--candidates", options.candidates,
                 "write each utterance of the sets tuned on, its label, the pipeline's answer and "
                 "both engines' best 3 intents with their confidence to this file, tab-separated");
  std::vector<std::string> explain;
  app.add_option("--explain", explain,
                 "only print the best 3 template intents, with slots, for these: of the fixture "
                 "and built-in skills, then of the built-in and generated ones; and the best 3 "
                 "keyword intents of the fixture skills");
  CLI11_PARSE(app, argc, argv);

  // Per process: two benches at once (a branch's beside main's) must not delete each other's.
  const auto corpus =
      std::filesystem::temp_directory_path() / ("hark-intent-bench-" + std::to_string(getpid()));
  std::filesystem::remove_all(corpus);
  const auto generated_folders = hark::bench::write_generated_skills(corpus, generated);

  if (!explain.empty()) {
    hark::intent::TemplateEngine engine;
    fixtures::register_ovos_skills(engine, skills_dir, kStopPipeline);
    for (const auto& entry :
         std::filesystem::directory_iterator(hark::skills::builtin_skills_dir()))
      if (entry.is_directory() && entry.path().filename() != "stop")
        register_folder(engine, "hark-" + entry.path().filename().string(), entry.path());
    engine.train();
    const auto keywords = load_keyword_skills(skills_dir);
    auto deployment = load_deployment(generated_folders);
    deployment.engine.train();
    std::filesystem::remove_all(corpus);
    for (const auto& utterance : explain) {
      std::printf("%s\n", utterance.c_str());
      for (const auto& [band, threshold] :
           {std::pair{hark::pipeline::Band::High, 0.95},
            std::pair{hark::pipeline::Band::Medium, options.threshold}})
        if (auto kind = deployment.stop.match(utterance, "en-us", band, threshold)) {
          std::printf(" stop stage at %.2f: %s\n", threshold,
                      *kind == hark::pipeline::StopKind::Global ? "global_stop" : "stop");
          break;
        }
      for (const auto* e : {&engine, &deployment.engine}) {
        std::printf(" %s\n", e == &engine ? "fixtures + built-in:" : "deployment:");
        for (const auto& m : e->match_top(utterance, "en-us", 3)) {
          std::printf("  %.3f %s", m.confidence, m.intent.c_str());
          for (const auto& [slot, value] : m.slots)
            std::printf(" {%s: %s}", slot.c_str(), value.c_str());
          std::printf("\n");
        }
      }
      std::printf(" fixture keyword intents:\n");
      for (const auto& m : keywords.match(utterance, "en-us", 3)) {
        std::printf("  %.3f %s", m.confidence, m.intent_name.c_str());
        for (const auto& tag : m.data["__tags__"])
          std::printf(" [%s]", tag["key"].get<std::string>().c_str());
        std::printf("\n");
      }
    }
    return 0;
  }

  {
    const auto start = Clock::now();
    hark::intent::TemplateEngine engine;
    const auto errors = fixtures::register_ovos_skills(engine, skills_dir);
    const double load_ms = ms_since(start);
    const auto train_start = Clock::now();
    const auto stats = engine.train();
    std::printf(
        "OVOS fixtures: %zu intents, %zu sentences, %zu load errors; load %.1f ms, "
        "train %.1f ms\n",
        stats.intents, stats.sentences, errors.size(), load_ms, ms_since(train_start));
    report("OVOS", engine, nullptr,
           {{"intent_utterances", fixtures::read_labelled(bench_dir + "/intent_utterances.jsonl")},
            {"heldout", fixtures::read_labelled(bench_dir + "/intent_utterances_heldout.jsonl")}},
           options);
  }

  report_pipeline(skills_dir, bench_dir, options);

  {
    const auto start = Clock::now();
    auto deployment = load_deployment(generated_folders);
    const double load_ms = ms_since(start);
    const auto train_start = Clock::now();
    const auto stats = deployment.engine.train();
    std::printf(
        "\nbuilt-in + %d generated: %zu skills, %zu intents, %zu sentences, %zu load "
        "errors; load %.1f ms, train %.1f ms\n",
        generated, deployment.skills, stats.intents, stats.sentences, deployment.errors, load_ms,
        ms_since(train_start));
    report("deployment", deployment.engine, &deployment.stop,
           {{"intent_utterances_builtin",
             fixtures::read_labelled(bench_dir + "/intent_utterances_builtin.jsonl")},
            {"intent_utterances_builtin_heldout2",
             fixtures::read_labelled(bench_dir + "/intent_utterances_builtin_heldout2.jsonl")},
            {"intent_utterances_builtin_heldout3",
             fixtures::read_labelled(bench_dir + "/intent_utterances_builtin_heldout3.jsonl")},
            {"intent_utterances_builtin_heldout4",
             fixtures::read_labelled(bench_dir + "/intent_utterances_builtin_heldout4.jsonl")},
            {"intent_utterances_builtin_heldout5",
             fixtures::read_labelled(bench_dir + "/intent_utterances_builtin_heldout5.jsonl")},
            {"intent_utterances_builtin_heldout6",
             fixtures::read_labelled(bench_dir + "/intent_utterances_builtin_heldout6.jsonl")}},
           options);
  }
  std::filesystem::remove_all(corpus);
  return 0;
}
