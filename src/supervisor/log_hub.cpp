#include "supervisor/log_hub.h"

#include <fmt/format.h>

#include <cstdio>

namespace hark::supervisor {

LogHub::LogHub(std::size_t width, std::size_t backlog_lines)
    : width_(width), capacity_(backlog_lines) {}

void LogHub::line(const std::string& service, const std::string& text) {
  std::string formatted = fmt::format("{:<{}} | {}", service, width_, text);
  std::lock_guard lock(mutex_);
  std::string out = formatted + '\n';
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  for (auto it = followers_.begin(); it != followers_.end();) {
    bool wanted = it->service.empty() || it->service == service;
    if (wanted && !it->follower(formatted)) {
      it = followers_.erase(it);
    } else {
      ++it;
    }
  }
  backlog_.push_back({service, std::move(formatted)});
  if (backlog_.size() > capacity_) backlog_.pop_front();
}

std::vector<std::string> LogHub::backlog(const std::string& service) const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> lines;
  for (const auto& entry : backlog_) {
    if (service.empty() || entry.service == service) lines.push_back(entry.formatted);
  }
  return lines;
}

void LogHub::follow(const std::string& service, Follower follower) {
  std::lock_guard lock(mutex_);
  followers_.push_back({service, std::move(follower)});
}

void LogHubSink::sink_it_(const spdlog::details::log_msg& message) {
  spdlog::memory_buf_t formatted;
  formatter_->format(message, formatted);
  std::string text = fmt::to_string(formatted);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  hub_.line("up", text);
}

}  // namespace hark::supervisor
