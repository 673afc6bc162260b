#include "listener/remote_stt.h"

#include <fmt/format.h>
#include <openssl/ssl.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <algorithm>
#include <cctype>
#include <optional>
#include <stdexcept>

#include "listener/audio_source.h"
#include "skills/text.h"

namespace hark::listener {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

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

// One POST on `stream` (connected, and secured when TLS), run to completion or to the deadline
// on `io`. Returns the answer's body; throws SttError saying what failed.
template <class Stream>
std::string exchange(asio::io_context& io, Stream& stream,
                     http::request<http::string_body>& request, const RemoteSttOptions& options) {
  http::response_parser<http::string_body> parser;
  parser.body_limit(options.max_answer_bytes);
  beast::flat_buffer buffer;
  beast::error_code failure;
  http::async_write(stream, request, [&](beast::error_code ec, std::size_t) {
    if (ec) {
      failure = ec;
      return;
    }
    http::async_read_header(stream, buffer, parser, [&](beast::error_code header_ec, std::size_t) {
      // Boost 1.74's parser checks body_limit against chunked bodies only when the header came
      // in a read of its own: the declared length is checked here.
      if (!header_ec && parser.content_length().value_or(0) > options.max_answer_bytes) {
        header_ec = http::error::body_limit;
      }
      if (header_ec) {
        failure = header_ec;
        return;
      }
      http::async_read(stream, buffer, parser,
                       [&](beast::error_code read_ec, std::size_t) { failure = read_ec; });
    });
  });
  io.run();
  if (failure) {
    throw SttError(failure == beast::error::timeout
                       ? "no answer in time"
                       : fmt::format("exchange failed: {}", failure.message()));
  }
  const auto& response = parser.get();
  if (response.result() != http::status::ok) {
    throw SttError(fmt::format("answered {} {}: {}", response.result_int(),
                               std::string(response.reason()), response.body().substr(0, 200)));
  }
  return response.body();
}

std::string transcribe_with(const HttpUrl& url, const std::string& wav,
                            const RemoteSttOptions& options, asio::ssl::context* tls) {
  asio::io_context io;
  beast::tcp_stream tcp_stream(io);
  tcp_stream.expires_after(options.timeout);
  tcp::resolver resolver(io);
  beast::error_code failure;
  resolver.async_resolve(
      url.host, url.port, [&](beast::error_code ec, tcp::resolver::results_type found) {
        if (ec) {
          failure = ec;
          return;
        }
        tcp_stream.async_connect(found, [&](beast::error_code connect_ec, const tcp::endpoint&) {
          failure = connect_ec;
        });
      });
  io.run();
  if (failure) throw SttError(fmt::format("cannot connect: {}", failure.message()));
  io.restart();

  const auto target = url.target + (url.target.find('?') == std::string::npos ? "?" : "&") +
                      "lang=" + percent_encode(options.lang);
  http::request<http::string_body> request(http::verb::post, target, 11);
  request.set(http::field::host, url.host);
  request.set(http::field::user_agent, "hark-listener");
  request.set(http::field::content_type, "audio/wav");
  request.body() = wav;
  request.prepare_payload();

  if (!tls) return exchange(io, tcp_stream, request, options);

  beast::ssl_stream<beast::tcp_stream&> secured(tcp_stream, *tls);
  // Server Name Indication. (SSL_set_tlsext_host_name spelled out: its macro's C cast trips
  // -Wold-style-cast.)
  if (!SSL_ctrl(secured.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                const_cast<char*>(url.host.c_str()))) {
    throw SttError("cannot set the TLS server name");
  }
  if (options.verify_ssl) secured.set_verify_callback(asio::ssl::host_name_verification(url.host));
  secured.async_handshake(asio::ssl::stream_base::client,
                          [&](beast::error_code ec) { failure = ec; });
  io.run();
  if (failure) throw SttError(fmt::format("TLS handshake failed: {}", failure.message()));
  io.restart();
  return exchange(io, secured, request, options);
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
  std::optional<asio::ssl::context> tls;
  std::string failures;
  for (std::size_t i = 0; i < servers_.size(); ++i) {
    const auto& server = servers_[i];
    try {
      if (server.tls && !tls) {
        tls.emplace(asio::ssl::context::tls_client);
        tls->set_default_verify_paths();
        tls->set_verify_mode(options_.verify_ssl ? asio::ssl::verify_peer : asio::ssl::verify_none);
      }
      auto answer = transcribe_with(server, wav, options_, server.tls ? &*tls : nullptr);
      return {.text = std::string(skills::text::strip(answer)), .search = "remote"};
    } catch (const SttError& e) {
      failures += fmt::format("{}{}: {}", failures.empty() ? "" : "; ", options_.urls[i], e.what());
    }
  }
  throw SttError(fmt::format("no STT server answered ({})", failures));
}

}  // namespace hark::listener
