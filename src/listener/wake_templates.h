// The wake word's second stage: its recordings ("templates") compared with what the first stage
// heard, as Rhasspy's Raven does. Each is a sequence of MFCC frames (the decoder's front end,
// 10 ms), means removed so that loudness and channel drop out; the distance of a template to a
// window of audio is the mean cosine distance of the best alignment (dynamic time warping) of the
// whole template to any part of the window, the speed allowed to vary between half and double.
//
//   WakeTemplates templates;
//   templates.add(decoder.cepstra(trim_silence(recording)));
//   if (templates.distance(decoder.cepstra(window)) <= 0.25) wake();
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace hark::listener {

using Cepstra = std::vector<std::vector<float>>;

class WakeTemplates {
 public:
  // A template with fewer than 10 frames (0.1 s) is refused: false.
  bool add(Cepstra frames);
  std::size_t size() const { return templates_.size(); }
  // Forgets the oldest templates beyond `count`.
  void keep_newest(std::size_t count);

  // The smallest distance (0: the same, 1: unrelated, up to 2) of any template to some stretch
  // of `window`; 2 without templates or when the window is too short.
  double distance(Cepstra window) const;

 private:
  std::vector<Cepstra> templates_;
};

class Decoder;

// How unlike `earlier` (a wake word as heard) `later` sounds: the distance of `later` to
// `earlier` as a template. `decoder` computes the cepstra.
double distance_between(Decoder& decoder, std::span<const std::int16_t> earlier,
                        std::span<const std::int16_t> later);

// Where the sound of `samples` starts and ends, as sample indices [first, second): the quiet
// 10 ms frames at either end (below a tenth of the loudest frame's RMS) left out; {0, 0} for
// digital silence.
std::pair<std::size_t, std::size_t> sound_bounds(std::span<const std::int16_t> samples);

// `samples` without the quiet 10 ms frames at either end (below a tenth of the loudest frame's
// RMS), empty for digital silence: what a template holds of a recorded wake word.
std::vector<std::int16_t> trim_silence(std::span<const std::int16_t> samples);

}  // namespace hark::listener
