// bus_bench: load generator for the message bus, `hark bus` against the OVOS Python bus.
//
//   cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DHARK_TESTS=OFF
//   ninja -C build-bench bus_bench hark && build-bench/bench/bus_bench
//
// It starts every server itself (its own process group, a free port, fresh XDG_CONFIG_HOME and
// XDG_RUNTIME_DIR), drives it over raw TCP with a minimal WebSocket client, and prints one line per
// scenario, a summary table and, as the last line, every figure in one JSON object. README.md
// beside this file says what each figure means.
//
// The client side must not be the bottleneck on a 2-core machine where the server has one core:
// each publisher's frames are masked once and sent in large batches with only the send time
// rewritten, and readers walk frames by their lengths in a large buffer, without copying and
// without parsing JSON (the message keeps its fields at fixed offsets).
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <signal.h>
#include <spawn.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <barrier>
#include <bit>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

extern char** environ;

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

// ---------------------------------------------------------------------------------------------
// Basics

// Any failure of the bench or of a server under test; main() prints it and exits 1.
class BenchError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

[[noreturn]] void throw_errno(std::string_view what) {
  throw BenchError(fmt::format("{}: {}", what, std::strerror(errno)));
}

constexpr std::int64_t kMs = 1'000'000;  // in ns
constexpr std::int64_t kSecond = 1'000'000'000;

// Send times travel inside the messages and are compared with receive times in this process, so
// one steady clock serves both.
std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// CPU time of this process, all threads.
std::int64_t own_cpu_ns() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  auto ns = [](const timeval& t) { return t.tv_sec * kSecond + t.tv_usec * 1000; };
  return ns(usage.ru_utime) + ns(usage.ru_stime);
}

void sleep_ns(std::int64_t ns) {
  std::this_thread::sleep_for(std::chrono::nanoseconds(ns));
}

// Absolute wake-up times keep paced sends from drifting.
void sleep_until_ns(std::int64_t t) {
  std::this_thread::sleep_until(std::chrono::steady_clock::time_point(std::chrono::nanoseconds(t)));
}

double to_ms(std::int64_t ns) {
  return static_cast<double>(ns) / static_cast<double>(kMs);
}

// 1234567 -> "1,234,567"
std::string grouped(std::uint64_t value) {
  const std::string digits = std::to_string(value);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// An owned file descriptor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  ~Fd() { reset(); }

  int get() const noexcept { return fd_; }
  void reset() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

// ---------------------------------------------------------------------------------------------
// TCP

Fd tcp_socket() {
  Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) throw_errno("socket");
  return fd;
}

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

// False while nothing listens on the port yet (the caller needs a new socket to try again).
bool connect_loopback(int fd, std::uint16_t port) {
  const sockaddr_in address = loopback(port);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    if (errno == ECONNREFUSED) return false;
    throw_errno(fmt::format("connect to 127.0.0.1:{}", port));
  }
  // Paced single messages must leave at once, not wait for Nagle.
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return true;
}

// A port nothing listens on right now: the kernel picks it for port 0.
std::uint16_t free_port() {
  Fd fd = tcp_socket();
  sockaddr_in address = loopback(0);
  socklen_t size = sizeof address;
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&address), size) != 0) throw_errno("bind");
  if (::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    throw_errno("getsockname");
  }
  return ntohs(address.sin_port);
}

// 0 waits forever.
void set_receive_timeout(int fd, std::int64_t ns) {
  timeval timeout{};
  timeout.tv_sec = static_cast<time_t>(ns / kSecond);
  timeout.tv_usec = static_cast<suseconds_t>(ns % kSecond / 1000);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
}

void send_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t sent = ::send(fd, data, size, MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EINTR) continue;
      throw_errno("send");
    }
    data += sent;
    size -= static_cast<std::size_t>(sent);
  }
}

// ---------------------------------------------------------------------------------------------
// WebSocket, client side (RFC 6455): only what the bench needs.

constexpr unsigned kOpText = 0x1;
constexpr unsigned kOpClose = 0x8;
constexpr std::int64_t kHandshakeTimeout = 5 * kSecond;
// Handshakes and idle clients; load connections read into kLoadBufferBytes.
constexpr std::size_t kSmallBufferBytes = 4096;
constexpr std::size_t kLoadBufferBytes = 256 * 1024;

// One frame from the server (servers do not mask), viewed inside the reader's buffer until its
// next receive().
struct Frame {
  unsigned opcode;
  std::string_view payload;
};

// Receives into one large buffer and hands out whole frames by their lengths, without copying; a
// frame cut by the end of a read moves to the front before the next read.
class FrameReader {
 public:
  explicit FrameReader(std::size_t capacity)
      : buffer_(std::make_unique_for_overwrite<char[]>(capacity)), capacity_(capacity) {}

  // One recv(); false at the end of the stream.
  bool receive(int fd) {
    if (begin_ > 0) {
      std::memmove(buffer_.get(), buffer_.get() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    for (;;) {
      const ssize_t got = ::recv(fd, buffer_.get() + end_, capacity_ - end_, 0);
      if (got > 0) {
        end_ += static_cast<std::size_t>(got);
        return true;
      }
      if (got == 0) return false;
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) throw BenchError("the server did not answer");
      throw_errno("recv");
    }
  }

  // The next complete frame, if one is buffered.
  std::optional<Frame> next() {
    const std::size_t have = end_ - begin_;
    if (have < 2) return std::nullopt;
    const auto* header = reinterpret_cast<const unsigned char*>(buffer_.get() + begin_);
    std::size_t header_size = 2;
    std::uint64_t length = header[1] & 0x7fu;
    if (length >= 126) {
      header_size = length == 126 ? 4 : 10;
      if (have < header_size) return std::nullopt;
      length = 0;
      for (std::size_t i = 2; i < header_size; ++i) length = length << 8 | header[i];
    }
    if (header_size + length > capacity_) {
      throw BenchError(fmt::format("the server sent a {}-byte frame; the bench reads at most {}",
                                   length, capacity_ - header_size));
    }
    if (have < header_size + length) return std::nullopt;
    Frame frame{header[0] & 0x0fu, {buffer_.get() + begin_ + header_size, length}};
    begin_ += header_size + length;
    return frame;
  }

  std::string_view pending() const noexcept { return {buffer_.get() + begin_, end_ - begin_}; }
  void consume(std::size_t bytes) noexcept { begin_ += bytes; }

 private:
  std::unique_ptr<char[]> buffer_;
  std::size_t capacity_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
};

std::string base64(const unsigned char* data, std::size_t size) {
  std::string out(4 * ((size + 2) / 3) + 1, '\0');  // EVP_EncodeBlock adds a NUL
  const int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

std::string expected_accept(std::string_view key) {
  const std::string input = std::string(key) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  std::array<unsigned char, SHA_DIGEST_LENGTH> digest{};
  SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest.data());
  return base64(digest.data(), digest.size());
}

// The value of header `name` (lower case) in an HTTP response head, or "" when absent.
std::string_view header_value(std::string_view head, std::string_view name) {
  while (!head.empty()) {
    const std::size_t line_end = head.find("\r\n");
    const std::string_view line = head.substr(0, line_end);
    const std::size_t colon = line.find(':');
    if (colon == name.size() &&
        std::equal(name.begin(), name.end(), line.begin(), [](char a, char b) {
          return a == static_cast<char>(std::tolower(static_cast<unsigned char>(b)));
        })) {
      std::string_view value = line.substr(colon + 1);
      while (value.starts_with(' ')) value.remove_prefix(1);
      return value;
    }
    if (line_end == std::string_view::npos) break;
    head.remove_prefix(line_end + 2);
  }
  return {};
}

// Upgrades a connected socket with a random key, checks the 101 and its Sec-WebSocket-Accept, and
// reads through the `connected` greeting the bus sends on open; anything after it stays in
// `reader`.
void websocket_handshake(int fd, std::uint16_t port, FrameReader& reader) {
  thread_local std::mt19937_64 random{std::random_device{}()};
  std::array<unsigned char, 16> nonce{};
  for (auto& byte : nonce) byte = static_cast<unsigned char>(random());
  const std::string key = base64(nonce.data(), nonce.size());
  const std::string request = fmt::format(
      "GET /core HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: {}\r\nSec-WebSocket-Version: 13\r\n\r\n",
      port, key);

  set_receive_timeout(fd, kHandshakeTimeout);
  send_all(fd, request.data(), request.size());
  std::size_t head_end = 0;
  while ((head_end = reader.pending().find("\r\n\r\n")) == std::string_view::npos) {
    if (!reader.receive(fd)) throw BenchError("the server closed the connection in the handshake");
  }
  const std::string_view head = reader.pending().substr(0, head_end);
  if (!head.starts_with("HTTP/1.1 101")) {
    throw BenchError(fmt::format("the server refused the WebSocket upgrade: {}",
                                 head.substr(0, head.find('\r'))));
  }
  if (header_value(head, "sec-websocket-accept") != expected_accept(key)) {
    throw BenchError("the server answered the handshake with a wrong Sec-WebSocket-Accept");
  }
  reader.consume(head_end + 4);
  for (;;) {
    if (auto frame = reader.next()) {
      if (frame->opcode != kOpText ||
          frame->payload.find("\"connected\"") == std::string_view::npos) {
        throw BenchError(
            fmt::format("expected the `connected` greeting first, got: {:.80}", frame->payload));
      }
      break;
    }
    if (!reader.receive(fd)) throw BenchError("the server closed the connection before greeting");
  }
  set_receive_timeout(fd, 0);
}

Fd connect_websocket(std::uint16_t port, FrameReader& reader) {
  Fd fd = tcp_socket();
  if (!connect_loopback(fd.get(), port)) {
    throw BenchError(fmt::format("nothing listens on port {}", port));
  }
  websocket_handshake(fd.get(), port, reader);
  return fd;
}

// ---------------------------------------------------------------------------------------------
// The bench message

// Exactly 200 bytes of JSON. The fixed-width fields put the publisher id and the send time at
// fixed offsets, so readers find them without parsing. JSON numbers may not start with 0, so p is
// 10 + the publisher's index and t is 10^19 + the steady clock in ns (both still fixed width).
constexpr std::string_view kHead = R"({"type":"bench.load","data":{"p":)";
constexpr std::string_view kBeforeTime = R"(,"t":)";
constexpr std::string_view kBeforePad = R"(,"pad":")";
constexpr std::string_view kTail = R"("},"context":{}})";
constexpr std::size_t kMessageBytes = 200;
constexpr std::size_t kPublisherDigits = 2;
constexpr std::size_t kTimeDigits = 20;
constexpr std::size_t kPublisherOffset = kHead.size();
constexpr std::size_t kTimeOffset = kPublisherOffset + kPublisherDigits + kBeforeTime.size();
constexpr std::size_t kPadBytes =
    kMessageBytes - kTimeOffset - kTimeDigits - kBeforePad.size() - kTail.size();
constexpr unsigned kFirstPublisherId = 10;
constexpr unsigned kMaxPublishers = 100 - kFirstPublisherId;
constexpr std::uint64_t kTimeBase = 10'000'000'000'000'000'000u;

// kMessageBytes long: kPadBytes makes up the rest, and publisher ids have two digits.
std::string message(unsigned publisher) {
  return fmt::format("{}{}{}{}{}{}{}", kHead, kFirstPublisherId + publisher, kBeforeTime, kTimeBase,
                     kBeforePad, std::string(kPadBytes, 'x'), kTail);
}

std::uint64_t parse_digits(const char* digits, std::size_t count) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    value = value * 10 + static_cast<unsigned>(digits[i] - '0');
  }
  return value;
}

// Client frames (masked, RFC 6455 §5.3) carrying one publisher's message, encoded once. All frames
// share one mask key, so the masked digits of a send time are computed once per batch too.
class Batch {
 public:
  static constexpr std::size_t kHeaderBytes = 2 + 2 + 4;  // 16-bit length, mask key
  static constexpr std::size_t kFrameBytes = kHeaderBytes + kMessageBytes;

  Batch(unsigned publisher, std::size_t frames) : frames_(frames) {
    std::random_device random;
    for (auto& byte : mask_) byte = static_cast<unsigned char>(random());
    const std::string payload = message(publisher);
    std::array<char, kFrameBytes> frame{};
    frame[0] = static_cast<char>(0x80 | kOpText);
    frame[1] = static_cast<char>(0x80 | 126);
    frame[2] = static_cast<char>(kMessageBytes >> 8);
    frame[3] = static_cast<char>(kMessageBytes & 0xff);
    std::memcpy(&frame[4], mask_.data(), mask_.size());
    for (std::size_t i = 0; i < kMessageBytes; ++i) {
      frame[kHeaderBytes + i] = static_cast<char>(payload[i] ^ mask_[i % 4]);
    }
    bytes_.reserve(frames * kFrameBytes);
    for (std::size_t i = 0; i < frames; ++i) {
      bytes_.insert(bytes_.end(), frame.begin(), frame.end());
    }
  }

  // Writes the send time into every frame.
  void stamp(std::int64_t t) {
    std::array<char, kTimeDigits> digits{};
    std::uint64_t value = kTimeBase + static_cast<std::uint64_t>(t);
    for (std::size_t i = kTimeDigits; i-- > 0; value /= 10) {
      const std::size_t at = kTimeOffset + i;
      digits[i] = static_cast<char>(('0' + value % 10) ^ mask_[at % 4]);
    }
    for (std::size_t f = 0; f < frames_; ++f) {
      std::memcpy(&bytes_[f * kFrameBytes + kHeaderBytes + kTimeOffset], digits.data(),
                  digits.size());
    }
  }

  const char* data() const noexcept { return bytes_.data(); }
  std::size_t size() const noexcept { return bytes_.size(); }

 private:
  std::size_t frames_;
  std::array<unsigned char, 4> mask_{};
  std::vector<char> bytes_;
};

// ---------------------------------------------------------------------------------------------
// Latency histogram

// Log-linear buckets over nanoseconds: exact below 256 ns, then 128 buckets per power of two, so a
// percentile is off by less than 0.8%. The maximum is kept exactly.
class Histogram {
 public:
  void record(std::int64_t ns) {
    const auto value = static_cast<std::uint64_t>(std::max<std::int64_t>(ns, 0));
    ++counts_[bucket(value)];
    ++count_;
    max_ = std::max(max_, value);
  }

  void merge(const Histogram& other) {
    for (std::size_t i = 0; i < kBuckets; ++i) counts_[i] += other.counts_[i];
    count_ += other.count_;
    max_ = std::max(max_, other.max_);
  }

  double max_ms() const { return to_ms(static_cast<std::int64_t>(max_)); }

  // p in (0, 1]; the middle of the bucket that holds that rank.
  double percentile_ms(double p) const {
    const auto rank = std::max<std::uint64_t>(
        1, static_cast<std::uint64_t>(std::ceil(p * static_cast<double>(count_))));
    std::uint64_t seen = 0;
    for (std::size_t b = 0; b < kBuckets; ++b) {
      seen += counts_[b];
      if (seen >= rank) return to_ms(static_cast<std::int64_t>(std::min(middle(b), max_)));
    }
    return max_ms();
  }

 private:
  static constexpr unsigned kSubBits = 7;
  static constexpr std::size_t kBuckets = (64 - kSubBits) << kSubBits;

  static std::size_t bucket(std::uint64_t value) {
    const unsigned shift =
        std::max(static_cast<unsigned>(std::bit_width(value)), kSubBits + 1) - (kSubBits + 1);
    return (std::size_t{shift} << kSubBits) + (value >> shift);
  }
  static std::uint64_t middle(std::size_t b) {
    if (b < (2u << kSubBits)) return b;
    const std::size_t shift = (b >> kSubBits) - 1;
    const std::uint64_t low = std::uint64_t{b - (shift << kSubBits)} << shift;
    return low + (std::uint64_t{1} << shift) / 2;
  }

  std::vector<std::uint64_t> counts_ = std::vector<std::uint64_t>(kBuckets);
  std::uint64_t count_ = 0;
  std::uint64_t max_ = 0;
};

// ---------------------------------------------------------------------------------------------
// The server under test

// The process group of the running server, for the signal handler: a bench stopped with ^C must
// not leave it behind (it is in its own group, so the terminal's signal does not reach it).
volatile std::sig_atomic_t g_server_group = 0;

extern "C" void on_fatal_signal(int signal) {
  if (g_server_group > 0) ::kill(-g_server_group, SIGKILL);
  ::signal(signal, SIG_DFL);
  ::raise(signal);
}

// How to start a server: argv with "{port}" where its port goes.
struct ServerCommand {
  std::string name;  // "hark" or "baseline"
  std::vector<std::string> argv;
  // Whether to run the paced 10x10 load at the target rate: the baseline cannot sustain it, and
  // its backlog would take minutes to drain.
  bool takes_target_load;
};

std::string describe_exit(int status) {
  if (WIFEXITED(status)) return fmt::format("exit status {}", WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return fmt::format("killed by signal {}", WTERMSIG(status));
  return "stopped";
}

// A server on a free port, in its own process group, with fresh XDG_CONFIG_HOME and
// XDG_RUNTIME_DIR (no user configuration, no lock file from another run) and its output in a log
// that error messages quote. The constructor returns once a client has completed the handshake
// and received the greeting; ready_ns() is how long that took from the spawn.
class Server {
 public:
  explicit Server(const ServerCommand& command) : name_(command.name) {
    std::string pattern = (fs::temp_directory_path() / "bus_bench.XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw_errno("mkdtemp");
    dir_ = pattern;
    try {
      fs::create_directory(dir_ / "config");
      fs::create_directory(dir_ / "runtime");
      fs::permissions(dir_ / "runtime", fs::perms::owner_all);  // XDG requires 0700
      port_ = free_port();
      spawn(command);
      wait_ready();
    } catch (...) {
      stop();
      throw;
    }
  }
  ~Server() { stop(); }
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  const std::string& name() const noexcept { return name_; }
  std::uint16_t port() const noexcept { return port_; }
  std::int64_t ready_ns() const noexcept { return ready_ns_; }

  // VmRSS in kB, from /proc.
  std::uint64_t rss_kb() const {
    std::ifstream status(fmt::format("/proc/{}/status", pid_));
    std::string line;
    while (std::getline(status, line)) {
      if (line.starts_with("VmRSS:")) return std::stoull(line.substr(6));
    }
    throw BenchError(fmt::format("{} has no VmRSS in /proc/{}/status (did it exit?)", name_, pid_));
  }

  // CPU time the server has used (user and system), from /proc; 10 ms resolution.
  std::int64_t cpu_ns() const {
    std::ifstream stat(fmt::format("/proc/{}/stat", pid_));
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    // Fields after the command name, which is in parentheses and may hold spaces; utime and
    // stime are fields 14 and 15 of proc(5), the 12th and 13th after the name.
    std::istringstream fields(text.substr(text.rfind(')') + 1));
    std::string skip;
    for (int i = 0; i < 11; ++i) fields >> skip;
    std::int64_t user = 0;
    std::int64_t system = 0;
    if (!(fields >> user >> system)) {
      throw BenchError(fmt::format("cannot read /proc/{}/stat", pid_));
    }
    return (user + system) * (kSecond / ::sysconf(_SC_CLK_TCK));
  }

  // The last lines of the server's output.
  std::string log_tail() const {
    std::ifstream log(dir_ / "server.log");
    std::deque<std::string> lines;
    for (std::string line; std::getline(log, line);) {
      lines.push_back(std::move(line));
      if (lines.size() > 15) lines.pop_front();
    }
    std::string tail;
    for (const auto& line : lines) tail += "  | " + line + "\n";
    return tail.empty() ? "  | (no output)\n" : tail;
  }

  // SIGTERM to the group, SIGKILL if it is still there after a grace period; then cleans up.
  void stop() noexcept {
    if (pid_ > 0) {
      ::kill(-pid_, SIGTERM);
      // hark bus gives clients 1 s to take their close frames before it exits.
      const std::int64_t deadline = now_ns() + 3 * kSecond;
      int status = 0;
      pid_t reaped = 0;
      while ((reaped = ::waitpid(pid_, &status, WNOHANG)) == 0 && now_ns() < deadline) {
        sleep_ns(2 * kMs);
      }
      ::kill(-pid_, SIGKILL);  // the leader, if it ignored SIGTERM, and anything it left
      if (reaped == 0) ::waitpid(pid_, &status, 0);
      pid_ = -1;
      g_server_group = 0;
    }
    std::error_code ignored;
    if (!dir_.empty()) fs::remove_all(dir_, ignored);
    dir_.clear();
  }

 private:
  void spawn(const ServerCommand& command) {
    std::vector<std::string> args = command.argv;
    for (auto& arg : args) {
      if (auto at = arg.find("{port}"); at != std::string::npos) {
        arg.replace(at, 6, std::to_string(port_));
      }
    }
    std::vector<std::string> env;
    for (char** entry = environ; *entry != nullptr; ++entry) {
      const std::string_view variable(*entry);
      if (!variable.starts_with("XDG_CONFIG_HOME=") && !variable.starts_with("XDG_RUNTIME_DIR=")) {
        env.emplace_back(variable);
      }
    }
    env.push_back("XDG_CONFIG_HOME=" + (dir_ / "config").string());
    env.push_back("XDG_RUNTIME_DIR=" + (dir_ / "runtime").string());
    auto pointers = [](std::vector<std::string>& strings) {
      std::vector<char*> out;
      for (auto& s : strings) out.push_back(s.data());
      out.push_back(nullptr);
      return out;
    };
    std::vector<char*> argv = pointers(args);
    std::vector<char*> envp = pointers(env);
    const std::string log = (dir_ / "server.log").string();

    // posix_spawn is fork/exec made safe for a parent with threads, and it reports a failed exec
    // as its result instead of a child that exits 127.
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attributes);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    // Its own group, so stopping it reaches anything it starts; and default signal handling,
    // since the bench ignores SIGPIPE and an ignored signal stays ignored across exec.
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setflags(
        &attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    posix_spawnattr_setpgroup(&attributes, 0);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    posix_spawnattr_setsigmask(&attributes, &none);

    started_ = now_ns();
    pid_t pid = 0;
    const int error =
        ::posix_spawnp(&pid, argv[0], &actions, &attributes, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (error != 0) {
      throw BenchError(
          fmt::format("cannot start {} ({}): {}", name_, args[0], std::strerror(error)));
    }
    pid_ = pid;
    g_server_group = pid;
  }

  // Polls connect() with pauses of 0.1 ms, well under the resolution the ready figure needs.
  void wait_ready() {
    const std::int64_t deadline = started_ + 30 * kSecond;
    for (;;) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        g_server_group = 0;
        throw BenchError(
            fmt::format("{} stopped ({}) before accepting connections; its output:\n{}", name_,
                        describe_exit(status), log_tail()));
      }
      Fd probe = tcp_socket();
      if (connect_loopback(probe.get(), port_)) {
        FrameReader reader(kSmallBufferBytes);
        websocket_handshake(probe.get(), port_, reader);
        ready_ns_ = now_ns() - started_;
        return;
      }
      if (now_ns() > deadline) {
        throw BenchError(
            fmt::format("{} did not accept connections on port {} within 30 s; its "
                        "output:\n{}",
                        name_, port_, log_tail()));
      }
      sleep_ns(kMs / 10);
    }
  }

  std::string name_;
  fs::path dir_;
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
  std::int64_t started_ = 0;
  std::int64_t ready_ns_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Load: publishers and subscribers, each its own connection and threads

// Bus messages go to every client, the sender included: a publisher's connection reads its echoes
// like a subscriber (the bus drops a client that does not read).
class Load {
 public:
  // The body of one publisher's sender thread.
  using Sender = std::function<void(Load&, unsigned publisher, int fd)>;

  struct Snapshot {
    std::int64_t at = 0;
    std::uint64_t subscribers = 0;  // messages received by subscribers
    std::uint64_t everyone = 0;     // ... and by publishers (their echoes)
    std::array<std::uint64_t, kMaxPublishers> by_publisher{};  // at subscribers, per publisher
  };

  Load(std::uint16_t port, unsigned publishers, unsigned subscribers, std::uint64_t window)
      : publishers_(publishers), window_(window) {
    if (publishers == 0 || publishers > kMaxPublishers) {
      throw BenchError(fmt::format("1 to {} publishers", kMaxPublishers));
    }
    for (unsigned i = 0; i < publishers + subscribers; ++i) {
      const bool subscriber = i >= publishers;
      auto c =
          std::make_unique<Connection>(subscriber ? fmt::format("subscriber {}", i - publishers)
                                                  : fmt::format("publisher {}", i),
                                       subscriber);
      c->fd = connect_websocket(port, c->frames);
      connections_.push_back(std::move(c));
    }
  }
  ~Load() { close(); }
  Load(const Load&) = delete;
  Load& operator=(const Load&) = delete;

  // Starts `reader_threads` threads that share the reading of all connections, then one sender
  // thread per publisher.
  void start(const Sender& sender, std::size_t reader_threads) {
    reader_threads = std::clamp<std::size_t>(reader_threads, 1, connections_.size());
    for (std::size_t t = 0; t < reader_threads; ++t) {
      std::vector<Connection*> group;
      for (std::size_t i = t; i < connections_.size(); i += reader_threads) {
        group.push_back(connections_[i].get());
      }
      readers_.emplace_back([this, group = std::move(group)] { read(group); });
    }
    for (unsigned p = 0; p < publishers_; ++p) {
      Connection& c = *connections_[p];
      c.sending = true;
      c.sender = std::thread([this, &c, p, sender] {
        try {
          sender(*this, p, c.fd.get());
        } catch (const std::exception& e) {
          if (!closing_) {
            c.sender_error = e.what();
            fail();
          }
        }
        c.sending = false;
      });
    }
  }

  // Closed-loop flow control, per publisher so that the bench itself cannot favour one: false
  // once the run stops; otherwise returns when `frames` more would keep this publisher's messages
  // in flight (sent but not yet read by the slowest connection) within its share of the window. So
  // no reader falls far behind (none is dropped), and a publisher falls behind the others only if
  // the server is slower to take or deliver its messages.
  bool wait_for_room(unsigned publisher, std::uint64_t frames) {
    const std::uint64_t share = std::max(window_ / publishers_, frames);
    auto& need = need_[publisher];
    while (!stop_) {
      // Every connection must have read this many of the publisher's messages first.
      const std::uint64_t sent = sent_[publisher].load(std::memory_order_relaxed);
      const std::uint64_t wanted = sent + frames > share ? sent + frames - share : 0;
      if (slowest(publisher) >= wanted) return true;
      need.store(wanted, std::memory_order_relaxed);
      sync();  // either the last reader to get there sees `need`, or this check sees its count
      if (!stop_ && slowest(publisher) < wanted) need.wait(wanted, std::memory_order_acquire);
      need.store(0, std::memory_order_relaxed);
    }
    return false;
  }
  void add_sent(unsigned publisher, std::uint64_t frames) {
    sent_[publisher].fetch_add(frames, std::memory_order_relaxed);
  }
  bool stopping() const { return stop_.load(std::memory_order_relaxed); }
  // Subscribers record latencies only while this is on (not in warm-up or drain).
  void set_measuring(bool on) { measuring_.store(on, std::memory_order_relaxed); }

  // Sleeps until `until` in 50 ms steps, calling `tick` at each; returns early when every sender
  // has finished, and throws when a connection failed.
  void watch(std::int64_t until, const std::function<void()>& tick) {
    for (;;) {
      if (failed_) return finish();  // throws the failure
      const std::int64_t now = now_ns();
      if (!any_sending() || now >= until) return;
      if (tick) tick();
      sleep_ns(std::min(50 * kMs, until - now));
    }
  }

  Snapshot snapshot() const {
    Snapshot s;
    s.at = now_ns();
    for (const auto& c : connections_) {
      const std::uint64_t received = c->received.load(std::memory_order_relaxed);
      s.everyone += received;
      if (!c->subscriber) continue;
      s.subscribers += received;
      for (unsigned p = 0; p < publishers_; ++p) {
        s.by_publisher[p] += c->by_publisher[p].load(std::memory_order_relaxed);
      }
    }
    return s;
  }

  // Stops the senders, waits until every connection has read every message sent, closes them all,
  // and throws if anything went wrong on the way.
  void finish() {
    stop();
    const std::int64_t deadline = now_ns() + kDrainLimit;
    std::string problem;
    // A publisher blocked in send() finishes its batch once the bus reads it.
    while (!failed_ && now_ns() < deadline && any_sending()) sleep_ns(kMs);
    for (const auto& c : connections_) {
      if (!failed_ && problem.empty() && c->sending) {
        problem = fmt::format("{} could not hand its last batch to the server within {} s", c->name,
                              kDrainLimit / kSecond);
      }
    }
    std::uint64_t sent = 0;
    for (unsigned p = 0; p < publishers_; ++p) sent += sent_[p];
    while (!failed_ && problem.empty() && now_ns() < deadline && slowest() < sent) sleep_ns(kMs);
    close();
    for (const auto& c : connections_) {
      for (const std::string* error : {&c->reader_error, &c->sender_error}) {
        if (!error->empty()) throw BenchError(fmt::format("{}: {}", c->name, *error));
      }
    }
    if (!problem.empty()) throw BenchError(problem);
    for (const auto& c : connections_) {
      if (c->received != sent) {
        throw BenchError(fmt::format("{} received {} of the {} messages sent within {} s", c->name,
                                     grouped(c->received), grouped(sent), kDrainLimit / kSecond));
      }
    }
  }

  // Merged over the subscribers; valid after finish().
  Histogram latency() const {
    Histogram merged;
    for (const auto& c : connections_) merged.merge(c->latency);
    return merged;
  }

 private:
  static constexpr std::int64_t kDrainLimit = 10 * kSecond;

  struct Connection {
    Connection(std::string name_in, bool subscriber_in)
        : name(std::move(name_in)), subscriber(subscriber_in) {}

    const std::string name;
    const bool subscriber;
    Fd fd;
    FrameReader frames{kLoadBufferBytes};
    // Written by the reader thread, read by everyone.
    alignas(64) std::atomic<std::uint64_t> received{0};
    std::array<std::atomic<std::uint64_t>, kMaxPublishers> by_publisher{};
    std::atomic<bool> sending{false};
    // Owned by the threads until they are joined.
    Histogram latency;
    std::string reader_error;
    std::string sender_error;
    std::thread sender;
  };

  // One reader thread: an epoll loop over its connections. Many connections per thread spare the
  // context switch per read that a blocking thread per connection costs, which on two cores is CPU
  // taken from the server.
  void read(const std::vector<Connection*>& group) {
    Connection* current = nullptr;
    try {
      Fd poll(::epoll_create1(EPOLL_CLOEXEC));
      if (poll.get() < 0) throw_errno("epoll_create1");
      for (Connection* c : group) {
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.ptr = c;
        if (::epoll_ctl(poll.get(), EPOLL_CTL_ADD, c->fd.get(), &event) != 0) {
          throw_errno("epoll_ctl");
        }
      }
      std::array<epoll_event, 64> events{};
      for (;;) {
        const int ready = ::epoll_wait(poll.get(), events.data(), events.size(), -1);
        if (ready < 0 && errno != EINTR) throw_errno("epoll_wait");
        if (closing_) return;
        for (int i = 0; i < ready; ++i) {
          current = static_cast<Connection*>(events[static_cast<std::size_t>(i)].data.ptr);
          receive(*current);
        }
        current = nullptr;
        sync();  // see wait_for_room()
        wake_publishers();
      }
    } catch (const std::exception& e) {
      if (!closing_) {
        // A failure of the thread itself (not of one connection) goes to its first connection.
        (current ? current : group.front())->reader_error = e.what();
        fail();
      }
    }
  }

  // One recv() on a connection that has data, and the whole frames it completes.
  void receive(Connection& c) {
    if (!c.frames.receive(c.fd.get())) {
      throw BenchError(
          fmt::format("the server closed the connection after {} messages (the bus "
                      "drops a client that reads too slowly)",
                      grouped(c.received)));
    }
    // One clock read per receive: the frames in it arrived together.
    const std::int64_t now = now_ns();
    const bool measuring = c.subscriber && measuring_.load(std::memory_order_relaxed);
    std::uint64_t count = c.received.load(std::memory_order_relaxed);
    while (auto frame = c.frames.next()) {
      const std::string_view payload = frame->payload;
      if (frame->opcode != kOpText || payload.size() != kMessageBytes) {
        throw BenchError(frame->opcode == kOpClose
                             ? "the server sent a close frame"
                             : fmt::format("unexpected frame: {:.80}", payload));
      }
      ++count;
      const auto publisher =
          parse_digits(payload.data() + kPublisherOffset, kPublisherDigits) - kFirstPublisherId;
      if (publisher >= publishers_) {
        throw BenchError(fmt::format("unexpected message: {:.80}", payload));
      }
      auto& from = c.by_publisher[publisher];
      from.store(from.load(std::memory_order_relaxed) + 1, std::memory_order_release);
      if (measuring) {
        const auto sent = parse_digits(payload.data() + kTimeOffset, kTimeDigits) - kTimeBase;
        c.latency.record(now - static_cast<std::int64_t>(sent));
      }
    }
    c.received.store(count, std::memory_order_release);
  }

  // Messages read by the connection that has read the fewest: all of them, or one publisher's.
  std::uint64_t slowest() const {
    std::uint64_t least = std::numeric_limits<std::uint64_t>::max();
    for (const auto& c : connections_) {
      least = std::min(least, c->received.load(std::memory_order_acquire));
    }
    return least;
  }
  std::uint64_t slowest(unsigned publisher) const {
    std::uint64_t least = std::numeric_limits<std::uint64_t>::max();
    for (const auto& c : connections_) {
      least = std::min(least, c->by_publisher[publisher].load(std::memory_order_acquire));
    }
    return least;
  }
  bool any_sending() const {
    return std::any_of(connections_.begin(), connections_.end(),
                       [](const auto& c) { return c->sending.load(); });
  }
  // A publisher stores `need` then reads the counts; a reader stores counts then reads `need`.
  // Both call this in between: read-modify-writes of one variable are totally ordered, so the
  // later of the two sees what the earlier stored, and no wake-up is lost.
  void sync() { sync_.fetch_add(1, std::memory_order_acq_rel); }

  // Wakes the publishers waiting for messages that every connection has now read; a waiting
  // publisher is not woken in vain by every read.
  void wake_publishers() {
    for (unsigned p = 0; p < publishers_; ++p) {
      std::uint64_t wanted = need_[p].load(std::memory_order_relaxed);
      if (wanted != 0 && slowest(p) >= wanted && need_[p].compare_exchange_strong(wanted, 0)) {
        need_[p].notify_one();
      }
    }
  }
  // Sets stop_ and wakes every waiting publisher to see it.
  void stop() {
    stop_ = true;
    for (auto& need : need_) {
      need = 0;
      need.notify_one();
    }
  }
  void fail() {
    failed_ = true;
    stop();
  }
  // Shutting the sockets down wakes threads blocked in recv() or send().
  void close() {
    if (closed_) return;
    closed_ = true;
    closing_ = true;
    stop();
    for (auto& c : connections_) ::shutdown(c->fd.get(), SHUT_RDWR);
    for (auto& reader : readers_) reader.join();
    for (auto& c : connections_) {
      if (c->sender.joinable()) c->sender.join();
    }
  }

  const unsigned publishers_;
  const std::uint64_t window_;
  std::vector<std::unique_ptr<Connection>> connections_;
  std::vector<std::thread> readers_;
  std::array<std::atomic<std::uint64_t>, kMaxPublishers> sent_{};
  std::array<std::atomic<std::uint64_t>, kMaxPublishers> need_{};  // 0: not waiting
  std::atomic<std::uint64_t> sync_{0};
  std::atomic<bool> stop_{false};
  std::atomic<bool> measuring_{false};
  std::atomic<bool> closing_{false};  // sockets are being shut down: errors are expected
  std::atomic<bool> failed_{false};
  bool closed_ = false;
};

// ---------------------------------------------------------------------------------------------
// Options

constexpr std::array<std::string_view, 5> kScenarios = {"throughput", "latency", "rss", "ready",
                                                        "connect"};

struct Options {
  std::string hark = HARK_BINARY;
  std::string baseline_script = HARK_BASELINE_SCRIPT;
  std::string python = "/usr/bin/python3";
  std::optional<double> duration_s;
  bool quick = false;
  bool baseline = true;
  std::set<std::string, std::less<>> only;
  std::string json_path;
  std::uint64_t window = 1024;

  double duration() const { return duration_s.value_or(quick ? 1.0 : 3.0); }
  unsigned latency_messages() const { return quick ? 1000 : 5000; }
  bool wants(std::string_view scenario) const { return only.empty() || only.contains(scenario); }
};

constexpr std::string_view kUsage = R"(usage: bus_bench [options]
Starts `hark bus` and the OVOS Python bus baseline, loads each, and prints figures.
  --hark PATH             hark binary (default: the one built with this bench)
  --baseline-script PATH  ovos_python_bus.py (default: bench/baseline/ in the source tree)
  --python PATH           interpreter with tornado for the baseline (default /usr/bin/python3)
  --duration S            seconds per throughput run (default 3)
  --quick                 1 s runs and 1,000 paced messages, for CI
  --no-baseline           measure hark only
  --only LIST             comma-separated: throughput,latency,rss,ready,connect
  --window N              messages in flight in the throughput runs (default 1024)
  --json FILE             also write the final JSON line to FILE
)";

Options parse_options(int argc, char** argv) {
  Options o;
  auto value = [&](int& i) -> std::string {
    if (i + 1 >= argc) throw BenchError(fmt::format("{} needs a value\n{}", argv[i], kUsage));
    return argv[++i];
  };
  auto number = [&](int& i) {
    const std::string text = value(i);
    try {
      std::size_t used = 0;
      const double parsed = std::stod(text, &used);
      if (used == text.size() && parsed > 0) return parsed;
    } catch (const std::exception&) {
    }
    throw BenchError(fmt::format("{} needs a positive number, not '{}'", argv[i - 1], text));
  };
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--hark") {
      o.hark = value(i);
    } else if (arg == "--baseline-script") {
      o.baseline_script = value(i);
    } else if (arg == "--python") {
      o.python = value(i);
    } else if (arg == "--duration") {
      o.duration_s = number(i);
    } else if (arg == "--quick") {
      o.quick = true;
    } else if (arg == "--no-baseline") {
      o.baseline = false;
    } else if (arg == "--only") {
      const std::string text = value(i);
      std::string_view list = text;
      while (!list.empty()) {
        const std::string_view name = list.substr(0, list.find(','));
        if (std::find(kScenarios.begin(), kScenarios.end(), name) == kScenarios.end()) {
          throw BenchError(
              fmt::format("--only: no scenario '{}' (throughput, latency, rss, "
                          "ready, connect)",
                          name));
        }
        o.only.emplace(name);
        list.remove_prefix(std::min(list.size(), name.size() + 1));
      }
    } else if (arg == "--window") {
      o.window = static_cast<std::uint64_t>(number(i));
    } else if (arg == "--json") {
      o.json_path = value(i);
    } else if (arg == "--help" || arg == "-h") {
      fmt::print("{}", kUsage);
      std::exit(0);
    } else {
      throw BenchError(fmt::format("unknown option '{}'\n{}", arg, kUsage));
    }
  }
  return o;
}

// ---------------------------------------------------------------------------------------------
// Scenarios. Each prints one line and adds its figures to `figures`.

void print_line(std::string_view server, std::string_view scenario, std::string_view figures) {
  fmt::print("{:<9} {:<20} {}\n", server, scenario, figures);
  std::fflush(stdout);
}

double megabytes(std::uint64_t kb) {
  return static_cast<double>(kb) * 1024.0 / 1e6;
}

// Below this share of a core in a throughput run, something else (another process, or the bench)
// limited the server, and its figure says more about the machine than about the server.
constexpr double kBusyServer = 0.8;

// Closed loop: publishers send batches as fast as the flow-control window lets them.
void throughput(const Server& server, const Options& o, unsigned publishers, unsigned subscribers,
                Json& figures, std::uint64_t& peak_rss_kb) {
  const std::uint64_t batch = std::clamp<std::uint64_t>(o.window / (4 * publishers), 1, 256);
  Load load(server.port(), publishers, subscribers, o.window);
  load.start(
      [batch](Load& l, unsigned publisher, int fd) {
        Batch frames(publisher, batch);
        while (l.wait_for_room(publisher, batch)) {
          frames.stamp(now_ns());
          send_all(fd, frames.data(), frames.size());
          l.add_sent(publisher, batch);
        }
      },
      1);  // one epoll thread reads every connection: the least CPU taken from the server
  const auto sample = [&] { peak_rss_kb = std::max(peak_rss_kb, server.rss_kb()); };
  const auto duration = static_cast<std::int64_t>(o.duration() * static_cast<double>(kSecond));
  load.watch(now_ns() + std::min(300 * kMs, duration / 5), sample);  // warm-up
  load.set_measuring(true);
  const Load::Snapshot begin = load.snapshot();
  const std::int64_t server_cpu = server.cpu_ns();
  const std::int64_t bench_cpu = own_cpu_ns();
  load.watch(begin.at + duration, sample);
  const Load::Snapshot end = load.snapshot();
  // Shares of one core: a server near 100% is the bottleneck, as it should be.
  const double server_share =
      static_cast<double>(server.cpu_ns() - server_cpu) / static_cast<double>(end.at - begin.at);
  const double bench_share =
      static_cast<double>(own_cpu_ns() - bench_cpu) / static_cast<double>(end.at - begin.at);
  load.set_measuring(false);
  load.finish();

  const double seconds = static_cast<double>(end.at - begin.at) / static_cast<double>(kSecond);
  const auto delivered = static_cast<std::uint64_t>(
      static_cast<double>(end.subscribers - begin.subscribers) / seconds);
  const auto deliveries =
      static_cast<std::uint64_t>(static_cast<double>(end.everyone - begin.everyone) / seconds);
  const Histogram latency = load.latency();
  const std::string key = fmt::format("throughput_{}x{}_", publishers, subscribers);
  figures[key + "delivered_per_s"] = delivered;
  figures[key + "deliveries_per_s"] = deliveries;
  figures[key + "p50_ms"] = latency.percentile_ms(0.50);
  figures[key + "p99_ms"] = latency.percentile_ms(0.99);
  figures[key + "server_cpu"] = server_share;
  figures[key + "bench_cpu"] = bench_share;
  std::string line = fmt::format(
      "{:>9} msg/s delivered to subscribers ({} deliveries/s with echoes); latency p50 {:.2f} ms, "
      "p99 {:.2f} ms; CPU server {:.0f}%, bench {:.0f}%",
      grouped(delivered), grouped(deliveries), latency.percentile_ms(0.50),
      latency.percentile_ms(0.99), 100 * server_share, 100 * bench_share);
  if (publishers > 1) {
    std::uint64_t least = std::numeric_limits<std::uint64_t>::max();
    std::uint64_t most = 0;
    for (unsigned p = 0; p < publishers; ++p) {
      least = std::min(least, end.by_publisher[p] - begin.by_publisher[p]);
      most = std::max(most, end.by_publisher[p] - begin.by_publisher[p]);
    }
    const double fairness =
        most == 0 ? 0.0 : static_cast<double>(least) / static_cast<double>(most);
    figures[key + "fairness"] = fairness;
    figures[key + "least_per_publisher"] = least;
    figures[key + "most_per_publisher"] = most;
    line += fmt::format("; per publisher min/max {}/{} ({:.2f})", grouped(least), grouped(most),
                        fairness);
  }
  if (server_share < kBusyServer) {
    line += " [server under 80% of a core: busy machine, figure understated]";
  }
  print_line(server.name(), fmt::format("throughput {}x{}", publishers, subscribers), line);
}

struct PacedResult {
  Histogram latency;  // at the subscribers
  double delivered_per_s;
};

// Open loop: every publisher sends `per_ms` messages in one batch each millisecond, for `ms`
// milliseconds, the publishers spread over the millisecond so that the load arrives evenly.
PacedResult paced(const Server& server, const Options& o, unsigned publishers, unsigned subscribers,
                  unsigned per_ms, unsigned ms, std::size_t reader_threads) {
  Load load(server.port(), publishers, subscribers, o.window);
  load.set_measuring(true);
  const std::int64_t start = now_ns();
  load.start(
      [=](Load& l, unsigned publisher, int fd) {
        Batch frames(publisher, per_ms);
        std::int64_t next = start + publisher * kMs / publishers;
        for (unsigned i = 0; i < ms && !l.stopping(); ++i, next += kMs) {
          sleep_until_ns(next);
          frames.stamp(now_ns());
          send_all(fd, frames.data(), frames.size());
          l.add_sent(publisher, per_ms);
        }
      },
      reader_threads);
  load.watch(start + ms * kMs + 10 * kSecond, {});  // returns when the senders are done
  const double seconds = static_cast<double>(now_ns() - start) / static_cast<double>(kSecond);
  load.finish();
  return {load.latency(), publishers * per_ms * ms * subscribers / seconds};
}

std::string latency_text(const Histogram& latency) {
  return fmt::format("p50 {:.3f} ms, p99 {:.3f} ms, max {:.3f} ms", latency.percentile_ms(0.50),
                     latency.percentile_ms(0.99), latency.max_ms());
}

void add_latency(Json& figures, const std::string& prefix, const Histogram& latency) {
  figures[prefix + "p50_ms"] = latency.percentile_ms(0.50);
  figures[prefix + "p99_ms"] = latency.percentile_ms(0.99);
  figures[prefix + "max_ms"] = latency.max_ms();
}

// One publisher at 1,000 msg/s, one message per send, ten subscribers.
void latency_1000(const Server& server, const Options& o, Json& figures) {
  constexpr unsigned kSubscribers = 10;
  const unsigned count = o.latency_messages();
  // A reader thread per connection: a subscriber's latency does not wait for others to be read.
  const PacedResult run = paced(server, o, 1, kSubscribers, 1, count, kSubscribers + 1);
  figures["latency_messages"] = count;
  add_latency(figures, "latency_", run.latency);
  print_line(server.name(), "latency 1000/s x10",
             fmt::format("{} ({} messages x {} subscribers)", latency_text(run.latency),
                         grouped(count), kSubscribers));
}

// The 10x10 target load, 400,000 deliveries/s (10 publishers x 4,000 msg/s x 10 subscribers),
// paced: its latency is the server's, where the closed loop's mostly reflects the window.
void latency_10x10_target(const Server& server, const Options& o, Json& figures) {
  const auto ms = static_cast<unsigned>(o.duration() * 1000);
  const PacedResult run = paced(server, o, 10, 10, 4, ms, 1);
  const auto delivered = static_cast<std::uint64_t>(run.delivered_per_s);
  figures["paced_10x10_delivered_per_s"] = delivered;
  add_latency(figures, "paced_10x10_", run.latency);
  print_line(server.name(), "latency 10x10 paced",
             fmt::format("{} at {} deliveries/s", latency_text(run.latency), grouped(delivered)));
}

constexpr unsigned kCrowd = 100;

// RSS with kCrowd clients connected, handshaken and idle.
std::uint64_t rss_with_idle_clients(const Server& server) {
  std::vector<Fd> clients;
  for (unsigned i = 0; i < kCrowd; ++i) {
    FrameReader reader(kSmallBufferBytes);
    clients.push_back(connect_websocket(server.port(), reader));
  }
  sleep_ns(200 * kMs);
  return server.rss_kb();
}

// kCrowd clients connect at the same instant, released by a barrier.
void connect_burst(const Server& server, Json& figures) {
  std::vector<Fd> sockets;
  for (unsigned i = 0; i < kCrowd; ++i) sockets.push_back(tcp_socket());
  // Each thread writes only its own slot: when it finished (0 if it failed), or why it failed.
  std::vector<std::int64_t> done(kCrowd);
  std::vector<std::string> errors(kCrowd);
  std::int64_t released = 0;
  std::barrier gate(kCrowd, [&released]() noexcept { released = now_ns(); });
  std::vector<std::thread> threads;
  for (unsigned i = 0; i < kCrowd; ++i) {
    threads.emplace_back([&, i] {
      FrameReader reader(kSmallBufferBytes);
      gate.arrive_and_wait();
      try {
        if (!connect_loopback(sockets[i].get(), server.port())) {
          throw BenchError("connection refused");
        }
        websocket_handshake(sockets[i].get(), server.port(), reader);
        done[i] = now_ns();
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const auto succeeded =
      static_cast<unsigned>(std::count_if(done.begin(), done.end(), [](auto t) { return t > 0; }));
  const double last_ms =
      succeeded == 0 ? 0.0 : to_ms(*std::max_element(done.begin(), done.end()) - released);
  const auto failure =
      std::find_if(errors.begin(), errors.end(), [](const auto& e) { return !e.empty(); });
  figures["connect_burst_ok"] = succeeded;
  figures["connect_burst_ms"] = last_ms;
  print_line(
      server.name(), "connect burst",
      fmt::format("{}/{} handshakes succeeded, the last after {:.1f} ms{}", succeeded, kCrowd,
                  last_ms, failure == errors.end() ? "" : "; first failure: " + *failure));
}

// Median of kStarts starts, from the spawn to the first greeting.
void ready_time(const ServerCommand& command, Json& figures) {
  constexpr std::size_t kStarts = 5;
  std::vector<double> times;
  for (std::size_t i = 0; i < kStarts; ++i) times.push_back(to_ms(Server(command).ready_ns()));
  std::sort(times.begin(), times.end());
  figures["ready_ms"] = times[kStarts / 2];
  figures["ready_min_ms"] = times.front();
  figures["ready_max_ms"] = times.back();
  print_line(command.name, "ready",
             fmt::format("median {:.2f} ms of {} starts (min {:.2f}, max {:.2f})",
                         times[kStarts / 2], kStarts, times.front(), times.back()));
}

// Every scenario against one server; the figures, keyed as in the JSON.
Json measure(const ServerCommand& command, const Options& o) {
  Json figures = Json::object();
  if (o.wants("rss") || o.wants("connect") || o.wants("throughput") || o.wants("latency")) {
    Server server(command);
    try {
      std::optional<std::uint64_t> idle_kb, crowd_kb;
      if (o.wants("rss")) {
        sleep_ns(200 * kMs);  // the ready probe's connection has gone
        idle_kb = server.rss_kb();
        crowd_kb = rss_with_idle_clients(server);
      }
      if (o.wants("connect")) connect_burst(server, figures);
      std::uint64_t peak_kb = 0;
      if (o.wants("throughput")) {
        for (auto [publishers, subscribers] : {std::pair{1u, 1u}, {1u, 10u}, {10u, 10u}}) {
          throughput(server, o, publishers, subscribers, figures, peak_kb);
        }
      }
      if (o.wants("latency")) {
        latency_1000(server, o, figures);
        if (command.takes_target_load) latency_10x10_target(server, o, figures);
      }
      if (idle_kb) {
        figures["rss_idle_mb"] = megabytes(*idle_kb);
        figures["rss_100_clients_mb"] = megabytes(*crowd_kb);
        std::string line = fmt::format("idle {:.1f} MB, {} idle clients {:.1f} MB",
                                       megabytes(*idle_kb), kCrowd, megabytes(*crowd_kb));
        if (peak_kb > 0) {
          figures["rss_peak_load_mb"] = megabytes(peak_kb);
          line += fmt::format(", peak under the throughput load {:.1f} MB", megabytes(peak_kb));
        }
        print_line(server.name(), "rss", line);
      }
    } catch (const BenchError& e) {
      throw BenchError(fmt::format("{}: {}\n{} output, last lines:\n{}", command.name, e.what(),
                                   command.name, server.log_tail()));
    }
  }
  if (o.wants("ready")) ready_time(command, figures);
  return figures;
}

// ---------------------------------------------------------------------------------------------
// Summary

// No target, or a figure that was not measured.
constexpr double kNone = std::numeric_limits<double>::quiet_NaN();

struct Row {
  std::string_view key;
  std::string_view label;
  int decimals;
  double target;  // from the issue; kNone for none
  bool at_least;  // the target is a minimum (else a maximum)
  // Measured elsewhere with the OVOS servers, for scale.
  std::string_view ovos_cpp;
  std::string_view ovos_python;
};

// "No publisher starved" is read as: the least served publisher got at least half as many
// messages through as the most served one.
constexpr Row kRows[] = {
    {"throughput_1x1_delivered_per_s", "delivered msg/s 1x1", 0, kNone, true, "", ""},
    {"throughput_1x10_delivered_per_s", "delivered msg/s 1x10", 0, 500'000, true, "110,000",
     "30,000"},
    {"throughput_10x10_delivered_per_s", "delivered msg/s 10x10", 0, 400'000, true, "65,000",
     "18,000"},
    {"throughput_10x10_p99_ms", "10x10 closed-loop p99 ms", 2, kNone, false, "", ""},
    {"paced_10x10_p99_ms", "10x10 at 400k/s p99 ms", 2, 20, false, "", ""},
    {"throughput_10x10_fairness", "10x10 publisher min/max", 2, 0.5, true, "", "starves"},
    {"latency_p50_ms", "1000/s x10 p50 ms", 3, kNone, false, "", ""},
    {"latency_p99_ms", "1000/s x10 p99 ms", 3, 0.3, false, "", ""},
    {"latency_max_ms", "1000/s x10 max ms", 3, kNone, false, "", ""},
    {"rss_idle_mb", "RSS idle MB", 1, 6, false, "", ""},
    {"rss_100_clients_mb", "RSS 100 idle clients MB", 1, kNone, false, "", ""},
    {"rss_peak_load_mb", "RSS peak under load MB", 1, 16, false, "", ""},
    {"ready_ms", "ready ms (median of 5)", 2, 5, false, "", ""},
    {"connect_burst_ok", "burst handshakes of 100", 0, kNone, true, "", ""},
};

std::string format_figure(double value, int decimals) {
  if (std::isnan(value)) return "-";
  if (decimals == 0) return grouped(static_cast<std::uint64_t>(std::llround(value)));
  return fmt::format("{:.{}f}", value, decimals);
}

double figure(const Json& figures, std::string_view key) {
  const auto it = figures.find(key);
  return it == figures.end() ? kNone : it->get<double>();
}

void print_summary(const Json& hark, const Json* baseline) {
  fmt::print("\n{:<26} {:>11} {:>11} {:>10} {:>11} {:>5} {:>9} {:>11}\n", "figure", "hark",
             "baseline", "hark/base", "target", "met", "OVOS C++", "OVOS Python");
  for (const Row& row : kRows) {
    const double ours = figure(hark, row.key);
    const double theirs = baseline ? figure(*baseline, row.key) : kNone;
    const std::string ratio = std::isnan(ours) || std::isnan(theirs) || theirs == 0
                                  ? "-"
                                  : fmt::format("{:.2f}", ours / theirs);
    std::string target = "-";
    std::string met;
    if (!std::isnan(row.target)) {
      target =
          fmt::format("{} {}", row.at_least ? ">=" : "<=", format_figure(row.target, row.decimals));
      if (!std::isnan(ours)) {
        met = (row.at_least ? ours >= row.target : ours <= row.target) ? "yes" : "NO";
      }
    }
    fmt::print("{:<26} {:>11} {:>11} {:>10} {:>11} {:>5} {:>9} {:>11}\n", row.label,
               format_figure(ours, row.decimals), format_figure(theirs, row.decimals), ratio,
               target, met, row.ovos_cpp, row.ovos_python);
  }
  fmt::print("\n");
}

int run(int argc, char** argv) {
  const Options o = parse_options(argc, argv);
  const ServerCommand hark{"hark", {o.hark, "--set", "websocket.port={port}", "bus"}, true};
  const ServerCommand baseline{
      "baseline", {o.python, o.baseline_script, "--port", "{port}"}, false};

  Json result = Json::object();
  result["settings"] = {{"duration_s", o.duration()},
                        {"window", o.window},
                        {"latency_messages", o.latency_messages()},
                        {"cpus", std::thread::hardware_concurrency()},
                        {"hark", o.hark}};
  result["hark"] = measure(hark, o);
  if (o.baseline) result["baseline"] = measure(baseline, o);
  print_summary(result["hark"], o.baseline ? &result["baseline"] : nullptr);

  const std::string line = result.dump();
  if (!o.json_path.empty()) {
    std::ofstream out(o.json_path);
    out << line << "\n";
    if (!out) throw BenchError(fmt::format("cannot write {}", o.json_path));
  }
  fmt::print("{}\n", line);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // A socket the server closed must fail its send(), not kill the bench.
  ::signal(SIGPIPE, SIG_IGN);
  ::signal(SIGINT, on_fatal_signal);
  ::signal(SIGTERM, on_fatal_signal);
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fflush(stdout);
    fmt::print(stderr, "bus_bench: error: {}\n", e.what());
    return 1;
  }
}
