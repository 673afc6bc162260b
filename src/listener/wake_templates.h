// The wake word's second stage: its recordings ("templates") compared with what the first stage
// heard, as Rhasspy's Raven does. Each is a sequence of MFCC frames (the decoder's front end,
// 10 ms), means removed so that loudness and channel drop out; the distance of a template to a
// window of audio is the mean cosine distance of the best alignment (dynamic time warping) of the
// whole template to any part of the window, the speed allowed to vary between half and double,
// with the part of the window found normalized again on its own (its mean is the word's, as the
// template's is, not that of the speech around it).
// The alignment's peak says how unlike its worst 0.12 s are: a word that differs from the
// template in one syllable ("hey microwave" for "hey mike how") may be near it on the whole.
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

  // How far a template is from some stretch of a window (0: the same, 1: unrelated, up to 2):
  // the mean cosine distance of the frames aligned, and the largest mean over any kPeakCells
  // of them one after another. 2 and 2: no template, or the window is too short.
  struct Match {
    double distance = 2;
    double peak = 2;
  };
  static constexpr std::size_t kPeakCells = 12;
  // The template nearest to some stretch of `window` (the smallest distance).
  Match nearest(Cepstra window) const;
  double distance(Cepstra window) const { return nearest(std::move(window)).distance; }

 private:
  std::vector<Cepstra> templates_;
};

class Decoder;

// How unlike `earlier` (a wake word as heard) `later` sounds: `later` matched with `earlier` as
// a template. `decoder` computes the cepstra.
WakeTemplates::Match match_between(Decoder& decoder, std::span<const std::int16_t> earlier,
                                   std::span<const std::int16_t> later);

// Where the sound of `samples` starts and ends, as sample indices [first, second): the quiet
// 10 ms frames at either end (below a tenth of the loudest frame's RMS) left out; {0, 0} for
// digital silence.
std::pair<std::size_t, std::size_t> sound_bounds(std::span<const std::int16_t> samples);

// `samples` without the quiet 10 ms frames at either end (below a tenth of the loudest frame's
// RMS), empty for digital silence: what a template holds of a recorded wake word.
std::vector<std::int16_t> trim_silence(std::span<const std::int16_t> samples);

}  // namespace hark::listener
