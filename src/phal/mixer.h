// The volume and mute state of PulseAudio's default sink: what `hark phal` changes when asked
// on the bus. Knows nothing of the bus.
//
//   hark::phal::Mixer mixer;              // PULSE_SERVER or the user's default server
//   auto state = mixer.set_level(0.8);    // 80 %, as pactl shows it
//   mixer.set_muted(true);
//
// Each call connects if it is not connected (the server may have restarted since), waits at most
// `timeout` for the server, and throws MixerError saying what failed. Not thread-safe: one
// caller at a time.
#pragma once

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>

namespace hark::phal {

class MixerError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct MixerState {
  std::string sink;  // the default sink's name
  double level = 0;  // loudest channel; 1.0 = 100 % (PA_VOLUME_NORM), above 1 is amplified
  bool muted = false;
};

class Mixer {
 public:
  // `server` as in PULSE_SERVER ("unix:/run/user/1000/pulse/native"); empty = libpulse's default.
  explicit Mixer(std::string server = {},
                 std::chrono::milliseconds timeout = std::chrono::seconds(2));
  ~Mixer();
  Mixer(const Mixer&) = delete;
  Mixer& operator=(const Mixer&) = delete;

  MixerState state();
  // Sets every channel to `level` (clamped to 0..1, so a request cannot amplify); returns the
  // state after the change.
  MixerState set_level(double level);
  MixerState set_muted(bool muted);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hark::phal
