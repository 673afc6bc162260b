#include "supervisor/control.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <deque>
#include <stdexcept>

#include "core/lock_file.h"
#include "supervisor/lines.h"
#include "supervisor/log_hub.h"
#include "supervisor/supervisor.h"

namespace hark::supervisor {
namespace asio = boost::asio;
using local = asio::local::stream_protocol;

namespace {

constexpr std::size_t kMaxRequestBytes = 4096;
// A follower that falls this far behind is dropped rather than held in memory.
constexpr std::size_t kMaxFollowerBacklogBytes = 1 << 20;

// One control connection. Writes go through a queue, one in flight at a time.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(local::socket socket, Supervisor& supervisor, LogHub& logs)
      : socket_(std::move(socket)), supervisor_(supervisor), logs_(logs) {}

  void start() {
    auto self = shared_from_this();
    asio::async_read_until(socket_, asio::dynamic_buffer(request_, kMaxRequestBytes), '\n',
                           [self](boost::system::error_code ec, std::size_t n) {
                             if (!ec) self->handle(self->request_.substr(0, n));
                           });
  }

 private:
  void handle(const std::string& text) {
    Json request = Json::parse(text, nullptr, false);
    if (!request.is_object()) return answer({{"error", "the request is not a JSON object"}});
    std::string command = request.value("command", "");
    if (command == "status") return answer(supervisor_.status());
    if (command == "restart") {
      std::string problem = supervisor_.restart(request.value("service", ""));
      return answer(problem.empty() ? Json{{"ok", true}} : Json{{"error", problem}});
    }
    if (command == "logs") {
      std::string service = request.value("service", "");
      for (const auto& line : logs_.backlog(service)) send(line + '\n');
      if (request.value("follow", false)) {
        std::weak_ptr<Session> weak = shared_from_this();
        logs_.follow(service, [weak, executor = socket_.get_executor()](const std::string& line) {
          auto self = weak.lock();
          if (!self || self->dropped_) return false;
          asio::post(executor, [self, text = line + '\n'] { self->send(text); });
          return true;
        });
        watch_hangup();
      } else {
        send_then_close();
      }
      return;
    }
    answer({{"error", fmt::format("unknown command '{}' (status, restart, logs)", command)}});
  }

  void answer(const Json& reply) {
    send(reply.dump() + '\n');
    send_then_close();
  }

  void send(std::string text) {
    if (dropped_) return;
    queued_bytes_ += text.size();
    if (queued_bytes_ > kMaxFollowerBacklogBytes) {
      dropped_ = true;
      boost::system::error_code ignored;
      socket_.close(ignored);
      return;
    }
    queue_.push_back(std::move(text));
    if (queue_.size() == 1) write_next();
  }

  void send_then_close() {
    closing_ = true;
    if (queue_.empty()) close();
  }

  void write_next() {
    auto self = shared_from_this();
    asio::async_write(socket_, asio::buffer(queue_.front()),
                      [self](boost::system::error_code ec, std::size_t) {
                        self->queued_bytes_ -= self->queue_.front().size();
                        self->queue_.pop_front();
                        if (ec) {
                          self->dropped_ = true;
                          return;
                        }
                        if (!self->queue_.empty()) return self->write_next();
                        if (self->closing_) self->close();
                      });
  }

  // A following client says nothing more; a read that ends means it has gone.
  void watch_hangup() {
    auto self = shared_from_this();
    socket_.async_wait(local::socket::wait_read, [self](boost::system::error_code) {
      self->dropped_ = true;
      boost::system::error_code ignored;
      self->socket_.close(ignored);
    });
  }

  void close() {
    boost::system::error_code ignored;
    socket_.shutdown(local::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  local::socket socket_;
  Supervisor& supervisor_;
  LogHub& logs_;
  std::string request_;
  std::deque<std::string> queue_;
  std::size_t queued_bytes_ = 0;
  bool closing_ = false;
  std::atomic<bool> dropped_ = false;
};

}  // namespace

std::filesystem::path control_socket_path(unsigned short bus_port) {
  return LockFile::runtime_dir() / fmt::format("up-{}.sock", bus_port);
}

struct ControlServer::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::io_context& io, const std::filesystem::path& socket_path, Supervisor& s, LogHub& l)
      : acceptor(io), supervisor(s), logs(l), path(socket_path) {
    std::error_code stale;
    std::filesystem::remove(path, stale);
    acceptor.open(local());
    acceptor.bind(local::endpoint(path.string()));
    ::chmod(path.c_str(), 0600);
    acceptor.listen();
  }

  void accept() {
    std::weak_ptr<Impl> weak = shared_from_this();
    acceptor.async_accept([weak](boost::system::error_code ec, local::socket socket) {
      auto self = weak.lock();
      if (!self || ec == asio::error::operation_aborted) return;
      if (!ec) std::make_shared<Session>(std::move(socket), self->supervisor, self->logs)->start();
      self->accept();
    });
  }

  local::acceptor acceptor;
  Supervisor& supervisor;
  LogHub& logs;
  std::filesystem::path path;
};

ControlServer::ControlServer(asio::io_context& io, const std::filesystem::path& path,
                             Supervisor& supervisor, LogHub& logs)
    : impl_(std::make_shared<Impl>(io, path, supervisor, logs)) {
  impl_->accept();
}

ControlServer::~ControlServer() {
  boost::system::error_code ignored;
  impl_->acceptor.close(ignored);
  std::error_code gone;
  std::filesystem::remove(impl_->path, gone);
}

void control_request(const std::filesystem::path& path, const Json& request,
                     const std::function<void(const std::string& line)>& on_line) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error(fmt::format("socket: {}", std::strerror(errno)));
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::string text = path.string();
  if (text.size() >= sizeof address.sun_path) {
    ::close(fd);
    throw std::runtime_error(fmt::format("socket path too long: {}", text));
  }
  std::memcpy(address.sun_path, text.c_str(), text.size() + 1);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    int error = errno;
    ::close(fd);
    throw std::runtime_error(
        fmt::format("no hark up answers at {}: {}", text, std::strerror(error)));
  }
  std::string line = request.dump() + '\n';
  if (::send(fd, line.data(), line.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(line.size())) {
    int error = errno;
    ::close(fd);
    throw std::runtime_error(fmt::format("cannot send to {}: {}", text, std::strerror(error)));
  }
  read_lines(fd, on_line);
  ::close(fd);
}

}  // namespace hark::supervisor
