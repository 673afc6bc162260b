#include "client/process_status.h"

namespace hark::client {

ProcessStatus::ProcessStatus(BusClient& bus, std::string name) : bus_(bus), name_(std::move(name)) {
  alive_handler_ = bus_.on("mycroft." + name_ + ".is_alive", [this](const Message& question) {
    bus_.emit(question.response({{"status", true}}));
  });
  ready_handler_ = bus_.on("mycroft." + name_ + ".is_ready", [this](const Message& question) {
    bus_.emit(question.response({{"status", ready_.load()}}));
  });
}

ProcessStatus::~ProcessStatus() {
  bus_.off(alive_handler_);
  bus_.off(ready_handler_);
}

void ProcessStatus::set_ready() {
  ready_ = true;
  bus_.emit(Message("mycroft." + name_ + ".ready"));
}

void ProcessStatus::set_not_ready() {
  ready_ = false;
}

}  // namespace hark::client
