// Adapts the acoustic model to the voices it hears: a global MLLR transform of its Gaussians'
// means (Leggetter and Woodland's maximum likelihood linear regression) and a scale of their
// variances per dimension, then each mean moved on its own towards the frames it scored (maximum
// a posteriori, MAP), estimated from recordings whose words are known and written as the model's
// parameter files. This is what CMU Sphinx's own adaptation (sphinxtrain's bw, mllr_solve and
// map_adapt, which Debian does not ship) computes for a phonetically tied model, with one
// simplification: a recording is aligned to the phones it says with the model's
// context-independent senones (each phone's three states, whose mixtures share the phone's
// codebook with its triphones'), not its triphones.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "listener/decoder.h"

struct fe_s;

namespace hark::listener {

class SpeakerAdaptation {
 public:
  // `acoustic_model` is the folder with feat.params, mdef, means, variances and sendump
  // (pocketsphinx-en-us's en-us/); throws DecoderError naming what is missing or malformed, or
  // a model of another kind (only phonetically tied ones with 1s_c_d_dd features).
  explicit SpeakerAdaptation(const std::filesystem::path& acoustic_model);

  ~SpeakerAdaptation();
  SpeakerAdaptation(const SpeakerAdaptation&) = delete;
  SpeakerAdaptation& operator=(const SpeakerAdaptation&) = delete;

  // One recording (16 kHz) and the CI phones said in it, in order, without silences ("HH EY M
  // AY K R AO F T"). False when the recording has too few frames for its phones or a phone is
  // not the model's.
  bool add(std::span<const std::int16_t> samples, const std::vector<std::string>& phones);
  // Frames of speech learnt from: the older ones count less once there are kMemory (a speaker's
  // voice, or the room, changes; the transform follows).
  std::size_t frames() const { return static_cast<std::size_t>(frames_); }
  static constexpr double kMemory = 60000;  // 10 minutes of speech

  // The statistics learnt, written so that load() continues from them (a text file, replaced
  // whole; one without the densities' statistics, as hark wrote it before, loads too); load()
  // throws DecoderError naming the file and line of what is wrong, and then leaves what was learnt
  // as it was.
  void save(const std::filesystem::path& file) const;
  void load(const std::filesystem::path& file);

  // The model adapted to what was added, or, with nothing added, empty (the model as installed).
  // Each Gaussian's mean is moved by the transform, whose estimate weighs `prior_frames` of no
  // change against the speech (with little speech, the model changes little), and then on its
  // own towards the frames it scored, `map_prior` frames of the transformed mean against them
  // (maximum a posteriori; 0: the transform alone); its variances are scaled as the transform
  // scales them.
  listener::Gaussians adapted(double prior_frames, double map_prior) const;

 private:
  static constexpr std::size_t kStreams = 3, kStreamLength = 13, kExtended = kStreamLength + 1;
  struct Codebook {
    std::size_t densities = 0;
    // [stream][density * kStreamLength + dimension]
    std::array<std::vector<float>, kStreams> means, inverse_variances;
    std::array<std::vector<float>, kStreams> log_norms;  // [stream][density]
  };
  // The model's Gaussians (about 2 MB), read for each add() and freed after it: the listener
  // does not hold them while it waits for the wake word.
  struct Model {
    std::vector<Codebook> codebooks;                           // [CI phone]
    std::vector<std::vector<std::vector<float>>> log_weights;  // [CI senone][stream][density]
  };
  // Per stream and dimension: the normal equations of one row of the transform.
  struct RowStatistics {
    std::array<double, kExtended * kExtended> g{};
    std::array<double, kExtended> k{};
    double q = 0;  // the observations' squares, for the variance's scale
  };

  static constexpr std::size_t kTop = 4;
  // A frame's most likely densities of one codebook and stream, best first.
  struct Nearest {
    std::array<std::size_t, kTop> density{};
    std::array<double, kTop> log_density{};
  };
  struct FreeFrontEnd {
    void operator()(fe_s* fe) const;
  };

  std::vector<std::vector<float>> cepstra(std::span<const std::int16_t> samples);
  std::size_t phone_id(const std::string& phone) const;
  Model read_model() const;
  std::vector<Codebook> read_codebooks() const;  // the means and variances alone
  static Nearest nearest_densities(const Codebook& codebook, std::size_t stream,
                                   const float* frame);

  std::filesystem::path acoustic_model_;
  std::unique_ptr<fe_s, FreeFrontEnd> front_end_;
  std::vector<std::string> phones_;  // the model's CI phones; phone i uses codebook i
  std::vector<std::array<std::size_t, 3>> senones_;  // of each CI phone's three states
  std::size_t silence_ = 0;
  std::array<std::array<RowStatistics, kStreamLength>, kStreams> statistics_{};
  // Per codebook and stream: each density's share of the frames, and their sum per dimension
  // [density * kStreamLength + dimension]; allocated with the first frames.
  struct DensityStatistics {
    std::vector<float> occupancy, sum;
  };
  using DensityTable = std::vector<std::array<DensityStatistics, kStreams>>;  // [codebook]
  DensityTable density_statistics_;
  std::size_t densities_ = 0;  // per codebook and stream
  DensityTable no_density_statistics() const;
  // The transform's rows and variances' scales, per stream.
  struct Estimate {
    std::array<std::array<std::array<double, kExtended>, kStreamLength>, kStreams> rows{};
    std::array<std::array<double, kStreamLength>, kStreams> scales{};
  };
  Estimate estimate(double prior_frames) const;
  double frames_ = 0;
};

}  // namespace hark::listener
