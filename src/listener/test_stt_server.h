// An OVOS STT server for the listener's tests: real HTTP on 127.0.0.1 (Beast), answering every
// request with one status and body, or never (silent), and keeping what it was sent.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <mutex>
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
  ~SttServer() {
    // A blocked accept() does not notice a close from another thread: a last connection wakes it.
    stopping_ = true;
    boost::system::error_code ignored;
    tcp::socket waker(io_);
    waker.connect(acceptor_.local_endpoint(), ignored);
    thread_.join();
  }

  std::string url(const std::string& path = "/stt") const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + path;
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
      boost::beast::flat_buffer buffer;
      boost::beast::http::request<boost::beast::http::string_body> request;
      boost::beast::http::read(socket, buffer, request, ec);
      if (ec) continue;
      {
        std::lock_guard hold(mutex_);
        seen_.push_back({std::string(request.method_string()), std::string(request.target()),
                         std::string(request[boost::beast::http::field::content_type]),
                         request.body()});
      }
      if (silent_) {
        held_.push_back(std::move(socket));
        continue;
      }
      boost::beast::http::response<boost::beast::http::string_body> response(status_, 11);
      response.body() = answer_;
      response.prepare_payload();
      boost::beast::http::write(socket, response, ec);
    }
  }

  boost::asio::io_context io_;
  tcp::acceptor acceptor_;
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
