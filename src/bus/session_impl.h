// The definitions of Session's members, for the files that instantiate it: session.cpp for plain
// TCP, the TLS module (src/tls) for its stream.
#pragma once

#include "bus/session.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace hark::bus {
namespace asio = boost::asio;
namespace http = boost::beast::http;

inline constexpr std::size_t kReadBufferBytes = 64 * 1024;
inline constexpr std::size_t kMaxRequestBytes = 16 * 1024;
// asio hands at most 64 buffers to one sendmsg; beyond ~256 KiB a write is big enough.
inline constexpr std::size_t kMaxGatherFrames = 64;
inline constexpr std::size_t kMaxGatherBytes = 256 * 1024;
// After our close frame, how long the peer has to finish what it was sending and hang up. Until
// then its bytes are read and thrown away: closing the socket on unread data would reset the
// connection and the peer would never see why it was closed.
inline constexpr auto kCloseLinger = std::chrono::seconds(3);

template <class Stream>
Session<Stream>::Session(Stream stream, Hub& hub, std::string peer)
    : stream_(std::move(stream)),
      hub_(hub),
      peer_(std::move(peer)),
      handshake_timer_(stream_.get_executor()),
      http_buffer_(kMaxRequestBytes),
      frames_(hub.settings().max_message_bytes) {
  hub_.session_opened();
}

template <class Stream>
Session<Stream>::~Session() {
  if (attached_ && !dropped_) hub_.detach(*this);
  hub_.session_closed();
}

template <class Stream>
void Session<Stream>::start() {
  handshake_timer_.expires_after(hub_.settings().handshake_timeout);
  handshake_timer_.async_wait([weak = this->weak_from_this()](boost::system::error_code ec) {
    if (ec) return;
    if (auto self = weak.lock(); self && !self->attached_) {
      ++self->hub_.stats().connections_refused;
      self->drop();
    }
  });
  TransportHandshake<Stream>::start(stream_, [self = this->shared_from_this()](
                                                 boost::system::error_code ec) {
    if (ec) {
      ++self->hub_.stats().connections_refused;
      self->hub_.warn_client(*self, fmt::format("failed the {} handshake: {}",
                                                TransportHandshake<Stream>::kName, ec.message()));
      return self->drop();
    }
    self->read_request();
  });
}

template <class Stream>
void Session<Stream>::read_request() {
  request_.emplace();
  request_->header_limit(kMaxRequestBytes);
  request_->body_limit(0);
  http::async_read(stream_, http_buffer_, *request_,
                   [self = this->shared_from_this()](boost::system::error_code ec, std::size_t) {
                     self->on_request(ec);
                   });
}

template <class Stream>
void Session<Stream>::on_request(boost::system::error_code ec) {
  if (ec) {
    if (ec != asio::error::operation_aborted && ec != http::error::end_of_stream) {
      ++hub_.stats().connections_refused;
      hub_.warn_client(*this, "sent an unreadable HTTP request: " + ec.message());
    }
    return drop();
  }
  HandshakePolicy policy{hub_.settings().route, hub_.settings().token, hub_.has_room()};
  Decision decision = decide(request_->get(), policy);
  switch (decision.verdict) {
    case Verdict::upgrade:
      break;
    case Verdict::status:
      decision.response.body() = json_dump(hub_.stats_json()) + "\n";
      decision.response.prepare_payload();
      break;
    case Verdict::unauthorized:
      ++hub_.stats().auth_failures;
      hub_.warn_client(*this, "presented no valid token");
      break;
    case Verdict::refused:
      ++hub_.stats().connections_refused;
      break;
  }
  respond(std::move(decision));
}

template <class Stream>
void Session<Stream>::respond(Decision decision) {
  const bool upgrade = decision.verdict == Verdict::upgrade;
  response_.emplace(std::move(decision.response));
  http::async_write(
      stream_, *response_,
      [self = this->shared_from_this(), upgrade](boost::system::error_code ec, std::size_t) {
        self->response_.reset();
        if (ec || !upgrade) return self->drop();
        self->handshake_timer_.cancel();
        self->request_.reset();
        self->attached_ = true;
        ++self->hub_.stats().connections_accepted;
        self->hub_.attach(*self);
        self->enqueue(self->hub_.connected_frame());
        // Frames the client sent right behind its request are already in the HTTP buffer.
        auto pending = self->http_buffer_.data();
        self->feed(static_cast<const char*>(pending.data()), pending.size());
        self->http_buffer_ = boost::beast::flat_buffer{};
        self->read_buffer_ = std::make_unique_for_overwrite<char[]>(kReadBufferBytes);
        self->read_frames();
      });
}

template <class Stream>
void Session<Stream>::read_frames() {
  if (dropped_) return;
  stream_.async_read_some(
      asio::buffer(read_buffer_.get(), kReadBufferBytes),
      [self = this->shared_from_this()](boost::system::error_code ec, std::size_t bytes) {
        self->on_read(ec, bytes);
      });
}

template <class Stream>
void Session<Stream>::on_read(boost::system::error_code ec, std::size_t bytes) {
  if (ec) return drop();
  hub_.stats().bytes_received += bytes;
  if (!closing_) feed(read_buffer_.get(), bytes);
  read_frames();
}

template <class Stream>
void Session<Stream>::feed(const char* data, std::size_t size) {
  // A live change of websocket.max_msg_size applies from the next frame on.
  frames_.set_max_message_size(hub_.settings().max_message_bytes);
  frames_.feed(data, size, *this);
}

template <class Stream>
void Session<Stream>::on_message(Opcode opcode, MessageBuffer&& message) {
  if (closing_ || dropped_) return;
  hub_.on_message(*this, opcode, std::move(message));
}

template <class Stream>
void Session<Stream>::on_ping(std::string_view payload) {
  if (!closing_) enqueue(make_frame(Opcode::pong, payload));
}

template <class Stream>
void Session<Stream>::on_close(std::uint16_t code, std::string_view) {
  // Echo the peer's code (RFC 6455 §5.5.1); 1005 means it gave none, which may not be sent.
  const auto reply = code == 1005 ? CloseCode::normal : static_cast<CloseCode>(code);
  close(reply, "");
}

template <class Stream>
void Session<Stream>::on_error(CloseCode code, std::string_view why) {
  if (code == CloseCode::too_big) {
    ++hub_.stats().oversized_frames;
    hub_.warn_client(*this, fmt::format("sent a message over websocket.max_msg_size ({} bytes): "
                                        "closing it with 1009",
                                        hub_.settings().max_message_bytes));
  } else {
    ++hub_.stats().protocol_errors;
    hub_.warn_client(*this, fmt::format("broke the WebSocket protocol ({}): closing it", why));
  }
  close(code, why);
}

template <class Stream>
void Session<Stream>::deliver(const SharedFrame& frame) {
  if (closing_ || dropped_) return;
  if (queued_bytes_ + frame->size() > hub_.settings().max_client_queue_bytes) {
    // Drop later: the hub is iterating over its clients right now.
    closing_ = true;
    ++hub_.stats().slow_clients_dropped;
    hub_.warn_client(*this, fmt::format("is not reading: {} bytes waiting, over "
                                        "websocket.max_client_queue; dropping it",
                                        queued_bytes_));
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] { self->drop(); });
    return;
  }
  enqueue(frame);
}

template <class Stream>
void Session<Stream>::close(CloseCode code, std::string_view reason) {
  if (closing_ || dropped_) return;
  closing_ = true;
  if (attached_) hub_.detach(*this);
  enqueue(make_close_frame(code, reason));
}

template <class Stream>
void Session<Stream>::enqueue(SharedFrame frame) {
  queued_bytes_ += frame->size();
  queue_.push_back(std::move(frame));
  write_queued();
}

template <class Stream>
void Session<Stream>::write_queued() {
  if (writing_ > 0 || queue_.empty() || dropped_) return;
  gather_.clear();
  std::size_t bytes = 0;
  for (const auto& frame : queue_) {
    if (gather_.size() == kMaxGatherFrames || bytes >= kMaxGatherBytes) break;
    gather_.emplace_back(frame->bytes().data(), frame->size());
    bytes += frame->size();
  }
  writing_ = gather_.size();
  asio::async_write(
      stream_, gather_,
      [self = this->shared_from_this()](boost::system::error_code ec, std::size_t written) {
        self->on_written(ec, written);
      });
}

template <class Stream>
void Session<Stream>::on_written(boost::system::error_code ec, std::size_t bytes) {
  if (ec) return drop();
  hub_.stats().bytes_sent += bytes;
  for (; writing_ > 0; --writing_) {
    queued_bytes_ -= queue_.front()->size();
    queue_.pop_front();
  }
  if (queue_.empty() && closing_) return linger();  // the close frame went out last
  write_queued();
}

template <class Stream>
void Session<Stream>::linger() {
  boost::system::error_code ignored;
  boost::beast::get_lowest_layer(stream_).shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  handshake_timer_.expires_after(kCloseLinger);
  handshake_timer_.async_wait([self = this->shared_from_this()](boost::system::error_code ec) {
    if (!ec) self->drop();
  });
}

template <class Stream>
void Session<Stream>::drop() {
  if (dropped_) return;
  dropped_ = true;
  closing_ = true;
  if (attached_) hub_.detach(*this);
  handshake_timer_.cancel();
  boost::system::error_code ignored;
  auto& socket = boost::beast::get_lowest_layer(stream_);
  socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
  // A write in flight still points into the queue's frames; they go with the session.
  if (writing_ == 0) {
    queue_.clear();
    queued_bytes_ = 0;
  }
}

}  // namespace hark::bus
