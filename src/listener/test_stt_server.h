// An OVOS STT server for the listener's tests: real HTTP (or HTTPS, with a certificate given)
// on 127.0.0.1 (Beast), answering every request with one status and body, or never (silent),
// and keeping what it was sent.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace hark::listener::testing {

// What the server saw of one request.
struct SttRequest {
  std::string method;
  std::string target;
  std::string content_type;
  std::string body;
};

// The PEM files an HTTPS server presents.
struct Certificate {
  std::string cert_file;
  std::string key_file;
};

// Answers each connection with `status` and `answer`, or never (silent), on 127.0.0.1.
class SttServer {
  using tcp = boost::asio::ip::tcp;
  using status = boost::beast::http::status;

 public:
  SttServer(status answer_status, std::string answer, bool silent = false)
      : acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}),
        status_(answer_status),
        answer_(std::move(answer)),
        silent_(silent) {
    thread_ = std::thread([this] { serve(); });
  }
  SttServer(const Certificate& certificate, status answer_status, std::string answer)
      : acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}),
        tls_(std::in_place, boost::asio::ssl::context::tls_server),
        status_(answer_status),
        answer_(std::move(answer)),
        silent_(false) {
    tls_->use_certificate_chain_file(certificate.cert_file);
    tls_->use_private_key_file(certificate.key_file, boost::asio::ssl::context::pem);
    thread_ = std::thread([this] { serve(); });
  }
  ~SttServer() {
    // A blocked accept() does not notice a close from another thread: a last connection wakes it.
    stopping_ = true;
    boost::system::error_code ignored;
    tcp::socket waker(io_);
    waker.connect(acceptor_.local_endpoint(), ignored);
    thread_.join();
  }

  std::string url(const std::string& path = "/stt") const {
    return (tls_ ? "https" : "http") + std::string("://127.0.0.1:") +
           std::to_string(acceptor_.local_endpoint().port()) + path;
  }
  std::vector<SttRequest> seen() {
    std::lock_guard hold(mutex_);
    return seen_;
  }

 private:
  void serve() {
    for (;;) {
      boost::system::error_code ec;
      tcp::socket socket(io_);
      acceptor_.accept(socket, ec);
      if (ec || stopping_) return;
      if (!tls_) {
        if (answer(socket) && silent_) held_.push_back(std::move(socket));
        continue;
      }
      boost::asio::ssl::stream<tcp::socket&> secured(socket, *tls_);
      secured.handshake(boost::asio::ssl::stream_base::server, ec);
      if (!ec) answer(secured);
    }
  }

  // Reads one request from `stream` and answers it unless silent; false when nothing was read.
  template <class Stream>
  bool answer(Stream& stream) {
    boost::system::error_code ec;
    boost::beast::flat_buffer buffer;
    boost::beast::http::request<boost::beast::http::string_body> request;
    boost::beast::http::read(stream, buffer, request, ec);
    if (ec) return false;
    {
      std::lock_guard hold(mutex_);
      seen_.push_back({std::string(request.method_string()), std::string(request.target()),
                       std::string(request[boost::beast::http::field::content_type]),
                       request.body()});
    }
    if (silent_) return true;
    boost::beast::http::response<boost::beast::http::string_body> response(status_, 11);
    response.body() = answer_;
    response.prepare_payload();
    boost::beast::http::write(stream, response, ec);
    return true;
  }

  boost::asio::io_context io_;
  tcp::acceptor acceptor_;
  std::optional<boost::asio::ssl::context> tls_;
  status status_;
  std::string answer_;
  bool silent_;
  std::atomic<bool> stopping_ = false;
  std::mutex mutex_;
  std::vector<SttRequest> seen_;
  std::vector<tcp::socket> held_;
  std::thread thread_;
};

}  // namespace hark::listener::testing
