// Speech to text by an OVOS STT server (ovos-stt-http-server, or anything speaking its API, as
// ovos-stt-plugin-server does): the recording is POSTed as a 16 kHz mono WAV file to each URL in
// turn, with `?lang=` naming the language, and the body of the first 200 answer is what was said.
//
//   RemoteStt stt({.urls = {"http://stt.lan:8080/stt"}, .lang = "en-us"});
//   Transcript t = stt.transcribe(recording);   // t.search == "remote"; throws SttError
//
// Each server gets `timeout` for the whole exchange; https checks the certificate and host name
// against the system's trusted certificates unless verify_ssl is false.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "listener/http_url.h"
#include "listener/stt.h"

namespace hark::listener {

struct RemoteSttOptions {
  std::vector<std::string> urls;  // http:// or https://, tried in order
  std::string lang = "en-us";
  std::chrono::milliseconds timeout{5000};
  bool verify_ssl = true;
  // A longer answer is not a transcription of one command.
  std::size_t max_answer_bytes = 64 * 1024;
};

class RemoteStt final : public SpeechToText {
 public:
  // Throws std::invalid_argument naming stt.ovos-stt-plugin-server.url for a malformed or
  // missing URL.
  explicit RemoteStt(RemoteSttOptions options);

  // Throws SttError, with each server's failure, when none answered.
  Transcript transcribe(std::span<const std::int16_t> samples) override;

 private:
  RemoteSttOptions options_;
  std::vector<HttpUrl> servers_;
};

// The recording as a 16-bit mono WAV file at the listener's rate.
std::string wav_bytes(std::span<const std::int16_t> samples);

}  // namespace hark::listener
