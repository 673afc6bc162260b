// hark-tls.so: TLS for the bus (websocket.ssl), for its clients (wss://) and for the listener's
// STT servers (https://), the only part of Hark that links OpenSSL, loaded only where TLS is
// used (src/core/module.h).
#include <fmt/format.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <spdlog/spdlog.h>

#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <stdexcept>

#include "bus/listener.h"
#include "bus/session.h"
#include "client/websocket.h"
#include "core/http_post.h"

namespace hark {
namespace asio = boost::asio;
namespace beast = boost::beast;
using TlsStream = asio::ssl::stream<asio::ip::tcp::socket>;

namespace bus {

template <>
struct TransportHandshake<TlsStream> {
  static constexpr const char* kName = "TLS";
  template <class Done>
  static void start(TlsStream& stream, Done&& done) {
    stream.async_handshake(asio::ssl::stream_base::server, std::forward<Done>(done));
  }
};

}  // namespace bus
}  // namespace hark

// After the specialization: Session<TlsStream> uses it.
#include "bus/session_impl.h"

namespace hark {
namespace {

asio::ssl::context server_context(const bus::BusSettings& settings) {
  asio::ssl::context context(asio::ssl::context::tls_server);
  context.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                      asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                      asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
  boost::system::error_code ec;
  context.use_certificate_chain_file(settings.ssl_cert, ec);
  if (ec) {
    throw std::runtime_error(
        fmt::format("websocket.ssl_cert '{}': {}", settings.ssl_cert, ec.message()));
  }
  context.use_private_key_file(settings.ssl_key, asio::ssl::context::pem, ec);
  if (ec) {
    throw std::runtime_error(
        fmt::format("websocket.ssl_key '{}': {}", settings.ssl_key, ec.message()));
  }
  return context;
}

asio::ssl::context client_context(const std::string& ca_file) {
  asio::ssl::context context(asio::ssl::context::tls_client);
  context.set_verify_mode(asio::ssl::verify_peer);
  context.set_default_verify_paths();
  if (!ca_file.empty()) {
    boost::system::error_code ec;
    context.load_verify_file(ca_file, ec);
    if (ec) {
      throw std::invalid_argument(
          fmt::format("cannot load certificates from {}: {}", ca_file, ec.message()));
    }
    // A local bus's self-signed certificate is its own trust anchor.
    X509_STORE_set_flags(SSL_CTX_get_cert_store(context.native_handle()),
                         X509_V_FLAG_PARTIAL_CHAIN);
  }
  return context;
}

// Server Name Indication, so a server behind a proxy with several names picks the right one.
// (SSL_set_tlsext_host_name spelled out: the macro's C cast trips -Wold-style-cast.)
bool name_server(SSL* tls, const std::string& host) {
  return SSL_ctrl(tls, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                  const_cast<char*>(host.c_str())) != 0;
}

class TlsWebSocket final : public client::BeastWebSocket<beast::ssl_stream<beast::tcp_stream>> {
 public:
  TlsWebSocket(asio::io_context& io, asio::ssl::context& context) : BeastWebSocket(io, context) {}

  void async_secure(const std::string& host, Done done) override {
    auto& tls = ws_.next_layer();
    if (!name_server(tls.native_handle(), host)) return done(asio::error::invalid_argument);
    tls.set_verify_callback(asio::ssl::host_name_verification(host));
    tls.async_handshake(asio::ssl::stream_base::client, std::move(done));
  }
};

}  // namespace
}  // namespace hark

extern "C" __attribute__((visibility("default"))) void hark_tls_sessions(
    hark::bus::Hub& hub, const hark::bus::BusSettings& settings,
    std::shared_ptr<spdlog::logger> logger, hark::bus::SessionStarter& starter) {
  spdlog::set_default_logger(std::move(logger));
  auto context = std::make_shared<hark::asio::ssl::context>(hark::server_context(settings));
  starter = [&hub, context](hark::asio::ip::tcp::socket socket, std::string peer) {
    std::make_shared<hark::bus::Session<hark::TlsStream>>(
        hark::TlsStream(std::move(socket), *context), hub, std::move(peer))
        ->start();
  };
}

extern "C" __attribute__((visibility("default"))) void hark_tls_websockets(
    const std::string& ca_file, hark::client::WebSocketFactory& factory) {
  auto context = std::make_shared<hark::asio::ssl::context>(hark::client_context(ca_file));
  factory = [context](hark::asio::io_context& io) -> std::unique_ptr<hark::client::WebSocket> {
    return std::make_unique<hark::TlsWebSocket>(io, *context);
  };
}

extern "C" __attribute__((visibility("default"))) void hark_tls_https_post(
    const hark::HttpPost& post, bool verify, std::string& answer) {
  namespace asio = hark::asio;
  namespace beast = hark::beast;
  answer = hark::post_http(
      post, [&](asio::io_context& io, beast::tcp_stream& stream, hark::HttpRequest& request) {
        asio::ssl::context context(asio::ssl::context::tls_client);
        context.set_default_verify_paths();
        context.set_verify_mode(verify ? asio::ssl::verify_peer : asio::ssl::verify_none);
        beast::ssl_stream<beast::tcp_stream&> secured(stream, context);
        if (!hark::name_server(secured.native_handle(), post.host)) {
          throw std::runtime_error("cannot set the TLS server name");
        }
        if (verify) secured.set_verify_callback(asio::ssl::host_name_verification(post.host));
        beast::error_code failure;
        secured.async_handshake(asio::ssl::stream_base::client,
                                [&](beast::error_code ec) { failure = ec; });
        io.run();
        if (failure) {
          throw std::runtime_error(fmt::format("TLS handshake failed: {}", failure.message()));
        }
        io.restart();
        return hark::exchange_http(io, secured, request, post.max_answer_bytes);
      });
}
