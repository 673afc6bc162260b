// Where the listener's audio comes from: a PulseAudio capture stream (the microphone) or a WAV
// file (`hark listener --input`, tests, the bench). Both deliver 16 kHz mono 16-bit samples, the
// rate pocketsphinx's en-us model is trained on.
//
//   auto mic = hark::listener::make_pulse_source({.device = "mic.monitor"});
//   std::vector<std::int16_t> block(1024);
//   while (mic->read(block)) feed(block);   // false: the source ended or failed (see error())
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace hark::listener {

inline constexpr int kSampleRate = 16000;

class AudioSource {
 public:
  virtual ~AudioSource() = default;
  // Fills `block` completely, blocking until the audio is there. False at the end of a file or
  // when the device fails; error() then says why (empty at a clean end).
  virtual bool read(std::span<std::int16_t> block) = 0;
  virtual std::string error() const = 0;
};

// "where: what is wrong" for a source that cannot be opened.
class SourceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct PulseSourceOptions {
  std::string server{};  // empty: PULSE_SERVER or libpulse's default
  std::string device{};  // source name; empty: the server's default source
  // How often PulseAudio hands over audio. The null sink's default is 2 s (machine-notes 2),
  // which would delay every wake word by as much.
  int fragment_ms = 20;
};

// Opens a capture stream now; throws SourceError naming the server and device.
std::unique_ptr<AudioSource> make_pulse_source(const PulseSourceOptions& options);

// Resamples `samples` at `rate` Hz to kSampleRate with speexdsp (quality 5, as used for speech).
std::vector<std::int16_t> resample_to_16k(std::span<const std::int16_t> samples, int rate);

// Reads the whole file now (mono, any rate: resampled to 16 kHz); throws SourceError for a
// missing, empty, truncated or multi-channel file. Reading then follows the file at full speed.
std::unique_ptr<AudioSource> make_wav_source(const std::filesystem::path& path);

// The samples of a WAV file at 16 kHz; throws SourceError as make_wav_source does.
std::vector<std::int16_t> read_wav_16k(const std::filesystem::path& path);
// The .wav files in `folder`, sorted by name (recordings named by time: oldest first); `error`
// says why the folder could not be read.
std::vector<std::filesystem::path> wav_files(const std::filesystem::path& folder,
                                             std::error_code& error);
// Every *.wav file in `folder`, by name; throws SourceError for a missing folder, a folder
// without WAV files, or a file read_wav_16k refuses.
std::vector<std::vector<std::int16_t>> read_wav_folder(const std::filesystem::path& folder);

}  // namespace hark::listener
