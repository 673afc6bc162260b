// One HTTP/1.1 POST and its answer, for a client of another service (the listener's remote speech
// to text): over plain TCP in its user, over TLS in hark-tls.so (which is loaded only for an
// https:// server, so that OpenSSL costs nothing to a process that never uses it). Header-only,
// since both instantiate it; each side keeps its own io_context and sockets, since two copies of
// Asio must never share one.
#pragma once

#include <fmt/format.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <cstddef>
#include <stdexcept>
#include <string>

namespace hark {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;

// What to send, where, and how long to wait.
struct HttpPost {
  std::string host;
  std::string port;
  std::string target;  // path and query
  std::string content_type;
  std::string body;
  std::string user_agent = "hark";
  std::chrono::milliseconds timeout{5000};  // for the whole exchange
  std::size_t max_answer_bytes = 64 * 1024;
};

// Writes `request` on `stream` and reads the answer, running `io` until both are done or the
// stream's deadline passes. Returns the body of a 200 answer; throws std::runtime_error saying
// what failed (no answer in time, another status with the start of its body, an answer longer
// than `max_answer_bytes`).
template <class Stream>
std::string exchange_http(boost::asio::io_context& io, Stream& stream, HttpRequest& request,
                          std::size_t max_answer_bytes) {
  namespace beast = boost::beast;
  namespace http = beast::http;
  http::response_parser<http::string_body> parser;
  parser.body_limit(max_answer_bytes);
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
      if (!header_ec && parser.content_length().value_or(0) > max_answer_bytes) {
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
    throw std::runtime_error(failure == beast::error::timeout
                                 ? "no answer in time"
                                 : fmt::format("exchange failed: {}", failure.message()));
  }
  const auto& response = parser.get();
  if (response.result() != http::status::ok) {
    throw std::runtime_error(fmt::format("answered {} {}: {}", response.result_int(),
                                         std::string(response.reason()),
                                         response.body().substr(0, 200)));
  }
  return response.body();
}

// Connects to `post`'s server and returns talk(io, stream, request): the answer's body. Throws
// std::runtime_error when it cannot connect, or as `talk` does.
template <class Talk>
std::string post_http(const HttpPost& post, Talk&& talk) {
  namespace beast = boost::beast;
  namespace http = beast::http;
  using tcp = boost::asio::ip::tcp;
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(post.timeout);
  tcp::resolver resolver(io);
  beast::error_code failure;
  resolver.async_resolve(
      post.host, post.port, [&](beast::error_code ec, tcp::resolver::results_type found) {
        if (ec) {
          failure = ec;
          return;
        }
        stream.async_connect(found, [&](beast::error_code connect_ec, const tcp::endpoint&) {
          failure = connect_ec;
        });
      });
  io.run();
  if (failure) throw std::runtime_error(fmt::format("cannot connect: {}", failure.message()));
  io.restart();

  HttpRequest request(http::verb::post, post.target, 11);
  request.set(http::field::host, post.host);
  request.set(http::field::user_agent, post.user_agent);
  request.set(http::field::content_type, post.content_type);
  request.body() = post.body;
  request.prepare_payload();
  return talk(io, stream, request);
}

// hark-tls.so's entry (hark_tls_https_post): post_http over TLS, checking the server's
// certificate and name against the system's trusted certificates when `verify`. Throws
// std::runtime_error as post_http and exchange_http do, and when the handshake fails.
using HttpsPost = void(const HttpPost& post, bool verify, std::string& answer);

}  // namespace hark
