// An http:// or https:// address taken apart, for the listener's STT server client. In a file
// of its own, without OpenSSL, because configuration checks (linked into every `hark` process)
// parse URLs too.
#pragma once

#include <string>

namespace hark::listener {

// One parsed server address.
struct HttpUrl {
  bool tls = false;
  std::string host;  // without IPv6 brackets
  std::string port;
  std::string target;  // path and query, at least "/"

  // Throws std::invalid_argument saying what is wrong with `url`.
  static HttpUrl parse(const std::string& url);
};

}  // namespace hark::listener
