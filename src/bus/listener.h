// Accepts bus connections (plain or TLS) and hands each to a Session.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <optional>

#include "bus/hub.h"

namespace hark::bus {

class Listener {
 public:
  // Binds and listens at once; throws std::runtime_error with a clear message on failure.
  Listener(boost::asio::io_context& io, Hub& hub, const boost::asio::ip::tcp::endpoint& endpoint,
           std::optional<boost::asio::ssl::context> tls);

  void start() { accept(); }
  void stop();
  boost::asio::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }

 private:
  void accept();
  void on_accept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket);

  Hub& hub_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::optional<boost::asio::ssl::context> tls_;
  boost::asio::steady_timer retry_;
};

// The TLS context for websocket.ssl_cert and ssl_key; throws with the file named on failure.
boost::asio::ssl::context make_tls_context(const BusSettings& settings);

// Resolves websocket.host (an address or a name) to the endpoint to bind.
boost::asio::ip::tcp::endpoint resolve_bind_address(boost::asio::io_context& io,
                                                    const std::string& host, unsigned short port);

}  // namespace hark::bus
