#include "pipeline/intent_service.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "config/config.h"
#include "core/log.h"
#include "pipeline/common_query.h"
#include "pipeline/intent_matcher.h"
#include "pipeline/stages.h"
#include "pipeline/stop_matcher.h"
#include "skills/builtin_dir.h"

namespace hark::pipeline {
namespace {

using Clock = std::chrono::steady_clock;

// How long a keyword set with add_context is remembered (Adapt's context manager: 2 minutes).
constexpr std::chrono::minutes kContextLifetime{2};

// How long a fallback skill that said it can handle an utterance gets to answer.
constexpr std::chrono::seconds kFallbackAnswerWait{10};

// Who puts questions to the question-answering skills (OVOS's common query service).
constexpr std::string_view kCommonQueryId = "common_query.openvoiceos";

std::string session_id(const Message& message) {
  const auto& context = message.context();
  if (auto s = context.find("session"); s != context.end() && s->is_object()) {
    if (auto id = s->find("session_id"); id != s->end() && id->is_string())
      return id->get<std::string>();
  }
  return "default";
}

std::string string_or(const Json& data, const char* key, std::string fallback) {
  auto it = data.find(key);
  return it != data.end() && it->is_string() ? it->get<std::string>() : std::move(fallback);
}

std::set<std::string, std::less<>> string_set(const Json& config, const char* section,
                                              const char* key) {
  std::set<std::string, std::less<>> values;
  auto s = config.find(section);
  if (s == config.end() || !s->is_object()) return values;
  auto list = s->find(key);
  if (list == s->end() || !list->is_array()) return values;
  for (const auto& v : *list)
    if (v.is_string()) values.insert(v.get<std::string>());
  return values;
}

// Answers to a ping, keyed by skill_id. Shared with the bus handler, which may still run once
// after the wait has given up.
struct Answers {
  std::mutex mutex;
  std::condition_variable arrived;
  std::map<std::string, Json> by_skill;
  Clock::time_point deadline;
  bool cancelled = false;  // the service is going away: stop waiting
};

// A skill answering {searching: true} is still looking (a question-answering skill asking a web
// service): it gets `step` more, but the wait never passes `limit`.
struct Extension {
  std::chrono::milliseconds step{0};
  Clock::time_point limit{};
};

}  // namespace

struct IntentService::Impl {
  struct ActiveSkill {
    std::string skill_id;
    Clock::time_point since;
  };

  client::BusClient& bus;
  std::vector<client::BusClient::HandlerId> subscriptions;

  // Worker state; touched only by the worker thread once it runs.
  IntentMatcher matcher;
  StopMatcher stop;
  QuestionDetector questions;
  std::set<std::string> question_skills;  // that answered ovos.common_query.ping
  PipelineConfig pipeline;
  std::string default_lang = "en-us";
  std::chrono::seconds converse_timeout{300};
  std::map<std::string, int, std::less<>> fallback_priority_overrides;
  std::map<std::string, int, std::less<>> fallbacks;       // skill_id -> priority
  std::map<std::string, std::vector<ActiveSkill>> active;  // session -> newest first
  std::map<std::string, std::string> awaiting_response;    // session -> skill_id
  std::map<std::string, bool> builtin_skills;              // skill_id -> loaded (not blacklisted)
  struct Remembered {
    std::string word;
    Clock::time_point since;
  };
  std::map<std::string, Remembered> context;  // add_context: keyword type -> word

  // A skill or client flooding bad messages must not flood the log.
  log::RateLimit registration_warnings{10, std::chrono::seconds(10)};
  log::RateLimit input_warnings{10, std::chrono::seconds(10)};

  std::mutex queue_mutex;
  std::condition_variable queue_changed;
  std::deque<std::function<void()>> queue;
  bool stopping = false;
  std::shared_ptr<Answers> waiting;  // what the worker waits for, so that stopping can end it
  std::thread worker;

  Impl(client::BusClient& client, const Json& config)
      : bus(client),
        stop(skills::builtin_skill_dir("stop")),
        questions(skills::builtin_skill_dir("common-query")) {
    apply(config);
    subscribe_all();
    worker = std::thread([this] { work(); });
    // Question-answering skills that started before the core (or before a bus restart) make
    // themselves known when asked.
    bus.on_connected([&bus = bus] { bus.emit(Message("ovos.common_query.ping")); });
  }

  ~Impl() {
    for (auto id : subscriptions) bus.off(id);
    std::shared_ptr<Answers> pending;
    {
      std::lock_guard lock(queue_mutex);
      stopping = true;
      pending = waiting;
    }
    queue_changed.notify_all();
    if (pending) {
      std::lock_guard lock(pending->mutex);
      pending->cancelled = true;
      pending->arrived.notify_all();
    }
    worker.join();
  }

  void post(std::function<void()> task) {
    {
      std::lock_guard lock(queue_mutex);
      queue.push_back(std::move(task));
    }
    queue_changed.notify_one();
  }

  void work() {
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock lock(queue_mutex);
        queue_changed.wait(lock, [&] { return stopping || !queue.empty(); });
        if (stopping) return;
        task = std::move(queue.front());
        queue.pop_front();
      }
      try {
        task();
      } catch (const std::exception& e) {
        // A malformed message must not take the core down: report it and go on.
        spdlog::error("intent service: {}", e.what());
      }
    }
  }

  void apply(const Json& config) {
    pipeline = read_pipeline(config);
    for (const auto& name : pipeline.unknown)
      spdlog::warn("intents.pipeline: no matcher named {}; left out", name);
    matcher.set_blacklists({string_set(config, "skills", "blacklisted_skills"),
                            string_set(config, "intents", "blacklisted_intents")});
    default_lang = normalize_lang(string_or(config, "lang", "en-us"));
    if (auto t = config::find_path(config, "skills.converse.timeout"); t && t->is_number())
      converse_timeout = std::chrono::seconds(t->get<int>());
    fallback_priority_overrides.clear();
    if (auto p = config::find_path(config, "skills.fallbacks.fallback_priorities");
        p && p->is_object()) {
      for (const auto& [skill, priority] : p->items())
        if (priority.is_number_integer()) fallback_priority_overrides[skill] = priority.get<int>();
    }
  }

  using MemberHandler = void (Impl::*)(const Message&);
  void subscribe(std::string type, MemberHandler handler) {
    subscriptions.push_back(bus.on(std::move(type), [this, handler](const Message& message) {
      post([this, handler, message] { (this->*handler)(message); });
    }));
  }

  void subscribe_all() {
    subscribe("register_vocab", &Impl::on_register_vocab);
    subscribe("register_intent", &Impl::on_register_intent);
    subscribe("padatious:register_intent", &Impl::on_register_padatious_intent);
    subscribe("padatious:register_entity", &Impl::on_register_padatious_entity);
    subscribe("detach_intent", &Impl::on_detach_intent);
    subscribe("detach_skill", &Impl::on_detach_skill);
    subscribe("mycroft.skills.train", &Impl::on_train);
    subscribe("recognizer_loop:utterance", &Impl::on_utterance);
    subscribe("intent.service.intent.get", &Impl::on_intent_get);
    subscribe("intent.service.adapt.get", &Impl::on_intent_get);
    subscribe("intent.service.padatious.get", &Impl::on_intent_get);
    subscribe("intent.service.adapt.manifest.get", &Impl::on_adapt_manifest);
    subscribe("intent.service.padatious.manifest.get", &Impl::on_padatious_manifest);
    subscribe("intent.service.padatious.entities.manifest.get", &Impl::on_entities_manifest);
    subscribe("hark.intent.samples.get", &Impl::on_samples);
    subscribe("intent.service.active_skills.get", &Impl::on_active_skills_get);
    subscribe("intent.service.skills.activate", &Impl::on_skill_activate);
    subscribe("intent.service.skills.deactivate", &Impl::on_skill_deactivate);
    subscribe("skill.converse.get_response.enable", &Impl::on_get_response_enable);
    subscribe("skill.converse.get_response.disable", &Impl::on_get_response_disable);
    subscribe("ovos.skills.fallback.register", &Impl::on_fallback_register);
    subscribe("ovos.skills.fallback.deregister", &Impl::on_fallback_deregister);
    subscribe("ovos.common_query.pong", &Impl::on_common_query_pong);
    subscribe("add_context", &Impl::on_add_context);
    subscribe("mycroft.skill.set_cross_context", &Impl::on_add_context);
    subscribe("remove_context", &Impl::on_remove_context);
    subscribe("mycroft.skill.remove_cross_context", &Impl::on_remove_context);
    subscribe("clear_context", &Impl::on_clear_context);
    subscribe("skillmanager.list", &Impl::on_skill_list);
    subscribe("skillmanager.activate", &Impl::on_skillmanager);
    subscribe("skillmanager.deactivate", &Impl::on_skillmanager);
    subscribe("skillmanager.keep", &Impl::on_skillmanager);
    subscribe("ovos.session.sync", &Impl::on_session_sync);
  }

  // --- registration -------------------------------------------------------------------------

  void report(const Message& message, const std::optional<std::string>& problem) {
    std::uint64_t suppressed = 0;
    if (problem && registration_warnings.allow(suppressed))
      spdlog::warn("{} refused or trimmed: {}{}", message.type(), *problem,
                   suppressed ? fmt::format(" ({} more not logged)", suppressed) : "");
  }

  void on_register_vocab(const Message& m) {
    report(m, matcher.register_vocab(m.data(), default_lang));
  }
  void on_register_intent(const Message& m) {
    report(m, matcher.register_keyword_intent(m.data(), default_lang));
  }
  void on_register_padatious_intent(const Message& m) {
    report(m, matcher.register_padatious_intent(m.data(), default_lang));
  }
  void on_register_padatious_entity(const Message& m) {
    report(m, matcher.register_padatious_entity(m.data(), default_lang));
  }
  void on_detach_intent(const Message& m) {
    matcher.detach_intent(string_or(m.data(), "intent_name", ""));
  }
  void on_detach_skill(const Message& m) {
    const auto skill = string_or(m.data(), "skill_id", "");
    if (skill.empty()) return;
    matcher.detach_skill(skill);
    fallbacks.erase(skill);
    question_skills.erase(skill);
    forget_skill(skill);
  }
  void on_train(const Message& m) {
    matcher.train();
    bus.emit(m.reply("mycroft.skills.trained", {}));
  }

  // --- queries ------------------------------------------------------------------------------

  void on_intent_get(const Message& m) {
    const auto utterance = string_or(m.data(), "utterance", "");
    const auto lang = lang_of(m);
    const bool adapt_only = m.type() == "intent.service.adapt.get";
    const bool padatious_only = m.type() == "intent.service.padatious.get";
    std::optional<IntentMatch> found;
    for (const auto& stage : pipeline.stages) {
      if (stage.matcher == Matcher::Template && !adapt_only)
        found = matcher.match_template(utterance, lang,
                                       pipeline.thresholds.of(stage.matcher, stage.band));
      else if (stage.matcher == Matcher::Keyword && !padatious_only)
        found = matcher.match_keyword(
            utterance, lang, pipeline.thresholds.of(stage.matcher, stage.band), current_context());
      if (found) break;
    }
    Json intent = nullptr;
    if (found) {
      intent = found->data;
      intent["intent_name"] = found->intent_name;
      intent["intent_service"] = found->intent_service;
      intent["skill_id"] = found->skill_id;
      intent["conf"] = found->confidence;
    }
    const std::string reply_type = adapt_only       ? "intent.service.adapt.reply"
                                   : padatious_only ? "intent.service.padatious.reply"
                                                    : "intent.service.intent.reply";
    bus.emit(m.reply(reply_type, {{"intent", intent}, {"utterance", utterance}}));
  }

  void on_adapt_manifest(const Message& m) {
    bus.emit(m.reply("intent.service.adapt.manifest",
                     {{"intents", matcher.keyword_intents(lang_of(m))}}));
  }
  void on_padatious_manifest(const Message& m) {
    bus.emit(m.reply("intent.service.padatious.manifest",
                     {{"intents", matcher.template_intents(lang_of(m))}}));
  }
  void on_entities_manifest(const Message& m) {
    bus.emit(m.reply("intent.service.padatious.entities.manifest",
                     {{"entities", matcher.template_entities(lang_of(m))}}));
  }
  // Hark's own: the listener builds its speech grammar from these lines, the stop stage's
  // among them ("stop", "never mind": what is said most).
  void on_samples(const Message& m) {
    Json data = matcher.template_samples(lang_of(m));
    for (const auto& [name, lines] : stop.sentences(lang_of(m))) data["intents"][name] = lines;
    data["lang"] = lang_of(m);
    bus.emit(m.reply("hark.intent.samples", data));
  }
  // The data's lang, else the session's (OVOS clients carry it in context.session), else the
  // configured one.
  std::string lang_of(const Message& m) const {
    std::string session_lang = default_lang;
    if (auto s = m.context().find("session"); s != m.context().end() && s->is_object())
      session_lang = string_or(*s, "lang", default_lang);
    return normalize_lang(string_or(m.data(), "lang", session_lang));
  }

  // --- active skills ------------------------------------------------------------------------

  std::vector<ActiveSkill>& active_in(const std::string& session) {
    auto& skills = active[session];
    const auto now = Clock::now();
    std::erase_if(skills, [&](const ActiveSkill& a) { return now - a.since > converse_timeout; });
    return skills;
  }

  void activate(const Message& origin, const std::string& skill_id) {
    const auto session = session_id(origin);
    auto& skills = active_in(session);
    std::erase_if(skills, [&](const ActiveSkill& a) { return a.skill_id == skill_id; });
    skills.insert(skills.begin(), {skill_id, Clock::now()});
    bus.emit(origin.forward(skill_id + ".activate"));
    bus.emit(origin.forward("intent.service.skills.activated", {{"skill_id", skill_id}}));
    announce_default_session(origin, session);
  }

  void deactivate(const Message& origin, const std::string& skill_id) {
    const auto session = session_id(origin);
    auto& skills = active_in(session);
    if (std::erase_if(skills, [&](const ActiveSkill& a) { return a.skill_id == skill_id; }) == 0)
      return;
    bus.emit(origin.forward(skill_id + ".deactivate"));
    bus.emit(origin.forward("intent.service.skills.deactivated", {{"skill_id", skill_id}}));
    announce_default_session(origin, session);
  }

  void on_active_skills_get(const Message& m) {
    Json ids = Json::array();
    for (const auto& a : active_in(session_id(m))) ids.push_back(a.skill_id);
    bus.emit(m.reply("intent.service.active_skills.reply", {{"skills", ids}}));
  }
  void on_skill_activate(const Message& m) {
    auto skill = string_or(m.data(), "skill_id", "");
    if (!skill.empty() && !matcher.deactivated(skill)) activate(m, skill);
  }
  void on_skill_deactivate(const Message& m) {
    if (auto skill = string_or(m.data(), "skill_id", ""); !skill.empty()) deactivate(m, skill);
  }
  void on_get_response_enable(const Message& m) {
    if (auto skill = string_or(m.data(), "skill_id", ""); !skill.empty())
      awaiting_response[session_id(m)] = skill;
  }
  void on_get_response_disable(const Message& m) {
    auto it = awaiting_response.find(session_id(m));
    if (it != awaiting_response.end() && it->second == string_or(m.data(), "skill_id", ""))
      awaiting_response.erase(it);
  }

  // --- skill manager ------------------------------------------------------------------------

  // Skills there are to activate, deactivate or list: the built-in ones (CoreService tells),
  // and every skill that registered an intent or a fallback over the bus.
  std::set<std::string> known_skills() const {
    std::set<std::string> ids = matcher.skills();
    for (const auto& [skill, loaded] : builtin_skills) ids.insert(skill);
    for (const auto& [skill, priority] : fallbacks) ids.insert(skill);
    return ids;
  }

  void on_skill_list(const Message& m) {
    Json list = Json::object();
    for (const auto& id : known_skills()) {
      auto builtin = builtin_skills.find(id);
      const bool loaded = builtin == builtin_skills.end() || builtin->second;
      list[id] = {{"id", id}, {"active", loaded && !matcher.deactivated(id)}};
    }
    bus.emit(m.reply("mycroft.skills.list", list));
  }

  // skillmanager.activate {skill} ("all": every skill), .deactivate {skill}, .keep {skill}
  // (every other skill deactivated); each answers .response {skill, result[, error]}.
  void on_skillmanager(const Message& m) {
    const auto skill = string_or(m.data(), "skill", "");
    const auto known = known_skills();
    auto answer = [&](const std::string& error) {
      Json data = {{"skill", skill}, {"result", error.empty()}};
      if (!error.empty()) {
        data["error"] = error;
        std::uint64_t suppressed = 0;
        if (input_warnings.allow(suppressed)) spdlog::warn("{}: {}", m.type(), error);
      }
      bus.emit(m.response(data));
    };
    const bool activating = m.type() == "skillmanager.activate";
    if (skill.empty()) return answer("no string \"skill\" in the data");
    if (activating && skill == "all") {
      matcher.activate_all_skills();
      return answer("");
    }
    if (!known.contains(skill)) return answer("no skill " + skill + " is loaded");
    if (activating) {
      matcher.activate_skill(skill);
    } else if (m.type() == "skillmanager.deactivate") {
      matcher.deactivate_skill(skill);
      forget_skill(skill);
    } else {  // keep
      matcher.activate_skill(skill);
      for (const auto& other : known) {
        if (other == skill) continue;
        matcher.deactivate_skill(other);
        forget_skill(other);
      }
    }
    spdlog::info("{} {}", m.type(), skill);
    answer("");
  }

  // A skill that goes away (detached or deactivated) is no longer active in any session.
  void forget_skill(const std::string& skill) {
    for (auto& [session, skills] : active)
      std::erase_if(skills, [&](const ActiveSkill& a) { return a.skill_id == skill; });
    std::erase_if(awaiting_response, [&](const auto& entry) { return entry.second == skill; });
  }

  // --- sessions -----------------------------------------------------------------------------

  // The device's own session as OVOS serialises it (protocols.md §1.5).
  Json default_session() {
    Json active_skills = Json::array();
    const auto now = Clock::now();
    const auto unix_now =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    for (const auto& a : active_in("default"))
      active_skills.push_back(
          {a.skill_id, unix_now - std::chrono::duration<double>(now - a.since).count()});
    Json states = Json::object();
    if (auto it = awaiting_response.find("default"); it != awaiting_response.end())
      states[it->second] = "response";
    Json stages = Json::array();
    for (const auto& stage : pipeline.stages) stages.push_back(stage_name(stage));
    const auto& blacklists = matcher.blacklists();
    return {{"session_id", "default"},
            {"lang", default_lang},
            {"active_skills", active_skills},
            {"utterance_states", states},
            {"pipeline", stages},
            {"blacklisted_skills", blacklists.skills},
            {"blacklisted_intents", blacklists.intents}};
  }

  // Every client asks on connecting; the answer goes back to it, as OVOS's core answers.
  void on_session_sync(const Message& m) {
    bus.emit(m.reply("ovos.session.update_default", {{"session_data", default_session()}}));
  }

  // After a change to the device's session: clients keep their copy of it current.
  void announce_default_session(const Message& origin, const std::string& session) {
    if (session != "default") return;
    bus.emit(origin.forward("ovos.session.update_default", {{"session_data", default_session()}}));
  }

  // --- conversation context (Adapt's) -------------------------------------------------------

  void on_add_context(const Message& m) {
    const auto type = string_or(m.data(), "context", "");
    if (type.empty()) return;
    context[type] = {string_or(m.data(), "word", ""), Clock::now()};
  }
  void on_remove_context(const Message& m) { context.erase(string_or(m.data(), "context", "")); }
  void on_clear_context(const Message&) { context.clear(); }

  std::vector<intent::ContextEntity> current_context() {
    const auto now = Clock::now();
    std::erase_if(context,
                  [&](const auto& entry) { return now - entry.second.since > kContextLifetime; });
    std::vector<intent::ContextEntity> entities;
    for (const auto& [type, remembered] : context) entities.push_back({type, remembered.word});
    return entities;
  }

  // --- fallbacks ----------------------------------------------------------------------------

  void on_fallback_register(const Message& m) {
    const auto skill = string_or(m.data(), "skill_id", "");
    if (skill.empty() || matcher.blacklisted_skill(skill)) return;
    int priority = 101;
    if (auto p = m.data().find("priority"); p != m.data().end() && p->is_number())
      priority = p->get<int>();
    if (auto o = fallback_priority_overrides.find(skill); o != fallback_priority_overrides.end())
      priority = o->second;
    fallbacks[skill] = priority;
  }
  void on_fallback_deregister(const Message& m) {
    fallbacks.erase(string_or(m.data(), "skill_id", ""));
  }

  void on_common_query_pong(const Message& m) {
    const auto skill = string_or(m.data(), "skill_id", "");
    if (!skill.empty() && !matcher.blacklisted_skill(skill)) question_skills.insert(skill);
  }

  // --- asking skills ------------------------------------------------------------------------

  // Who an answer is from: its data's skill_id (pongs), or one skill for a type only it sends.
  using Sender = std::function<std::string(const Message&)>;
  static std::string skill_id_of(const Message& m) { return string_or(m.data(), "skill_id", ""); }

  // Emits the requests and collects `reply_type` answers from the `expected` skills until all
  // have answered or `wait` has passed (or more, with an extension).
  std::map<std::string, Json> gather(const std::vector<Message>& requests,
                                     const std::string& reply_type,
                                     const std::set<std::string>& expected,
                                     std::chrono::milliseconds wait, Sender sender = skill_id_of,
                                     std::optional<Extension> extension = std::nullopt) {
    auto answers = std::make_shared<Answers>();
    answers->deadline = Clock::now() + wait;
    {
      std::lock_guard lock(queue_mutex);
      if (stopping) return {};
      waiting = answers;
    }
    auto id = bus.on(reply_type, [answers, expected, sender, extension](const Message& reply) {
      auto skill = sender(reply);
      if (!expected.contains(skill)) return;
      {
        std::lock_guard lock(answers->mutex);
        auto searching = reply.data().find("searching");
        if (extension && searching != reply.data().end() && searching->is_boolean() &&
            searching->get<bool>()) {
          answers->deadline = std::min(extension->limit,
                                       std::max(answers->deadline, Clock::now() + extension->step));
          return;
        }
        answers->by_skill.emplace(skill, reply.data());
      }
      answers->arrived.notify_all();
    });
    for (const auto& request : requests) bus.emit(request);
    std::map<std::string, Json> result;
    {
      std::unique_lock lock(answers->mutex);
      // The deadline may move while waiting (an extension), so each wake-up reads it again.
      while (!answers->cancelled && answers->by_skill.size() < expected.size() &&
             Clock::now() < answers->deadline)
        answers->arrived.wait_until(lock, answers->deadline);
      result = answers->by_skill;
    }
    bus.off(id);
    {
      std::lock_guard lock(queue_mutex);
      waiting.reset();
    }
    if (result.size() < expected.size()) {
      std::string silent;
      for (const auto& skill : expected)
        if (!result.contains(skill)) silent += (silent.empty() ? "" : ", ") + skill;
      spdlog::info("no {} from {} in time", reply_type, silent);
    }
    return result;
  }

  static bool can_handle(const std::map<std::string, Json>& answers, const std::string& skill) {
    auto it = answers.find(skill);
    if (it == answers.end()) return false;
    auto flag = it->second.find("can_handle");
    return flag != it->second.end() && flag->is_boolean() && flag->get<bool>();
  }

  // --- the pipeline -------------------------------------------------------------------------

  struct Utterance {
    const Message& message;
    std::vector<std::string> texts;
    std::string lang;
    std::string session;
  };

  void handled(const Message& origin) { bus.emit(origin.forward("ovos.utterance.handled")); }

  void on_utterance(const Message& m) {
    Utterance u{m, {}, lang_of(m), session_id(m)};
    if (auto list = m.data().find("utterances"); list != m.data().end() && list->is_array()) {
      for (const auto& text : *list)
        if (text.is_string() && !text.get<std::string>().empty())
          u.texts.push_back(text.get<std::string>());
    }
    if (u.texts.empty()) {
      std::uint64_t suppressed = 0;
      if (input_warnings.allow(suppressed))
        spdlog::warn("recognizer_loop:utterance without \"utterances\" strings");
      return;
    }
    const auto started = Clock::now();
    if (answer_waiting_question(u)) return;
    for (const auto& stage : pipeline.stages) {
      if (run_stage(stage, u)) {
        spdlog::debug(
            "\"{}\" handled at {} in {} us", u.texts.front(), stage_name(stage),
            std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started).count());
        return;
      }
    }
    spdlog::info("no intent for \"{}\"", u.texts.front());
    bus.emit(m.forward("complete_intent_failure", m.data()));
    handled(m);
  }

  bool answer_waiting_question(const Utterance& u) {
    auto it = awaiting_response.find(u.session);
    if (it == awaiting_response.end()) return false;
    const auto skill = it->second;
    awaiting_response.erase(it);
    bus.emit(u.message.reply(skill + ".converse.get_response",
                             {{"utterances", u.texts}, {"lang", u.lang}, {"skill_id", skill}}));
    return true;
  }

  bool run_stage(const Stage& stage, const Utterance& u) {
    const double threshold = pipeline.thresholds.of(stage.matcher, stage.band);
    switch (stage.matcher) {
      case Matcher::Stop:
        return try_stop(u, stage.band,
                        stage.band == Band::High ? pipeline.thresholds.template_high
                                                 : pipeline.thresholds.template_medium);
      case Matcher::Converse:
        return try_converse(u);
      case Matcher::Template:
        for (const auto& text : u.texts)
          if (auto match = matcher.match_template(text, u.lang, threshold))
            return dispatch(u, text, *match);
        return false;
      case Matcher::Keyword: {
        const auto remembered = current_context();
        for (const auto& text : u.texts)
          if (auto match = matcher.match_keyword(text, u.lang, threshold, remembered))
            return dispatch(u, text, *match);
        return false;
      }
      case Matcher::CommonQuery:
        return try_common_query(u);
      case Matcher::Fallback:
        return try_fallback(u, fallback_range(stage.band));
    }
    return false;
  }

  bool dispatch(const Utterance& u, const std::string& text, const IntentMatch& match) {
    Json data = u.message.data();
    for (const auto& [key, value] : match.data.items()) data[key] = value;
    data["utterance"] = text;
    data["lang"] = u.lang;
    activate(u.message, match.skill_id);
    bus.emit(u.message.reply(match.intent_name, std::move(data), {{"skill_id", match.skill_id}}));
    return true;
  }

  bool try_stop(const Utterance& u, Band band, double threshold) {
    std::optional<StopKind> kind;
    for (const auto& text : u.texts)
      if ((kind = stop.match(text, u.lang, band, threshold))) break;
    if (!kind) return false;
    std::optional<std::string> stopper;
    if (*kind == StopKind::Skill) {
      auto& skills = active_in(u.session);
      std::set<std::string> ids;
      std::vector<Message> pings;
      for (const auto& a : skills) {
        ids.insert(a.skill_id);
        pings.push_back(u.message.forward(a.skill_id + ".stop.ping", {{"skill_id", a.skill_id}}));
      }
      auto answers = gather(pings, "skill.stop.pong", ids, kPingWait);
      for (const auto& a : skills)
        if (can_handle(answers, a.skill_id)) {
          stopper = a.skill_id;
          break;
        }
    }
    if (stopper)
      bus.emit(u.message.forward(*stopper + ".stop", {{"skill_id", *stopper}}));
    else
      bus.emit(u.message.forward("mycroft.stop"));
    handled(u.message);
    return true;
  }

  bool try_converse(const Utterance& u) {
    auto& skills = active_in(u.session);
    if (skills.empty()) return false;
    std::set<std::string> ids;
    std::vector<Message> pings;
    for (const auto& a : skills) {
      ids.insert(a.skill_id);
      Json data = u.message.data();
      data["skill_id"] = a.skill_id;
      pings.push_back(u.message.forward(a.skill_id + ".converse.ping", std::move(data)));
    }
    auto answers = gather(pings, "skill.converse.pong", ids, kPingWait);
    // Newest first, as OVOS orders active skills.
    for (const auto& a : active_in(u.session)) {
      if (!can_handle(answers, a.skill_id)) continue;
      const auto skill = a.skill_id;
      activate(u.message, skill);
      bus.emit(u.message.reply(skill + ".converse.request",
                               {{"utterances", u.texts}, {"lang", u.lang}, {"skill_id", skill}},
                               {{"skill_id", skill}}));
      return true;
    }
    return false;
  }

  // The first utterance that reads as a question goes to every question-answering skill as
  // `question:query {phrase}`; each answers `question:query.response` with {answer, conf} or
  // without an answer. The winner (best_answer) gets `question:action` with its own answer and
  // speaks it, as an OVOS CommonQuerySkill does.
  bool try_common_query(const Utterance& u) {
    std::set<std::string> skills;
    for (const auto& skill : question_skills)
      if (!matcher.deactivated(skill)) skills.insert(skill);
    if (skills.empty()) return false;
    auto text = std::find_if(u.texts.begin(), u.texts.end(), [&](const std::string& t) {
      return questions.is_question(t, u.lang);
    });
    if (text == u.texts.end()) return false;
    const auto& settings = pipeline.common_query;
    auto query = u.message.reply("question:query", {{"phrase", *text}},
                                 {{"skill_id", std::string(kCommonQueryId)}});
    // An answer to an earlier question (its skill was slow) is not one to this one.
    auto answering = [phrase = *text](const Message& m) {
      return string_or(m.data(), "phrase", "") == phrase ? skill_id_of(m) : std::string();
    };
    auto answers =
        gather({query}, "question:query.response", skills, settings.max_response_wait, answering,
               Extension{settings.extension_time,
                         Clock::now() + settings.max_response_wait + settings.extension_time});
    auto best = best_answer(answers, settings.min_self_confidence);
    if (!best) return false;
    const auto skill = string_or(*best, "skill_id", "");
    (*best)["phrase"] = *text;
    activate(u.message, skill);
    bus.emit(u.message.reply("question:action", std::move(*best), {{"skill_id", skill}}));
    return true;
  }

  bool try_fallback(const Utterance& u, PriorityRange range) {
    std::vector<std::pair<int, std::string>> in_band;
    for (const auto& [skill, priority] : fallbacks)
      if (priority > range.above && priority <= range.up_to && !matcher.deactivated(skill))
        in_band.emplace_back(priority, skill);
    if (in_band.empty()) return false;
    std::sort(in_band.begin(), in_band.end());
    std::set<std::string> ids;
    for (const auto& [priority, skill] : in_band) ids.insert(skill);
    Json ping = u.message.data();
    ping["range"] = {range.above, range.up_to};
    auto answers = gather({u.message.forward("ovos.skills.fallback.ping", ping)},
                          "ovos.skills.fallback.pong", ids, kPingWait);
    for (const auto& [priority, skill] : in_band) {
      if (!can_handle(answers, skill)) continue;
      const auto prefix = "ovos.skills.fallback." + skill;
      auto request = u.message.reply(
          prefix + ".request", {{"skill_id", skill}, {"utterances", u.texts}, {"lang", u.lang}},
          {{"skill_id", skill}});
      // ovos-workshop's fallback response carries no skill_id: its type names the skill.
      auto result = gather({request}, prefix + ".response", {skill}, kFallbackAnswerWait,
                           [id = skill](const Message&) { return id; });
      auto it = result.find(skill);
      auto flag = it == result.end() ? nullptr : &it->second;
      if (flag && flag->contains("result") && (*flag)["result"].is_boolean() &&
          (*flag)["result"].get<bool>()) {
        activate(u.message, skill);
        return true;
      }
    }
    return false;
  }
};

IntentService::IntentService(client::BusClient& bus, const Json& config)
    : impl_(std::make_unique<Impl>(bus, config)) {}

IntentService::~IntentService() = default;

void IntentService::reconfigure(const Json& config) {
  impl_->post([impl = impl_.get(), config] { impl->apply(config); });
}

void IntentService::set_builtin_skills(std::map<std::string, bool> loaded_by_id) {
  impl_->post(
      [impl = impl_.get(), skills = std::move(loaded_by_id)] { impl->builtin_skills = skills; });
}

}  // namespace hark::pipeline
