// One bus connection, from the first byte of its HTTP upgrade to its close: handshake, frame
// parsing, and a bounded queue of shared frames written many at a time.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bus/frame.h"
#include "bus/handshake.h"
#include "bus/hub.h"

namespace hark::bus {

using TcpStream = boost::asio::ip::tcp::socket;

// What a connection does before its HTTP upgrade: nothing on plain TCP. The TLS module
// specializes it for its stream with the TLS handshake, so that the bus itself never links
// OpenSSL.
template <class Stream>
struct TransportHandshake {
  static constexpr const char* kName = "TCP";
  template <class Done>
  static void start(Stream&, Done&& done) {
    done(boost::system::error_code{});
  }
};

template <class Stream>
class Session final : public Client, public std::enable_shared_from_this<Session<Stream>> {
 public:
  Session(Stream stream, Hub& hub, std::string peer);
  ~Session() override;

  // Handshakes (the transport's first, see TransportHandshake), then relays frames until closed.
  void start();

  void deliver(const SharedFrame& frame) override;
  void close(CloseCode code, std::string_view reason) override;
  const std::string& peer() const override { return peer_; }

 private:
  friend class FrameParser;

  void read_request();
  void on_request(boost::system::error_code ec);
  void respond(Decision decision);
  void read_frames();
  void on_read(boost::system::error_code ec, std::size_t bytes);
  void feed(const char* data, std::size_t size);
  void enqueue(SharedFrame frame);
  void write_queued();
  void on_written(boost::system::error_code ec, std::size_t bytes);
  // Our close frame is out: stop sending, and give the peer a moment to hang up first.
  void linger();
  // Closes the socket at once and leaves the hub; what is still queued is dropped.
  void drop();

  // FrameParser events.
  void on_message(Opcode opcode, MessageBuffer&& message);
  void on_ping(std::string_view payload);
  void on_pong(std::string_view) {}
  void on_close(std::uint16_t code, std::string_view reason);
  void on_error(CloseCode code, std::string_view why);

  Stream stream_;
  Hub& hub_;
  std::string peer_;
  boost::asio::steady_timer handshake_timer_;  // then the close linger
  boost::beast::flat_buffer http_buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::empty_body>> request_;
  std::optional<HttpResponse> response_;

  FrameParser frames_;
  std::unique_ptr<char[]> read_buffer_;

  std::deque<SharedFrame> queue_;
  std::size_t queued_bytes_ = 0;
  std::size_t writing_ = 0;  // frames at the front of queue_ that the current write covers
  std::vector<boost::asio::const_buffer> gather_;

  bool attached_ = false;
  bool closing_ = false;  // a close frame is queued: nothing more is sent, reads are discarded
  bool dropped_ = false;
};

extern template class Session<TcpStream>;

}  // namespace hark::bus
