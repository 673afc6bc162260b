#include "client/bus_client.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <vector>

#include "client/websocket.h"
#include "config/config.h"
#include "core/log.h"
#include "core/module.h"

namespace hark::client {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using boost::system::error_code;

constexpr double kMiB = 1024.0 * 1024.0;
// A bus that stops answering (a half-open TCP connection after a crash or network loss) is
// noticed within this time: a ping goes out after half of it, and silence after that ends the
// connection.
constexpr std::chrono::seconds kIdleTimeout{20};
constexpr std::chrono::seconds kStopFlushLimit{1};

// "Connection refused" reads as part of a sentence: "cannot reach ...: connection refused".
std::string describe(const error_code& ec) {
  if (ec == beast::error::timeout) return "timed out";
  std::string text = ec.message();
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

std::string host_for_url(const std::string& host) {
  return host.find(':') != std::string::npos ? fmt::format("[{}]", host) : host;
}

// OVOS reads a message without a session as belonging to the device's own "default" session.
std::string session_id_of(const Message& message) {
  const Json& context = message.context();
  auto session = context.find("session");
  if (session != context.end() && session->is_object()) {
    auto id = session->find("session_id");
    if (id != session->end() && id->is_string()) return id->get<std::string>();
  }
  return "default";
}

bool has_session_id(const Message& message) {
  const Json* id = config::find_path(message.context(), "session.session_id");
  return id && id->is_string();
}

template <class T>
T setting_or(const Json& config, std::string_view path, T fallback) {
  const Json* value = config::find_path(config, path);
  if (!value) return fallback;
  try {
    return value->get<T>();
  } catch (const Json::exception&) {
    throw std::invalid_argument(fmt::format("{} has the wrong type: {}", path, json_dump(*value)));
  }
}

// One attempt at a connection, from TCP connect to close. Completion handlers hold it by
// shared_ptr, so a connection given up on lives until its last operation has returned.
struct Connection {
  explicit Connection(std::unique_ptr<WebSocket> socket_) : socket(std::move(socket_)) {}

  std::unique_ptr<WebSocket> socket;
  beast::flat_buffer incoming;
  websocket::response_type upgrade_response;
  std::string outgoing;  // the message being written; kept here so it outlives the write
  bool open = false;     // WebSocket handshake done
  bool writing = false;
  bool closing = false;
};

struct Subscription {
  BusClient::HandlerId id;
  std::shared_ptr<const BusClient::Handler> handler;
};

}  // namespace

std::string Endpoint::url() const {
  return fmt::format("{}://{}:{}{}{}", ssl ? "wss" : "ws", host_for_url(host), port,
                     route.starts_with('/') ? "" : "/", route);
}

Endpoint Endpoint::from_config(const Json& config) {
  Endpoint endpoint;
  endpoint.host = setting_or(config, "websocket.host", endpoint.host);
  if (endpoint.host.empty() || endpoint.host == "0.0.0.0" || endpoint.host == "::") {
    endpoint.host = "127.0.0.1";
  }
  auto port = setting_or<std::int64_t>(config, "websocket.port", endpoint.port);
  if (port < 1 || port > 65535) {
    throw std::invalid_argument(fmt::format("websocket.port must be 1..65535, not {}", port));
  }
  endpoint.port = static_cast<unsigned short>(port);
  endpoint.route = setting_or(config, "websocket.route", endpoint.route);
  endpoint.ssl = setting_or(config, "websocket.ssl", endpoint.ssl);
  endpoint.token = setting_or(config, "websocket.token", endpoint.token);
  endpoint.ca_file = setting_or(config, "websocket.ssl_cert", endpoint.ca_file);
  return endpoint;
}

BusClientOptions BusClientOptions::from_config(const Json& config, std::string name) {
  BusClientOptions options;
  options.name = std::move(name);
  auto mib = setting_or<double>(config, "websocket.max_msg_size", 0);
  if (mib > 0) options.max_message_bytes = static_cast<std::size_t>(mib * kMiB);
  return options;
}

struct BusClient::Impl {
  Impl(Endpoint endpoint_, Options options_);

  // Any thread.
  void start();
  void stop();
  void emit(const Message& message);
  HandlerId subscribe(std::optional<std::string> type, Handler handler);
  void unsubscribe(HandlerId id);
  std::optional<Message> wait_for(const std::string& type, const Message* request,
                                  std::chrono::milliseconds timeout);
  bool on_io_thread() const { return std::this_thread::get_id() == io_thread_id.load(); }

  // The io thread.
  void connect();
  void secure(const std::shared_ptr<Connection>& conn);
  void upgrade(const std::shared_ptr<Connection>& conn);
  void opened(const std::shared_ptr<Connection>& conn);
  void read(const std::shared_ptr<Connection>& conn);
  void write_next(const std::shared_ptr<Connection>& conn);
  void close(const std::shared_ptr<Connection>& conn);
  // Takes the connection by value: callers may pass `connection`, which it resets.
  void fail(std::shared_ptr<Connection> conn, const std::string& reason);
  void retry_later();
  void shut_down();
  void dispatch(std::string_view text);
  std::string upgrade_refusal(const Connection& conn) const;
  std::string loss_reason(const Connection& conn, const error_code& ec);

  const Endpoint endpoint;
  const Options options;
  const std::string url = endpoint.url();

  // Declared first so that it is destroyed last, after everything that uses it.
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> keep_running =
      asio::make_work_guard(io);
  WebSocketFactory websockets;
  tcp::resolver resolver{io};
  asio::steady_timer retry_timer{io};
  asio::steady_timer stop_deadline{io};
  std::thread thread;
  std::atomic<std::thread::id> io_thread_id;

  // Only the io thread touches these.
  std::shared_ptr<Connection> connection;  // the current attempt or the open connection
  std::chrono::milliseconds backoff = options.reconnect_initial;
  bool stopping = false;
  std::string reported_failure;  // repeated failures are logged once, not every retry
  log::RateLimit bad_frame_log{5, std::chrono::seconds(10)};

  mutable std::mutex mutex;  // guards what follows, down to the handlers
  std::condition_variable state_changed;
  bool started = false;
  bool stopped = false;
  bool connected = false;
  std::string last_error;
  std::deque<std::string> outbox;
  bool write_posted = false;
  std::uint64_t dropped = 0;
  log::RateLimit drop_log{5, std::chrono::seconds(10)};

  std::mutex handlers_mutex;
  HandlerId next_id = 1;
  std::unordered_map<std::string, std::vector<Subscription>> by_type;
  std::vector<Subscription> any_type;
  std::vector<std::shared_ptr<const std::function<void()>>> connected_callbacks;
};

BusClient::Impl::Impl(Endpoint endpoint_, Options options_)
    : endpoint(std::move(endpoint_)), options(std::move(options_)) {
  websockets = endpoint.ssl ? tls_websockets(endpoint.ca_file) : plain_websockets();
}

void BusClient::Impl::start() {
  {
    std::lock_guard lock(mutex);
    if (started || stopped) return;
    started = true;
  }
  asio::post(io, [this] { connect(); });
  thread = std::thread([this] {
    io_thread_id = std::this_thread::get_id();
    io.run();
  });
}

void BusClient::Impl::stop() {
  if (on_io_thread()) {
    throw std::logic_error(
        "BusClient::stop() called from one of its own handlers: it would wait for the thread it "
        "runs on");
  }
  {
    std::lock_guard lock(mutex);
    if (stopped) return;
    stopped = true;
    if (!started) return;
  }
  asio::post(io, [this] { shut_down(); });
  thread.join();
  std::lock_guard lock(mutex);
  if (!outbox.empty()) {
    spdlog::warn("bus client '{}': {} message(s) not sent, the bus at {} was not reachable",
                 options.name, outbox.size(), url);
    dropped += outbox.size();
    outbox.clear();
  }
}

void BusClient::Impl::shut_down() {
  stopping = true;
  keep_running.reset();
  retry_timer.cancel();
  resolver.cancel();
  stop_deadline.expires_after(kStopFlushLimit);
  stop_deadline.async_wait([this](error_code ec) {
    if (!ec && connection) fail(connection, "closed by this client");
  });
  if (connection && connection->open) {
    write_next(connection);  // closes once the queue is empty
  } else if (connection) {
    fail(connection, "closed by this client");
  } else {
    stop_deadline.cancel();
  }
}

void BusClient::Impl::emit(const Message& message) {
  std::string text = message.serialize();
  if (text.size() > options.max_message_bytes) {
    spdlog::error(
        "bus client '{}': dropped a '{}' message of {} bytes, more than the bus accepts ({})",
        options.name, message.type(), text.size(), options.max_message_bytes);
    std::lock_guard lock(mutex);
    ++dropped;
    return;
  }
  bool post_write = false;
  bool log_drop = false;
  std::uint64_t also_dropped = 0;
  {
    std::lock_guard lock(mutex);
    if (stopped) {
      ++dropped;
      return;
    }
    if (outbox.size() >= std::max<std::size_t>(options.max_queued_messages, 1)) {
      outbox.pop_front();
      ++dropped;
      log_drop = drop_log.allow(also_dropped);
    }
    outbox.push_back(std::move(text));
    post_write = !std::exchange(write_posted, true);
  }
  if (log_drop) {
    spdlog::warn(
        "bus client '{}': queue full ({} messages, bus at {} not reachable), dropped the "
        "oldest{}",
        options.name, options.max_queued_messages, url,
        also_dropped ? fmt::format(" (and {} more since the last warning)", also_dropped) : "");
  }
  if (post_write) {
    asio::post(io, [this] {
      {
        std::lock_guard lock(mutex);
        write_posted = false;
      }
      if (connection) write_next(connection);
    });
  }
}

BusClient::HandlerId BusClient::Impl::subscribe(std::optional<std::string> type, Handler handler) {
  std::lock_guard lock(handlers_mutex);
  HandlerId id = next_id++;
  (type ? by_type[*type] : any_type)
      .push_back({id, std::make_shared<const Handler>(std::move(handler))});
  return id;
}

void BusClient::Impl::unsubscribe(HandlerId id) {
  auto matches = [id](const Subscription& s) { return s.id == id; };
  std::lock_guard lock(handlers_mutex);
  std::erase_if(any_type, matches);
  for (auto it = by_type.begin(); it != by_type.end();) {
    std::erase_if(it->second, matches);
    it = it->second.empty() ? by_type.erase(it) : std::next(it);
  }
}

std::optional<Message> BusClient::Impl::wait_for(const std::string& type, const Message* request,
                                                 std::chrono::milliseconds timeout) {
  if (on_io_thread()) {
    throw std::logic_error(fmt::format(
        "waiting for '{}' inside a bus handler would block the thread that delivers it; "
        "subscribe with on() and return instead",
        type));
  }
  struct Waiter {
    std::mutex mutex;
    std::condition_variable arrived;
    std::optional<Message> message;
  };
  auto waiter = std::make_shared<Waiter>();
  std::optional<std::string> session;
  if (request && has_session_id(*request)) session = session_id_of(*request);
  HandlerId id = subscribe(type, [waiter, session](const Message& message) {
    if (session && session_id_of(message) != *session) return;
    std::lock_guard lock(waiter->mutex);
    if (!waiter->message) {
      waiter->message = message;
      waiter->arrived.notify_all();
    }
  });
  if (request) emit(*request);
  std::optional<Message> result;
  {
    std::unique_lock lock(waiter->mutex);
    waiter->arrived.wait_for(lock, timeout, [&] { return waiter->message.has_value(); });
    result = waiter->message;
  }
  unsubscribe(id);
  return result;
}

void BusClient::Impl::connect() {
  if (stopping) return;
  auto conn = std::make_shared<Connection>(websockets(io));
  connection = conn;
  resolver.async_resolve(
      endpoint.host, std::to_string(endpoint.port),
      [this, conn](error_code ec, const tcp::resolver::results_type& results) {
        if (conn != connection) return;
        if (ec)
          return fail(conn, fmt::format("cannot resolve {}: {}", endpoint.host, describe(ec)));
        auto& socket = conn->socket->tcp();
        socket.expires_after(options.connect_timeout);
        socket.async_connect(results, [this, conn](error_code ec2, const tcp::endpoint&) {
          if (conn != connection) return;
          if (ec2) return fail(conn, describe(ec2));
          secure(conn);
        });
      });
}

void BusClient::Impl::secure(const std::shared_ptr<Connection>& conn) {
  conn->socket->async_secure(endpoint.host, [this, conn](error_code ec) {
    if (conn != connection) return;
    if (ec) return fail(conn, fmt::format("TLS handshake failed: {}", describe(ec)));
    upgrade(conn);
  });
}

void BusClient::Impl::upgrade(const std::shared_ptr<Connection>& conn) {
  WebSocketOptions settings;
  settings.timeouts.handshake_timeout = options.connect_timeout;
  settings.timeouts.idle_timeout = kIdleTimeout;
  settings.timeouts.keep_alive_pings = true;
  settings.decorate = [this](websocket::request_type& request) {
    request.set(http::field::user_agent, options.name);
    if (!endpoint.token.empty()) {
      request.set(http::field::authorization, "Bearer " + endpoint.token);
    }
  };
  settings.max_message_bytes = options.max_message_bytes;
  conn->socket->async_upgrade(settings, conn->upgrade_response,
                              fmt::format("{}:{}", host_for_url(endpoint.host), endpoint.port),
                              endpoint.route, [this, conn](error_code ec) {
                                if (conn != connection) return;
                                if (ec == websocket::error::upgrade_declined) {
                                  return fail(conn, upgrade_refusal(*conn));
                                }
                                if (ec) return fail(conn, describe(ec));
                                opened(conn);
                              });
}

std::string BusClient::Impl::upgrade_refusal(const Connection& conn) const {
  const auto& response = conn.upgrade_response;
  std::string hint;
  switch (response.result()) {
    case http::status::unauthorized:
    case http::status::forbidden:
      hint = " (check websocket.token)";
      break;
    case http::status::not_found:
      hint = " (check websocket.route)";
      break;
    default:
      break;
  }
  return fmt::format("the bus refused the WebSocket upgrade: {} {}{}", response.result_int(),
                     std::string(response.reason()), hint);
}

void BusClient::Impl::opened(const std::shared_ptr<Connection>& conn) {
  conn->open = true;
  backoff = options.reconnect_initial;
  reported_failure.clear();
  spdlog::info("bus client '{}': connected to {}", options.name, url);
  // The callbacks run before connected() turns true, so that a callback registered after
  // wait_connected() returned is not also run for the connection that is already open.
  std::vector<std::shared_ptr<const std::function<void()>>> callbacks;
  {
    std::lock_guard lock(handlers_mutex);
    callbacks = connected_callbacks;
  }
  for (const auto& callback : callbacks) {
    try {
      (*callback)();
    } catch (const std::exception& e) {
      spdlog::error("bus client '{}': on_connected callback failed: {}", options.name, e.what());
    }
  }
  {
    std::lock_guard lock(mutex);
    connected = true;
  }
  state_changed.notify_all();
  read(conn);
  write_next(conn);
}

void BusClient::Impl::read(const std::shared_ptr<Connection>& conn) {
  conn->socket->async_read(conn->incoming, [this, conn](error_code ec, std::size_t) {
    if (conn != connection) return;
    if (ec) return fail(conn, loss_reason(*conn, ec));
    std::string text = beast::buffers_to_string(conn->incoming.data());
    conn->incoming.consume(conn->incoming.size());
    dispatch(text);
    read(conn);
  });
}

std::string BusClient::Impl::loss_reason(const Connection& conn, const error_code& ec) {
  if (ec == websocket::error::message_too_big) {
    return fmt::format("a message from the bus was larger than {} bytes",
                       options.max_message_bytes);
  }
  if (ec == websocket::error::closed) {
    auto why = conn.socket->reason();
    return fmt::format("the bus closed the connection (code {}{}{})", why.code,
                       why.reason.empty() ? "" : ": ", std::string(why.reason));
  }
  if (ec == asio::error::eof || ec == asio::error::connection_reset) {
    return "the bus closed the connection";
  }
  return describe(ec);
}

void BusClient::Impl::write_next(const std::shared_ptr<Connection>& conn) {
  if (!conn->open || conn->writing || conn->closing) return;
  {
    std::lock_guard lock(mutex);
    if (outbox.empty()) {
      if (stopping) close(conn);
      return;
    }
    conn->outgoing = std::move(outbox.front());
    outbox.pop_front();
  }
  conn->writing = true;
  conn->socket->async_write_text(asio::buffer(conn->outgoing),
                                 [this, conn](error_code ec, std::size_t) {
                                   if (conn != connection) return;
                                   if (ec) return fail(conn, describe(ec));
                                   conn->writing = false;
                                   write_next(conn);
                                 });
}

void BusClient::Impl::close(const std::shared_ptr<Connection>& conn) {
  conn->closing = true;
  conn->socket->async_close([this, conn](error_code) {
    if (conn == connection) fail(conn, "closed by this client");
  });
}

void BusClient::Impl::fail(std::shared_ptr<Connection> conn, const std::string& reason) {
  connection.reset();
  error_code ignored;
  conn->socket->tcp().socket().close(ignored);
  {
    std::lock_guard lock(mutex);
    connected = false;
    if (!stopping) last_error = reason;
    // The message on the wire may not have arrived; send it again rather than lose it.
    if (conn->writing) {
      outbox.push_front(conn->outgoing);
      if (outbox.size() > std::max<std::size_t>(options.max_queued_messages, 1)) {
        outbox.pop_front();
        ++dropped;
      }
    }
  }
  state_changed.notify_all();
  if (stopping) {
    stop_deadline.cancel();
    return;
  }
  if (conn->open) {
    spdlog::warn("bus client '{}': lost the bus at {}: {}; reconnecting", options.name, url,
                 reason);
  } else if (reason != reported_failure) {
    spdlog::warn("bus client '{}': cannot reach the bus at {}: {}; retrying", options.name, url,
                 reason);
  } else {
    spdlog::debug("bus client '{}': still cannot reach the bus at {}: {}", options.name, url,
                  reason);
  }
  reported_failure = reason;
  retry_later();
}

void BusClient::Impl::retry_later() {
  retry_timer.expires_after(backoff);
  backoff = std::min(backoff * 2, options.reconnect_max);
  retry_timer.async_wait([this](error_code ec) {
    if (!ec) connect();
  });
}

void BusClient::Impl::dispatch(std::string_view text) {
  std::string error;
  auto message = Message::try_parse(text, &error);
  if (!message) {
    std::uint64_t suppressed = 0;
    if (bad_frame_log.allow(suppressed)) {
      spdlog::warn("bus client '{}': skipped a frame that is not a bus message: {}{}", options.name,
                   error,
                   suppressed ? fmt::format(" ({} more since the last warning)", suppressed) : "");
    }
    return;
  }
  std::vector<std::shared_ptr<const Handler>> handlers;
  {
    std::lock_guard lock(handlers_mutex);
    if (auto it = by_type.find(message->type()); it != by_type.end()) {
      for (const auto& s : it->second) handlers.push_back(s.handler);
    }
    for (const auto& s : any_type) handlers.push_back(s.handler);
  }
  for (const auto& handler : handlers) {
    try {
      (*handler)(*message);
    } catch (const std::exception& e) {
      spdlog::error("bus client '{}': handler for '{}' failed: {}", options.name, message->type(),
                    e.what());
    }
  }
}

BusClient::BusClient(Endpoint endpoint, Options options)
    : impl_(std::make_unique<Impl>(std::move(endpoint), std::move(options))) {}

BusClient::~BusClient() {
  stop();
}

void BusClient::start() {
  impl_->start();
}
void BusClient::stop() {
  impl_->stop();
}

bool BusClient::wait_connected(std::chrono::milliseconds timeout) {
  std::unique_lock lock(impl_->mutex);
  return impl_->state_changed.wait_for(lock, timeout, [&] { return impl_->connected; });
}

bool BusClient::connected() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->connected;
}

std::string BusClient::last_error() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->last_error;
}

std::uint64_t BusClient::dropped_messages() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->dropped;
}

void BusClient::on_connected(std::function<void()> callback) {
  std::lock_guard lock(impl_->handlers_mutex);
  impl_->connected_callbacks.push_back(
      std::make_shared<const std::function<void()>>(std::move(callback)));
}

BusClient::HandlerId BusClient::on(std::string type, Handler handler) {
  return impl_->subscribe(std::move(type), std::move(handler));
}

BusClient::HandlerId BusClient::on_any(Handler handler) {
  return impl_->subscribe(std::nullopt, std::move(handler));
}

void BusClient::off(HandlerId id) {
  impl_->unsubscribe(id);
}

void BusClient::emit(const Message& message) {
  impl_->emit(message);
}

std::optional<Message> BusClient::wait_for_response(const Message& request,
                                                    std::chrono::milliseconds timeout) {
  return impl_->wait_for(request.type() + ".response", &request, timeout);
}

std::optional<Message> BusClient::wait_for_response(const Message& request,
                                                    std::string response_type,
                                                    std::chrono::milliseconds timeout) {
  return impl_->wait_for(response_type, &request, timeout);
}

std::optional<Message> BusClient::wait_for_message(std::string type,
                                                   std::chrono::milliseconds timeout) {
  return impl_->wait_for(type, nullptr, timeout);
}

}  // namespace hark::client
