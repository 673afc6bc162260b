#include "listener/remote_stt.h"

#include <fmt/format.h>

#include <cctype>
#include <stdexcept>

#include "core/http_post.h"
#include "core/module.h"
#include "listener/audio_source.h"
#include "skills/text.h"

namespace hark::listener {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;

constexpr std::string_view kUrlKey = "stt.ovos-stt-plugin-server.url";

void put_le(std::string& out, std::uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

// "%xx" for every byte but the unreserved ones (RFC 3986 2.3).
std::string percent_encode(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string transcribe_with(const HttpUrl& url, const std::string& wav,
                            const RemoteSttOptions& options) {
  const HttpPost post{.host = url.host,
                      .port = url.port,
                      .target = url.target +
                                (url.target.find('?') == std::string::npos ? "?" : "&") +
                                "lang=" + percent_encode(options.lang),
                      .content_type = "audio/wav",
                      .body = wav,
                      .user_agent = "hark-listener",
                      .timeout = options.timeout,
                      .max_answer_bytes = options.max_answer_bytes};
  if (!url.tls) {
    return post_http(post,
                     [&](asio::io_context& io, beast::tcp_stream& stream, HttpRequest& request) {
                       return exchange_http(io, stream, request, post.max_answer_bytes);
                     });
  }
  std::string answer;
  module_function<HttpsPost>("tls", "hark_tls_https_post")(post, options.verify_ssl, answer);
  return answer;
}

}  // namespace

std::string wav_bytes(std::span<const std::int16_t> samples) {
  const auto data_bytes = static_cast<std::uint32_t>(samples.size() * 2);
  std::string out = "RIFF";
  put_le(out, 36 + data_bytes, 4);
  out += "WAVEfmt ";
  put_le(out, 16, 4);  // size of this chunk
  put_le(out, 1, 2);   // PCM
  put_le(out, 1, 2);   // mono
  put_le(out, kSampleRate, 4);
  put_le(out, kSampleRate * 2, 4);  // bytes per second
  put_le(out, 2, 2);                // bytes per frame
  put_le(out, 16, 2);               // bits per sample
  out += "data";
  put_le(out, data_bytes, 4);
  for (auto sample : samples) put_le(out, static_cast<std::uint16_t>(sample), 2);
  return out;
}

RemoteStt::RemoteStt(RemoteSttOptions options) : options_(std::move(options)) {
  if (options_.urls.empty()) {
    throw std::invalid_argument(
        fmt::format("{}: no STT server named (e.g. http://host:8080/stt)", kUrlKey));
  }
  for (const auto& url : options_.urls) {
    try {
      servers_.push_back(HttpUrl::parse(url));
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(fmt::format("{}: {}", kUrlKey, e.what()));
    }
  }
}

Transcript RemoteStt::transcribe(std::span<const std::int16_t> samples) {
  const auto wav = wav_bytes(samples);
  std::string failures;
  for (std::size_t i = 0; i < servers_.size(); ++i) {
    try {
      auto answer = transcribe_with(servers_[i], wav, options_);
      return {.text = std::string(skills::text::strip(answer)), .search = "remote"};
    } catch (const std::runtime_error& e) {  // the exchange's, or hark-tls.so missing
      failures += fmt::format("{}{}: {}", failures.empty() ? "" : "; ", options_.urls[i], e.what());
    }
  }
  throw SttError(fmt::format("no STT server answered ({})", failures));
}

}  // namespace hark::listener
