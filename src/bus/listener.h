// Accepts bus connections and hands each to a session: plain WebSocket, or TLS first.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <string>

#include "bus/hub.h"

namespace hark::bus {

// Starts the session of an accepted connection; `peer` is its address, for the logs.
using SessionStarter = std::function<void(boost::asio::ip::tcp::socket socket, std::string peer)>;

// WebSocket sessions on plain TCP.
SessionStarter plain_sessions(Hub& hub);

// TLS sessions with websocket.ssl_cert and ssl_key, from the TLS module (src/tls), which alone
// links OpenSSL; throws with the file or the module named on failure.
SessionStarter tls_sessions(Hub& hub, const BusSettings& settings);

class Listener {
 public:
  // Binds and listens at once; throws std::runtime_error with a clear message on failure.
  Listener(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint,
           SessionStarter start_session);

  void start() { accept(); }
  void stop();
  boost::asio::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }

 private:
  void accept();
  void on_accept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket);

  boost::asio::ip::tcp::acceptor acceptor_;
  SessionStarter start_session_;
  boost::asio::steady_timer retry_;
};

// Resolves websocket.host (an address or a name) to the endpoint to bind.
boost::asio::ip::tcp::endpoint resolve_bind_address(boost::asio::io_context& io,
                                                    const std::string& host, unsigned short port);

}  // namespace hark::bus
