#include "phal/mixer.h"

#include <fmt/format.h>
#include <pulse/pulseaudio.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <optional>

namespace hark::phal {
namespace {

using Clock = std::chrono::steady_clock;

struct SinkInfo {
  std::string name;
  pa_cvolume volume{};
  bool muted = false;
};

}  // namespace

// One pa_mainloop driven by the calling thread: each request runs the loop until its answer
// arrives or the deadline passes, so no thread of libpulse's own is needed.
struct Mixer::Impl {
  std::string server;
  std::chrono::milliseconds timeout;
  pa_mainloop* loop = nullptr;
  pa_context* context = nullptr;

  ~Impl() { disconnect(); }

  void disconnect() {
    if (context) {
      pa_context_disconnect(context);
      pa_context_unref(context);
      context = nullptr;
    }
    if (loop) {
      pa_mainloop_free(loop);
      loop = nullptr;
    }
  }

  std::string where() const {
    if (!server.empty()) return server;
    const char* from_environment = std::getenv("PULSE_SERVER");
    return from_environment ? from_environment : "the user's PulseAudio server";
  }

  [[noreturn]] void fail(const std::string& what) {
    std::string reason = context ? pa_strerror(pa_context_errno(context)) : "no context";
    disconnect();
    throw MixerError(fmt::format("{}: {}: {}", where(), what, reason));
  }

  // Runs the loop until `done` holds; false when the deadline passes first.
  template <class Done>
  bool run_until(Done done, Clock::time_point deadline) {
    while (!done()) {
      auto left = std::chrono::duration_cast<std::chrono::microseconds>(deadline - Clock::now());
      if (left.count() <= 0) return false;
      if (pa_mainloop_prepare(loop, static_cast<int>(left.count())) < 0 ||
          pa_mainloop_poll(loop) < 0 || pa_mainloop_dispatch(loop) < 0) {
        return false;
      }
    }
    return true;
  }

  void connect() {
    if (context && pa_context_get_state(context) == PA_CONTEXT_READY) return;
    disconnect();
    loop = pa_mainloop_new();
    context = pa_context_new(pa_mainloop_get_api(loop), "hark-phal");
    if (!loop || !context) fail("cannot create a PulseAudio context");
    // Never starts a sound server of its own: the device's server is the one to control.
    if (pa_context_connect(context, server.empty() ? nullptr : server.c_str(),
                           PA_CONTEXT_NOAUTOSPAWN, nullptr) < 0) {
      fail("cannot connect");
    }
    auto settled = [&] {
      auto state = pa_context_get_state(context);
      return state == PA_CONTEXT_READY || !PA_CONTEXT_IS_GOOD(state);
    };
    if (!run_until(settled, Clock::now() + timeout)) {
      disconnect();
      throw MixerError(fmt::format("no answer from {} within {} ms", where(), timeout.count()));
    }
    if (pa_context_get_state(context) != PA_CONTEXT_READY) fail("cannot connect");
  }

  // Waits for `operation`, which sets `finished` from its callback.
  void await(pa_operation* operation, const bool& finished, const char* what) {
    if (!operation) fail(what);
    bool in_time = run_until([&] { return finished; }, Clock::now() + timeout);
    pa_operation_unref(operation);
    if (!in_time) {
      disconnect();
      throw MixerError(
          fmt::format("{}: no answer from {} within {} ms", what, where(), timeout.count()));
    }
  }

  std::string default_sink() {
    struct Request {
      bool finished = false;
      std::string sink;
    } request;
    auto* operation = pa_context_get_server_info(
        context,
        [](pa_context*, const pa_server_info* info, void* user) {
          auto* r = static_cast<Request*>(user);
          if (info && info->default_sink_name) r->sink = info->default_sink_name;
          r->finished = true;
        },
        &request);
    await(operation, request.finished, "cannot ask for the server info");
    if (request.sink.empty()) {
      throw MixerError(fmt::format("{} has no default sink", where()));
    }
    return request.sink;
  }

  SinkInfo sink(const std::string& name) {
    struct Request {
      bool finished = false;
      std::optional<SinkInfo> info;
    } request;
    auto* operation = pa_context_get_sink_info_by_name(
        context, name.c_str(),
        [](pa_context*, const pa_sink_info* info, int eol, void* user) {
          auto* r = static_cast<Request*>(user);
          if (info) r->info = SinkInfo{info->name, info->volume, info->mute != 0};
          // The list ends with eol > 0, or eol < 0 on error (no such sink).
          if (eol != 0) r->finished = true;
        },
        &request);
    await(operation, request.finished, "cannot read the default sink");
    if (!request.info) throw MixerError(fmt::format("sink {} vanished from {}", name, where()));
    return *request.info;
  }

  MixerState current() {
    connect();
    SinkInfo info = sink(default_sink());
    return {info.name, static_cast<double>(pa_cvolume_max(&info.volume)) / PA_VOLUME_NORM,
            info.muted};
  }

  // Runs a request that answers only success or failure.
  template <class Start>
  void change(Start start, const char* what) {
    struct Request {
      bool finished = false;
      bool success = false;
    } request;
    auto done = [](pa_context*, int success, void* user) {
      auto* r = static_cast<Request*>(user);
      r->success = success != 0;
      r->finished = true;
    };
    await(start(done, &request), request.finished, what);
    if (!request.success) fail(what);
  }
};

Mixer::Mixer(std::string server, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()) {
  impl_->server = std::move(server);
  impl_->timeout = timeout;
}

Mixer::~Mixer() = default;

MixerState Mixer::state() {
  return impl_->current();
}

MixerState Mixer::set_level(double level) {
  level = std::clamp(level, 0.0, 1.0);
  MixerState before = impl_->current();
  SinkInfo info = impl_->sink(before.sink);
  pa_cvolume volume = info.volume;
  pa_cvolume_set(&volume, volume.channels,
                 static_cast<pa_volume_t>(std::lround(level * PA_VOLUME_NORM)));
  impl_->change(
      [&](pa_context_success_cb_t done, void* request) {
        return pa_context_set_sink_volume_by_name(impl_->context, before.sink.c_str(), &volume,
                                                  done, request);
      },
      "cannot set the volume");
  return impl_->current();
}

MixerState Mixer::set_muted(bool muted) {
  MixerState before = impl_->current();
  impl_->change(
      [&](pa_context_success_cb_t done, void* request) {
        return pa_context_set_sink_mute_by_name(impl_->context, before.sink.c_str(), muted, done,
                                                request);
      },
      "cannot change mute");
  return impl_->current();
}

}  // namespace hark::phal
