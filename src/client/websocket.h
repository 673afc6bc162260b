// The bus client's WebSocket, on plain TCP (here) or over TLS (the TLS module, src/tls), behind
// one interface: a client of a ws:// bus, which is every Hark service by default, then never
// loads OpenSSL.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <functional>
#include <memory>
#include <string>

namespace hark::client {

// What the client sets on each connection.
struct WebSocketOptions {
  boost::beast::websocket::stream_base::timeout timeouts;
  std::function<void(boost::beast::websocket::request_type&)> decorate;
  std::size_t max_message_bytes = 0;
};

class WebSocket {
 public:
  using Done = std::function<void(boost::system::error_code)>;
  using Transferred = std::function<void(boost::system::error_code, std::size_t)>;

  virtual ~WebSocket() = default;

  virtual boost::beast::tcp_stream& tcp() = 0;
  // After the TCP connect: the transport's own handshake (TLS: server name and certificate
  // checks); plain TCP has none and completes at once.
  virtual void async_secure(const std::string& host, Done done) = 0;
  virtual void async_upgrade(const WebSocketOptions& options,
                             boost::beast::websocket::response_type& response,
                             const std::string& host, const std::string& target, Done done) = 0;
  virtual void async_read(boost::beast::flat_buffer& buffer, Transferred done) = 0;
  virtual void async_write_text(boost::asio::const_buffer text, Transferred done) = 0;
  virtual void async_close(Done done) = 0;
  // Why the peer closed, after a read ended with websocket::error::closed.
  virtual boost::beast::websocket::close_reason reason() const = 0;
};

// Makes the WebSocket of each connection attempt.
using WebSocketFactory = std::function<std::unique_ptr<WebSocket>(boost::asio::io_context& io)>;

WebSocketFactory plain_websockets();

// TLS WebSockets that trust the system's certificates, plus `ca_file` when given (a local bus's
// self-signed certificate); from the TLS module. Throws std::runtime_error naming the file or
// the module on failure.
WebSocketFactory tls_websockets(const std::string& ca_file);

// Beast's WebSocket stream over `NextLayer`; the TLS module derives from it for its stream.
template <class NextLayer>
class BeastWebSocket : public WebSocket {
 public:
  template <class... Args>
  explicit BeastWebSocket(Args&&... args) : ws_(std::forward<Args>(args)...) {}

  boost::beast::tcp_stream& tcp() override { return boost::beast::get_lowest_layer(ws_); }

  void async_secure(const std::string&, Done done) override { done({}); }

  void async_upgrade(const WebSocketOptions& options,
                     boost::beast::websocket::response_type& response, const std::string& host,
                     const std::string& target, Done done) override {
    // From here on the WebSocket's own timeouts apply.
    tcp().expires_never();
    ws_.set_option(options.timeouts);
    ws_.set_option(boost::beast::websocket::stream_base::decorator(options.decorate));
    ws_.read_message_max(options.max_message_bytes);
    ws_.async_handshake(response, host, target, std::move(done));
  }

  void async_read(boost::beast::flat_buffer& buffer, Transferred done) override {
    ws_.async_read(buffer, std::move(done));
  }

  void async_write_text(boost::asio::const_buffer text, Transferred done) override {
    ws_.text(true);
    ws_.async_write(text, std::move(done));
  }

  void async_close(Done done) override {
    ws_.async_close(boost::beast::websocket::close_code::normal, std::move(done));
  }

  boost::beast::websocket::close_reason reason() const override { return ws_.reason(); }

 protected:
  boost::beast::websocket::stream<NextLayer> ws_;
};

}  // namespace hark::client
