#include "listener/speaker_adaptation.h"

#include <fmt/format.h>
#include <pocketsphinx.h>
#include <sphinxbase/fe.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <numbers>
#include <optional>
#include <sstream>
#include <string_view>

#include "listener/decoder.h"

namespace hark::listener {

namespace {

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::error_code error;
  auto size = std::filesystem::file_size(file, error);
  std::string bytes(error ? 0 : size, '\0');
  if (!in || error || !in.read(bytes.data(), static_cast<std::streamsize>(size)))
    throw DecoderError(fmt::format("{}: cannot be read", file.string()));
  return bytes;
}

template <typename T>
T read_at(const std::string& bytes, std::size_t& at, const std::filesystem::path& file) {
  // `at` may come from a damaged file's counts: compared without overflowing.
  if (at > bytes.size() || bytes.size() - at < sizeof(T))
    throw DecoderError(fmt::format("{}: ends before byte {}", file.string(), at));
  T value;
  std::memcpy(&value, bytes.data() + at, sizeof(T));
  at += sizeof(T);
  return value;
}

// A sphinx3 Gaussian parameter file (means, variances): a text header ending in "endhdr\n", a
// byte order mark, the dimensions (codebooks, streams, densities, each stream's length), then
// the values codebook by codebook, stream by stream, density by density.
struct ParameterFile {
  std::uint32_t codebooks = 0, streams = 0, densities = 0;
  std::vector<std::uint32_t> lengths;
  std::vector<float> values;
};

ParameterFile read_parameters(const std::filesystem::path& file) {
  auto bytes = read_file(file);
  auto end = bytes.find("endhdr\n");
  if (bytes.rfind("s3\n", 0) != 0 || end == std::string::npos)
    throw DecoderError(fmt::format("{}: not a sphinx3 parameter file", file.string()));
  std::size_t at = end + 7;
  if (read_at<std::uint32_t>(bytes, at, file) != 0x11223344)
    throw DecoderError(
        fmt::format("{}: written on a machine of the other byte order", file.string()));
  ParameterFile p;
  p.codebooks = read_at<std::uint32_t>(bytes, at, file);
  p.streams = read_at<std::uint32_t>(bytes, at, file);
  p.densities = read_at<std::uint32_t>(bytes, at, file);
  std::size_t per_density = 0;
  for (std::uint32_t s = 0; s < p.streams && s < 16; ++s) {
    p.lengths.push_back(read_at<std::uint32_t>(bytes, at, file));
    per_density += p.lengths.back();
  }
  auto count = read_at<std::uint32_t>(bytes, at, file);
  if (count != std::size_t{p.codebooks} * p.densities * per_density ||
      at + std::size_t{count} * sizeof(float) > bytes.size())
    throw DecoderError(fmt::format("{}: {} values for {} codebooks of {} densities", file.string(),
                                   count, p.codebooks, p.densities));
  p.values.resize(count);
  std::memcpy(p.values.data(), bytes.data() + at, std::size_t{count} * sizeof(float));
  return p;
}

// The CI phones of a binary model definition ("BMDF") and the senones of their states: after
// its format description come ten counts, the CI phones' names (each ended by a NUL, padded to
// four bytes), the context tree, each phone's senone sequence id, and the sequences.
struct CiPhones {
  std::vector<std::string> names;
  std::vector<std::array<std::size_t, 3>> senones;
  std::size_t silence = 0;
};

CiPhones read_ci_phones(const std::filesystem::path& file) {
  auto bytes = read_file(file);
  if (bytes.rfind("BMDF", 0) != 0)
    throw DecoderError(fmt::format("{}: not a binary model definition", file.string()));
  std::size_t at = 8;
  at += static_cast<std::size_t>(read_at<std::int32_t>(bytes, at, file));
  std::array<std::int32_t, 10> counts{};
  for (auto& c : counts) c = read_at<std::int32_t>(bytes, at, file);
  [[maybe_unused]] const auto [n_ciphone, n_phone, n_emit_state, n_ci_sen, n_sen, n_tmat, n_sseq,
                               n_ctx, n_cd_tree, sil] = counts;
  if (n_emit_state != 3 || n_ciphone <= 0 || sil < 0 || sil >= n_ciphone || n_sseq <= 0 ||
      n_phone < n_ciphone || n_cd_tree < 0 || n_ci_sen <= 0)
    throw DecoderError(fmt::format("{}: not a model of three-state phones", file.string()));
  CiPhones ci;
  ci.silence = static_cast<std::size_t>(sil);
  for (std::int32_t i = 0; i < n_ciphone; ++i) {
    auto end = bytes.find('\0', at);
    if (end == std::string::npos)
      throw DecoderError(fmt::format("{}: phone names cut short", file.string()));
    ci.names.push_back(bytes.substr(at, end - at));
    at = end + 1;
  }
  at = (at + 3) / 4 * 4 + static_cast<std::size_t>(n_cd_tree) * 8;
  std::vector<std::int32_t> sequence_of;
  for (std::int32_t p = 0; p < n_ciphone; ++p) {
    std::size_t phone = at + static_cast<std::size_t>(p) * 12;
    sequence_of.push_back(read_at<std::int32_t>(bytes, phone, file));
  }
  // The sequences follow after one more 32-bit word, and end the file.
  at += static_cast<std::size_t>(n_phone) * 12 + 4;
  if (at > bytes.size() ||
      bytes.size() - at != static_cast<std::size_t>(n_sseq) * 3 * sizeof(std::int16_t))
    throw DecoderError(fmt::format("{}: {} bytes, not a model definition of {} phones",
                                   file.string(), bytes.size(), n_phone));
  for (auto sseq : sequence_of) {
    if (sseq < 0 || sseq >= n_sseq)
      throw DecoderError(fmt::format("{}: senone sequence {} of {}", file.string(), sseq, n_sseq));
    std::size_t state = at + static_cast<std::size_t>(sseq) * 3 * sizeof(std::int16_t);
    std::array<std::size_t, 3> senones{};
    for (auto& senone : senones) {
      auto id = read_at<std::int16_t>(bytes, state, file);
      if (id < 0 || id >= n_ci_sen)
        throw DecoderError(fmt::format("{}: a CI phone with senone {}", file.string(), id));
      senone = static_cast<std::size_t>(id);
    }
    ci.senones.push_back(senones);
  }
  return ci;
}

// The mixture weights of the first `senones` senones in a sendump (pocketsphinx's quantized
// weights: a header of strings, the dimensions, then for each stream and density one byte per
// senone, -log of the weight in units of 1024 * log(1.0001)), as natural logs
// [senone][stream][density].
std::vector<std::vector<std::vector<float>>> read_mixture_weights(const std::filesystem::path& file,
                                                                  std::size_t senones,
                                                                  std::size_t streams,
                                                                  std::size_t densities) {
  auto bytes = read_file(file);
  std::size_t at = 0;
  for (;;) {
    auto length = read_at<std::int32_t>(bytes, at, file);
    if (length == 0) break;
    if (length < 0 || at + static_cast<std::size_t>(length) > bytes.size())
      throw DecoderError(fmt::format("{}: header cut short", file.string()));
    // A header string: "cluster_count 0" is the unclustered weights read below.
    std::string_view header(bytes.data() + at, static_cast<std::size_t>(length));
    if (header.starts_with("cluster_count ") && !header.starts_with("cluster_count 0"))
      throw DecoderError(fmt::format("{}: clustered weights are not supported", file.string()));
    at += static_cast<std::size_t>(length);
  }
  auto rows = read_at<std::int32_t>(bytes, at, file);
  auto columns = read_at<std::int32_t>(bytes, at, file);
  // The weights fill the rest of the file, a byte each.
  if (rows < 0 || static_cast<std::size_t>(rows) != densities || columns <= 0 ||
      static_cast<std::size_t>(columns) < senones ||
      (bytes.size() - at) / streams / densities < static_cast<std::size_t>(columns))
    throw DecoderError(fmt::format("{}: {} x {} weights", file.string(), rows, columns));
  const double unit = 1024 * std::log(1.0001);
  std::vector weights(senones, std::vector(streams, std::vector<float>(densities)));
  for (std::size_t s = 0; s < streams; ++s)
    for (std::size_t d = 0; d < densities; ++d)
      for (std::size_t sen = 0; sen < senones; ++sen)
        weights[sen][s][d] = static_cast<float>(
            -unit * static_cast<unsigned char>(
                        bytes[at + (s * densities + d) * static_cast<std::size_t>(columns) + sen]));
  return weights;
}

// The features the decoder computes (1s_c_d_dd): the cepstra less their mean, their differences
// over two frames, and the differences of those; the first and last frames repeat beyond the
// recording's ends, as sphinxbase pads them. Like sphinxbase's mean normalization, frames of
// no energy (c0 below 0: digital silence) neither count towards the mean nor have it taken off.
std::vector<std::array<float, 39>> features(const std::vector<std::vector<float>>& cepstra) {
  constexpr std::size_t n = 13;
  const auto frames = cepstra.size();
  std::array<double, n> mean{};
  std::size_t counted = 0;
  for (const auto& c : cepstra) {
    if (c[0] < 0) continue;
    ++counted;
    for (std::size_t d = 0; d < n; ++d) mean[d] += c[d];
  }
  for (auto& m : mean) m /= static_cast<double>(std::max<std::size_t>(counted, 1));
  auto at = [&](std::ptrdiff_t t, std::size_t d) {
    const auto& c = cepstra[static_cast<std::size_t>(
        std::clamp<std::ptrdiff_t>(t, 0, static_cast<std::ptrdiff_t>(frames) - 1))];
    return static_cast<float>(c[0] < 0 ? c[d] : c[d] - mean[d]);
  };
  std::vector<std::array<float, 39>> out(frames);
  for (std::size_t f = 0; f < frames; ++f) {
    auto t = static_cast<std::ptrdiff_t>(f);
    for (std::size_t d = 0; d < n; ++d) {
      out[f][d] = at(t, d);
      out[f][n + d] = at(t + 2, d) - at(t - 2, d);
      out[f][2 * n + d] = (at(t + 3, d) - at(t - 1, d)) - (at(t + 1, d) - at(t - 3, d));
    }
  }
  return out;
}

double log_add(double a, double b) {
  if (a < b) std::swap(a, b);
  return b == -std::numeric_limits<double>::infinity() ? a : a + std::log1p(std::exp(b - a));
}

// Solves the symmetric positive definite system a x = b (n x n, row-major) by Cholesky.
template <std::size_t N>
std::optional<std::array<double, N>> solve(std::array<double, N * N> a, std::array<double, N> b) {
  for (std::size_t j = 0; j < N; ++j) {
    double d = a[j * N + j];
    for (std::size_t k = 0; k < j; ++k) d -= a[j * N + k] * a[j * N + k];
    if (d <= 0) return std::nullopt;
    a[j * N + j] = std::sqrt(d);
    for (std::size_t i = j + 1; i < N; ++i) {
      double s = a[i * N + j];
      for (std::size_t k = 0; k < j; ++k) s -= a[i * N + k] * a[j * N + k];
      a[i * N + j] = s / a[j * N + j];
    }
  }
  for (std::size_t i = 0; i < N; ++i) {
    for (std::size_t k = 0; k < i; ++k) b[i] -= a[i * N + k] * b[k];
    b[i] /= a[i * N + i];
  }
  for (std::size_t i = N; i-- > 0;) {
    for (std::size_t k = i + 1; k < N; ++k) b[i] -= a[k * N + i] * b[k];
    b[i] /= a[i * N + i];
  }
  return b;
}

}  // namespace

void SpeakerAdaptation::FreeFrontEnd::operator()(fe_s* fe) const {
  fe_free(fe);
}

SpeakerAdaptation::~SpeakerAdaptation() = default;

SpeakerAdaptation::SpeakerAdaptation(const std::filesystem::path& acoustic_model)
    : acoustic_model_(acoustic_model) {
  // The decoder's front end: the model's feat.params over sphinxbase's defaults.
  auto params = acoustic_model / "feat.params";
  cmd_ln_t* config = cmd_ln_parse_file_r(nullptr, ps_args(), params.c_str(), FALSE);
  if (!config) throw DecoderError(fmt::format("{}: cannot be read", params.string()));
  // features() computes these.
  if (const char* type = cmd_ln_str_r(config, "-feat");
      !type || std::string_view(type) != "1s_c_d_dd") {
    cmd_ln_free_r(config);
    throw DecoderError(
        fmt::format("{}: features {}, not 1s_c_d_dd", params.string(), type ? type : "unnamed"));
  }
  front_end_.reset(fe_init_auto_r(config));
  cmd_ln_free_r(config);
  if (!front_end_) throw DecoderError(fmt::format("{}: no front end from it", params.string()));
  auto ci = read_ci_phones(acoustic_model / "mdef");
  phones_ = std::move(ci.names);
  senones_ = std::move(ci.senones);
  silence_ = ci.silence;
  // Read once now, so that a model it cannot use is named at start.
  densities_ = read_model().codebooks.front().densities;
}

SpeakerAdaptation::Model SpeakerAdaptation::read_model() const {
  Model model{.codebooks = read_codebooks(), .log_weights = {}};
  model.log_weights = read_mixture_weights(acoustic_model_ / "sendump", 3 * phones_.size(),
                                           kStreams, model.codebooks.front().densities);
  return model;
}

std::vector<SpeakerAdaptation::Codebook> SpeakerAdaptation::read_codebooks() const {
  const auto& acoustic_model = acoustic_model_;
  auto means = read_parameters(acoustic_model / "means");
  auto variances = read_parameters(acoustic_model / "variances");
  if (means.streams != kStreams || means.codebooks != phones_.size() ||
      std::any_of(means.lengths.begin(), means.lengths.end(),
                  [](auto l) { return l != kStreamLength; }) ||
      variances.values.size() != means.values.size())
    throw DecoderError(fmt::format(
        "{}: speaker adaptation needs a phonetically tied model of {} phones, 3 streams of 13",
        acoustic_model.string(), phones_.size()));
  std::vector<Codebook> codebooks(means.codebooks);
  std::size_t at = 0;
  for (auto& codebook : codebooks) {
    codebook.densities = means.densities;
    for (std::size_t s = 0; s < kStreams; ++s) {
      for (std::uint32_t m = 0; m < means.densities; ++m) {
        double log_norm = 0;
        for (std::size_t d = 0; d < kStreamLength; ++d, ++at) {
          codebook.means[s].push_back(means.values[at]);
          // pocketsphinx's -varfloor
          double variance = std::max(variances.values[at], 1e-4f);
          codebook.inverse_variances[s].push_back(static_cast<float>(1 / variance));
          log_norm -= 0.5 * std::log(2 * std::numbers::pi * variance);
        }
        codebook.log_norms[s].push_back(static_cast<float>(log_norm));
      }
    }
  }
  return codebooks;
}

std::size_t SpeakerAdaptation::phone_id(const std::string& phone) const {
  auto it = std::find(phones_.begin(), phones_.end(), phone);
  return it == phones_.end() ? phones_.size() : static_cast<std::size_t>(it - phones_.begin());
}

std::vector<std::vector<float>> SpeakerAdaptation::cepstra(std::span<const std::int16_t> samples) {
  std::vector<std::vector<float>> frames;
  fe_start_utt(front_end_.get());
  mfcc_t** block = nullptr;
  int32 count = 0;
  if (fe_process_utt(front_end_.get(), samples.data(), samples.size(), &block, &count) >= 0 &&
      count > 0) {
    for (int32 f = 0; f < count; ++f) frames.emplace_back(block[f], block[f] + kStreamLength);
  }
  if (block) fe_free_2d(block);
  std::array<mfcc_t, kStreamLength> last{};
  int32 last_count = 0;
  fe_end_utt(front_end_.get(), last.data(), &last_count);
  return frames;
}

bool SpeakerAdaptation::add(std::span<const std::int16_t> samples,
                            const std::vector<std::string>& phones) {
  // The phones said, between silences; three states each.
  std::vector<std::size_t> sequence{silence_};
  for (const auto& phone : phones) {
    auto id = phone_id(phone);
    if (id == phones_.size()) return false;
    sequence.push_back(id);
  }
  sequence.push_back(silence_);
  constexpr std::size_t kStates = 3;
  const auto feats = features(cepstra(samples));
  const std::size_t states = kStates * sequence.size(), frames = feats.size();
  if (frames < states) return false;

  // Each frame's nearest densities in the codebook of each phone said, per stream, as
  // pocketsphinx scores a senone by its mixture's best few (-topn 4).
  std::vector<std::size_t> codebook_of(sequence.size());
  std::vector<std::size_t> distinct;
  for (std::size_t p = 0; p < sequence.size(); ++p) {
    auto it = std::find(distinct.begin(), distinct.end(), sequence[p]);
    codebook_of[p] = static_cast<std::size_t>(it - distinct.begin());
    if (it == distinct.end()) distinct.push_back(sequence[p]);
  }
  const auto model = read_model();
  std::vector<Nearest> nearest(frames * distinct.size() * kStreams);
  auto nearest_at = [&](std::size_t t, std::size_t k, std::size_t s) -> Nearest& {
    return nearest[(t * distinct.size() + k) * kStreams + s];
  };
  for (std::size_t t = 0; t < frames; ++t)
    for (std::size_t k = 0; k < distinct.size(); ++k)
      for (std::size_t s = 0; s < kStreams; ++s)
        nearest_at(t, k, s) =
            nearest_densities(model.codebooks[distinct[k]], s, feats[t].data() + s * kStreamLength);

  // log p(frame t | state j), and each density's share of it in stream s.
  auto state_log_likelihood = [&](std::size_t t, std::size_t j, std::size_t s,
                                  std::array<double, kTop>* shares) {
    std::size_t phone = sequence[j / kStates];
    const auto& weights = model.log_weights[senones_[phone][j % kStates]][s];
    const auto& near = nearest_at(t, codebook_of[j / kStates], s);
    std::array<double, kTop> terms{};
    double total = -std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < kTop; ++i) {
      terms[i] = weights[near.density[i]] + near.log_density[i];
      total = log_add(total, terms[i]);
    }
    if (shares)
      for (std::size_t i = 0; i < kTop; ++i) (*shares)[i] = std::exp(terms[i] - total);
    return total;
  };
  auto emission = [&](std::size_t t, std::size_t j) {
    double ll = 0;
    for (std::size_t s = 0; s < kStreams; ++s) ll += state_log_likelihood(t, j, s, nullptr);
    return ll;
  };

  // Viterbi through the states, left to right, from the first state at the first frame to the
  // last at the last.
  constexpr double kNone = -std::numeric_limits<double>::infinity();
  std::vector<double> score(states, kNone), next(states);
  std::vector<std::vector<bool>> advanced(frames, std::vector<bool>(states));
  score[0] = emission(0, 0);
  for (std::size_t t = 1; t < frames; ++t) {
    for (std::size_t j = 0; j < states; ++j) {
      // Frame t reaches state j only if t >= j, and can still reach the end only if the frames
      // left are as many as the states left.
      if (j > t || frames - t < states - j) {
        next[j] = kNone;
        continue;
      }
      double stay = score[j], move = j > 0 ? score[j - 1] : kNone;
      advanced[t][j] = move > stay;
      double best = std::max(stay, move);
      next[j] = best == kNone ? kNone : best + emission(t, j);
    }
    std::swap(score, next);
  }
  if (score[states - 1] == kNone) return false;
  if (frames_ > kMemory) {
    const double keep = kMemory / frames_;
    for (auto& stream : statistics_)
      for (auto& row : stream) {
        for (auto& v : row.g) v *= keep;
        for (auto& v : row.k) v *= keep;
        row.q *= keep;
      }
    for (auto& codebook : density_statistics_)
      for (auto& stream : codebook) {
        for (auto& v : stream.occupancy) v *= keep;
        for (auto& v : stream.sum) v *= keep;
      }
    frames_ = kMemory;
  }
  std::vector<std::size_t> state_of(frames);
  for (std::size_t t = frames, j = states - 1; t-- > 0;) {
    state_of[t] = j;
    if (t > 0 && advanced[t][j]) --j;
  }

  if (density_statistics_.empty()) density_statistics_ = no_density_statistics();
  // The rows' statistics from the speech frames (silence is the room's or the synthesizer's,
  // not the speaker's).
  for (std::size_t t = 0; t < frames; ++t) {
    const auto j = state_of[t];
    const auto phone = sequence[j / kStates];
    if (phone == silence_) continue;
    frames_ += 1;
    const auto& cb = model.codebooks[phone];
    for (std::size_t s = 0; s < kStreams; ++s) {
      const float* o = feats[t].data() + s * kStreamLength;
      std::array<double, kTop> shares{};
      state_log_likelihood(t, j, s, &shares);
      const auto& near = nearest_at(t, codebook_of[j / kStates], s);
      auto& densities = density_statistics_[phone][s];
      for (std::size_t i = 0; i < kTop; ++i) {
        const auto share = static_cast<float>(shares[i]);
        densities.occupancy[near.density[i]] += share;
        for (std::size_t d = 0; d < kStreamLength; ++d)
          densities.sum[near.density[i] * kStreamLength + d] += share * o[d];
        const float* mean = cb.means[s].data() + near.density[i] * kStreamLength;
        const float* inverse = cb.inverse_variances[s].data() + near.density[i] * kStreamLength;
        double xi[kExtended];
        for (std::size_t d = 0; d < kStreamLength; ++d) xi[d] = mean[d];
        xi[kStreamLength] = 1;
        // g is symmetric: its upper triangle is gathered, transform() mirrors it.
        double outer[kExtended * kExtended];
        for (std::size_t a = 0; a < kExtended; ++a)
          for (std::size_t b = a; b < kExtended; ++b) outer[a * kExtended + b] = xi[a] * xi[b];
        for (std::size_t r = 0; r < kStreamLength; ++r) {
          const double w = shares[i] * inverse[r];
          double* g = statistics_[s][r].g.data();
          double* k = statistics_[s][r].k.data();
          statistics_[s][r].q += w * o[r] * o[r];
          for (std::size_t a = 0; a < kExtended; ++a) {
            k[a] += w * o[r] * xi[a];
            for (std::size_t b = a; b < kExtended; ++b)
              g[a * kExtended + b] += w * outer[a * kExtended + b];
          }
        }
      }
    }
  }
  return true;
}

SpeakerAdaptation::Nearest SpeakerAdaptation::nearest_densities(const Codebook& cb,
                                                                std::size_t stream,
                                                                const float* frame) {
  const float* mean = cb.means[stream].data();
  const float* inverse = cb.inverse_variances[stream].data();
  const float* log_norm = cb.log_norms[stream].data();
  Nearest best;
  best.log_density.fill(-std::numeric_limits<double>::infinity());
  for (std::size_t m = 0; m < cb.densities; ++m, mean += kStreamLength, inverse += kStreamLength) {
    float distance = 0;
    for (std::size_t d = 0; d < kStreamLength; ++d) {
      float diff = frame[d] - mean[d];
      distance += diff * diff * inverse[d];
    }
    double value = log_norm[m] - 0.5 * distance;
    if (value <= best.log_density[kTop - 1]) continue;
    std::size_t i = kTop - 1;
    for (; i > 0 && best.log_density[i - 1] < value; --i) {
      best.log_density[i] = best.log_density[i - 1];
      best.density[i] = best.density[i - 1];
    }
    best.log_density[i] = value;
    best.density[i] = m;
  }
  return best;
}

SpeakerAdaptation::Estimate SpeakerAdaptation::estimate(double prior_frames) const {
  Estimate e;
  const double alpha = frames_ > 0 ? prior_frames / frames_ : 0;
  for (std::size_t s = 0; s < kStreams; ++s) {
    auto& rows = e.rows[s];
    auto& scales = e.scales[s];
    scales.fill(1);
    for (std::size_t i = 0; i < kStreamLength; ++i) {
      // No change: row i of the identity, no bias.
      rows[i][i] = 1;
      if (frames_ <= 0) continue;
      // The prior as `prior_frames` frames like the data's, that no change fits perfectly.
      auto g = statistics_[s][i].g;
      auto k = statistics_[s][i].k;
      for (std::size_t a = 0; a < kExtended; ++a)
        for (std::size_t b = 0; b < a; ++b) g[a * kExtended + b] = g[b * kExtended + a];
      for (std::size_t a = 0; a < kExtended; ++a) {
        k[a] += alpha * g[a * kExtended + i];
      }
      for (auto& v : g) v *= 1 + alpha;
      if (auto w = solve<kExtended>(g, k)) rows[i] = *w;
      // The variances' scale: the mean squared distance of the frames from their transformed
      // means, in units of the model's variances (1 when the model's spread is the speaker's),
      // with the prior's frames at 1. Kept within a factor of 4 either way.
      const auto& row = statistics_[s][i];
      double error = row.q;
      for (std::size_t a = 0; a < kExtended; ++a) {
        error -= 2 * rows[i][a] * row.k[a];
        for (std::size_t b = 0; b < kExtended; ++b)
          error += rows[i][a] * rows[i][b] * row.g[std::min(a, b) * kExtended + std::max(a, b)];
      }
      scales[i] = std::clamp((error + prior_frames) / (frames_ + prior_frames), 0.25, 4.0);
    }
  }
  return e;
}

SpeakerAdaptation::DensityTable SpeakerAdaptation::no_density_statistics() const {
  DensityTable table(phones_.size());
  for (auto& codebook : table)
    for (auto& stream : codebook) {
      stream.occupancy.assign(densities_, 0);
      stream.sum.assign(densities_ * kStreamLength, 0);
    }
  return table;
}

Gaussians SpeakerAdaptation::adapted(double prior_frames, double map_prior) const {
  if (frames_ <= 0) return {};
  const auto e = estimate(prior_frames);
  const auto codebooks = read_codebooks();
  const auto densities = codebooks.empty() ? 0 : codebooks.front().densities;
  const std::size_t count = codebooks.size() * kStreams * densities * kStreamLength;
  std::vector<float> means, variances;
  means.reserve(count);
  variances.reserve(count);
  for (std::size_t c = 0; c < codebooks.size(); ++c) {
    const auto& cb = codebooks[c];
    for (std::size_t s = 0; s < kStreams; ++s) {
      for (std::size_t m = 0; m < densities; ++m) {
        const float* mean = cb.means[s].data() + m * kStreamLength;
        const float* inverse = cb.inverse_variances[s].data() + m * kStreamLength;
        double occupancy = 0;
        const float* sum = nullptr;
        if (!density_statistics_.empty()) {
          occupancy = density_statistics_[c][s].occupancy[m];
          sum = density_statistics_[c][s].sum.data() + m * kStreamLength;
        }
        for (std::size_t r = 0; r < kStreamLength; ++r) {
          double moved = e.rows[s][r][kStreamLength];
          for (std::size_t d = 0; d < kStreamLength; ++d) moved += e.rows[s][r][d] * mean[d];
          if (map_prior > 0 && occupancy > 0)
            moved = (map_prior * moved + sum[r]) / (map_prior + occupancy);
          means.push_back(static_cast<float>(moved));
          variances.push_back(static_cast<float>(e.scales[s][r] / inverse[r]));
        }
      }
    }
  }
  auto file = [&](const std::vector<float>& values) {
    // sphinxbase reads the values in place: the header is padded to a multiple of four bytes.
    std::string out = "s3\nversion 1.0\n";
    while ((out.size() + 7) % 4 != 0) out += ' ';
    out += "endhdr\n";
    auto put = [&](std::uint32_t v) { out.append(reinterpret_cast<const char*>(&v), sizeof v); };
    put(0x11223344);
    put(static_cast<std::uint32_t>(codebooks.size()));
    put(kStreams);
    put(static_cast<std::uint32_t>(densities));
    for (std::size_t s = 0; s < kStreams; ++s) put(kStreamLength);
    put(static_cast<std::uint32_t>(values.size()));
    out.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float));
    return out;
  };
  return {.means = file(means), .variances = file(variances)};
}

}  // namespace hark::listener

namespace hark::listener {

namespace {
// Version 1 had no densities' statistics.
constexpr std::string_view kStatisticsHeader = "hark speaker adaptation statistics 2";
constexpr std::string_view kStatisticsHeaderBefore = "hark speaker adaptation statistics 1";
}  // namespace

void SpeakerAdaptation::save(const std::filesystem::path& file) const {
  std::string text = fmt::format("{}\nframes {:.17g}\n", kStatisticsHeader, frames_);
  for (const auto& stream : statistics_) {
    for (const auto& row : stream) {
      for (double v : row.g) text += fmt::format("{:.17g} ", v);
      for (double v : row.k) text += fmt::format("{:.17g} ", v);
      text += fmt::format("{:.17g} ", row.q);
      text.back() = '\n';
    }
  }
  // The densities that scored frames, after their count: "codebook stream density occupancy
  // sum...".
  std::string densities;
  std::size_t scored = 0;
  for (std::size_t c = 0; c < density_statistics_.size(); ++c)
    for (std::size_t s = 0; s < kStreams; ++s) {
      const auto& stream = density_statistics_[c][s];
      for (std::size_t m = 0; m < densities_; ++m) {
        if (stream.occupancy[m] <= 0) continue;
        ++scored;
        fmt::format_to(std::back_inserter(densities), "{} {} {} {:.9g}", c, s, m,
                       stream.occupancy[m]);
        for (std::size_t d = 0; d < kStreamLength; ++d)
          fmt::format_to(std::back_inserter(densities), " {:.9g}",
                         stream.sum[m * kStreamLength + d]);
        densities += '\n';
      }
    }
  text += fmt::format("densities {}\n{}", scored, densities);
  // Written beside and renamed over: a crash leaves the old file or the new one, never half.
  auto partial = file;
  partial += ".partial";
  {
    std::ofstream out(partial, std::ios::trunc);
    out << text;
    if (!out.flush()) throw DecoderError(fmt::format("{}: cannot be written", partial.string()));
  }
  std::filesystem::rename(partial, file);
}

void SpeakerAdaptation::load(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw DecoderError(fmt::format("{}: cannot be read", file.string()));
  std::size_t line_number = 0;
  std::string line;
  auto next_line = [&](std::string_view what) {
    ++line_number;
    if (!std::getline(in, line))
      throw DecoderError(fmt::format("{}:{}: ends before {}", file.string(), line_number, what));
  };
  auto wrong = [&](std::string_view what) {
    return DecoderError(fmt::format("{}:{}: {}", file.string(), line_number, what));
  };
  next_line("its header");
  if (line != kStatisticsHeader && line != kStatisticsHeaderBefore)
    throw wrong(fmt::format("not '{}'", kStatisticsHeader));
  const bool with_densities = line == kStatisticsHeader;
  next_line("the frame count");
  double frames = 0;
  if (std::sscanf(line.c_str(), "frames %lf", &frames) != 1 || !(frames >= 0))
    throw wrong("expected 'frames N', N >= 0");
  auto statistics = statistics_;
  for (auto& stream : statistics) {
    for (auto& row : stream) {
      next_line("its last row");
      std::istringstream values(line);
      for (double& v : row.g)
        if (!(values >> v) || !std::isfinite(v)) throw wrong("a row of numbers cut short");
      for (double& v : row.k)
        if (!(values >> v) || !std::isfinite(v)) throw wrong("a row of numbers cut short");
      if (!(values >> row.q) || !std::isfinite(row.q)) throw wrong("a row of numbers cut short");
      if (std::string more; values >> more) throw wrong(fmt::format("'{}' after the row", more));
    }
  }
  DensityTable densities;
  if (with_densities) {
    densities = no_density_statistics();
    next_line("the densities' count");
    std::size_t scored = 0;
    if (std::sscanf(line.c_str(), "densities %zu", &scored) != 1 ||
        scored > phones_.size() * kStreams * densities_)
      throw wrong(
          fmt::format("expected 'densities N', N <= {}", phones_.size() * kStreams * densities_));
    for (std::size_t i = 0; i < scored; ++i) {
      next_line("its last density");
      std::istringstream values(line);
      std::size_t c = 0, s = 0, m = 0;
      float occupancy = 0;
      if (!(values >> c >> s >> m >> occupancy) || c >= phones_.size() || s >= kStreams ||
          m >= densities_ || !std::isfinite(occupancy) || occupancy < 0)
        throw wrong(fmt::format("expected 'codebook stream density occupancy' within {} {} {}",
                                phones_.size(), kStreams, densities_));
      auto& stream = densities[c][s];
      stream.occupancy[m] = occupancy;
      for (std::size_t d = 0; d < kStreamLength; ++d) {
        float& v = stream.sum[m * kStreamLength + d];
        if (!(values >> v) || !std::isfinite(v)) throw wrong("a density's sums cut short");
      }
      if (std::string more; values >> more) throw wrong(fmt::format("'{}' after the sums", more));
    }
  }
  statistics_ = statistics;
  frames_ = frames;
  density_statistics_ = std::move(densities);
}

}  // namespace hark::listener
