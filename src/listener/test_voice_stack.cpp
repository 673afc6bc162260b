#include "listener/test_voice_stack.h"

#include <algorithm>
#include <csignal>
#include <stdexcept>

#include "listener/test_speech.h"

namespace hark::listener::testing {

using namespace std::chrono_literals;
using hark::testing::eventually;

// Services load their engines in a second or two; a machine busy compiling takes longer.
constexpr auto kStartsWithin = 20s;

Seen::Seen(client::BusClient& bus, std::initializer_list<const char*> types) {
  for (const char* type : types) {
    bus.on(type, [this](const Message& m) {
      auto at = std::chrono::steady_clock::now();
      std::lock_guard hold(mutex_);
      received_.push_back({m, at});
    });
  }
}

std::vector<std::string> Seen::types(std::span<const char* const> only) {
  std::lock_guard hold(mutex_);
  std::vector<std::string> out;
  for (const auto& r : received_) {
    if (only.empty() || std::find(only.begin(), only.end(), r.message.type()) != only.end()) {
      out.push_back(r.message.type());
    }
  }
  return out;
}

std::vector<std::string> Seen::utterances() {
  std::lock_guard hold(mutex_);
  std::vector<std::string> out;
  for (const auto& r : received_) {
    if (r.message.type() == "recognizer_loop:utterance") {
      out.push_back(r.message.data()["utterances"][0]);
    }
  }
  return out;
}

std::optional<Seen::Received> Seen::find(std::string_view type, std::size_t nth) {
  std::lock_guard hold(mutex_);
  for (const auto& r : received_) {
    if (r.message.type() == type && nth-- == 0) return r;
  }
  return std::nullopt;
}

std::size_t Seen::count(std::string_view type) {
  std::lock_guard hold(mutex_);
  return static_cast<std::size_t>(std::count_if(
      received_.begin(), received_.end(), [&](const auto& r) { return r.message.type() == type; }));
}

bool Seen::wait_for_count(std::string_view type, std::size_t n, std::chrono::milliseconds timeout) {
  return eventually([&] { return count(type) >= n; }, timeout);
}

void Seen::clear() {
  std::lock_guard hold(mutex_);
  received_.clear();
}

std::vector<std::int16_t> command(const std::string& text, const char* voice) {
  return join({silence(0.3), speech(text, voice), silence(1.5)});
}

bool VoiceStack::available(std::string* reason) {
  return hark::testing::PulseServer::available(reason);
}

VoiceStack::VoiceStack(Json config)
    : pulse_(std::make_unique<hark::testing::PulseServer>()), config_(std::move(config)) {
  config_["listener"]["device"] = "mic.monitor";
  bus_ = std::make_unique<hark::testing::TestBus>(hark::testing::BusKind::Hark, config_);
  config_["websocket"]["port"] = bus_->port();
  config_["listener"]["records_dir"] = records().string();
  write_config();
  env_ = bus_->home().environment();
  env_.push_back("PULSE_SERVER=" + pulse_->server());
  client_ = std::make_unique<client::BusClient>(bus_->endpoint());
  seen_ = std::make_unique<Seen>(*client_, kVoiceLoopMessages);
  client_->start();
  if (!client_->wait_connected(5s)) throw std::runtime_error("the bus never took a connection");
  core_ = start("core");
  if (!ready("skills")) throw std::runtime_error("hark core never said it was ready");
}

VoiceStack::~VoiceStack() = default;

void VoiceStack::start_audio() {
  speaker_ = std::make_unique<audio::testing::Recorder>(pulse_->server(), "spk.monitor");
  audio_ = start("audio");
  if (!ready("audio")) throw std::runtime_error("hark audio never said it was ready");
}

void VoiceStack::start_listener() {
  listener_ = start("listener");
  if (!ready("voice")) throw std::runtime_error("hark listener never said it was ready");
  if (!listener_->wait_for_stderr("speech grammar:", kStartsWithin)) {
    throw std::runtime_error("hark listener never made its speech grammar");
  }
  if (!listener_->wait_for_stderr("listening for 'hey mycroft' on mic.monitor", kStartsWithin)) {
    throw std::runtime_error("hark listener never listened on mic.monitor");
  }
}

hark::testing::Finished VoiceStack::stop_listener() {
  listener_->signal(SIGTERM);
  auto finished = listener_->finish(10s);
  listener_.reset();
  return finished;
}

void VoiceStack::say(const std::vector<std::int16_t>& samples) {
  audio::testing::play(pulse_->server(), "mic", samples);
}

void VoiceStack::edit_listener_config(const Json& changes) {
  config_["listener"].update(changes);
  write_config();
}

void VoiceStack::write_config() const {
  bus_->home().write_user_config(config_.dump(2));
}

bool VoiceStack::ready(const std::string& name) {
  return eventually(
      [&] {
        auto answer = client_->wait_for_response(Message("mycroft." + name + ".is_ready"), 200ms);
        return answer && answer->data().value("status", false);
      },
      kStartsWithin);
}

std::unique_ptr<hark::testing::Process> VoiceStack::start(const std::string& service) {
  return std::make_unique<hark::testing::Process>(
      std::vector<std::string>{hark::testing::hark_binary(), service}, env_, true);
}

}  // namespace hark::listener::testing
