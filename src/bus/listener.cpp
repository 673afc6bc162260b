#include "bus/listener.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/ip/address.hpp>

#include <stdexcept>

#include "bus/session.h"
#include "core/module.h"

namespace hark::bus {
namespace asio = boost::asio;
using asio::ip::tcp;

tcp::endpoint resolve_bind_address(asio::io_context& io, const std::string& host,
                                   unsigned short port) {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (!ec) return {address, port};
  tcp::resolver resolver(io);
  auto results = resolver.resolve(host, std::to_string(port), tcp::resolver::passive, ec);
  if (ec || results.empty()) {
    throw std::runtime_error(
        fmt::format("websocket.host '{}' is neither an address nor a name that resolves: {}", host,
                    ec ? ec.message() : "no addresses"));
  }
  return results.begin()->endpoint();
}

SessionStarter plain_sessions(Hub& hub) {
  return [&hub](tcp::socket socket, std::string peer) {
    std::make_shared<Session<TcpStream>>(std::move(socket), hub, std::move(peer))->start();
  };
}

SessionStarter tls_sessions(Hub& hub, const BusSettings& settings) {
  // The module's sessions log through the bus's logger: it has its own copy of spdlog.
  using Entry = void(Hub&, const BusSettings&, std::shared_ptr<spdlog::logger>, SessionStarter&);
  SessionStarter starter;
  module_function<Entry>("tls", "hark_tls_sessions")(hub, settings, spdlog::default_logger(),
                                                     starter);
  return starter;
}

Listener::Listener(asio::io_context& io, const tcp::endpoint& endpoint,
                   SessionStarter start_session)
    : acceptor_(io), start_session_(std::move(start_session)), retry_(io) {
  boost::system::error_code ec;
  auto fail = [&](std::string_view step) {
    throw std::runtime_error(fmt::format("cannot {} {}:{}: {}", step,
                                         endpoint.address().to_string(), endpoint.port(),
                                         ec.message()));
  };
  acceptor_.open(endpoint.protocol(), ec);
  if (ec) fail("open a socket for");
  // A restarted bus must not wait for the old connections' TIME_WAIT to expire.
  acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (ec) fail("configure");
  acceptor_.bind(endpoint, ec);
  if (ec) fail("listen on");
  // The largest backlog the kernel allows: a hundred clients connecting at once are all
  // accepted (OVOS's C++ bus listens with a backlog of 0 and drops many).
  acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) fail("listen on");
}

void Listener::stop() {
  boost::system::error_code ignored;
  retry_.cancel();
  acceptor_.close(ignored);
}

void Listener::accept() {
  acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
    on_accept(ec, std::move(socket));
  });
}

void Listener::on_accept(boost::system::error_code ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted) return;
  if (ec) {
    // Out of file descriptors and the like: say so, and try again shortly rather than spin.
    spdlog::error("cannot accept a connection: {}", ec.message());
    retry_.expires_after(std::chrono::milliseconds(100));
    retry_.async_wait([this](boost::system::error_code wait_ec) {
      if (!wait_ec) accept();
    });
    return;
  }
  boost::system::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  socket.set_option(asio::socket_base::keep_alive(true), ignored);
  auto remote = socket.remote_endpoint(ignored);
  std::string peer = fmt::format("{}:{}", remote.address().to_string(), remote.port());
  start_session_(std::move(socket), std::move(peer));
  accept();
}

}  // namespace hark::bus
