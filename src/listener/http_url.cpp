#include "listener/http_url.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <string_view>

namespace hark::listener {

HttpUrl HttpUrl::parse(const std::string& url) {
  HttpUrl parsed;
  std::string_view rest = url;
  if (rest.starts_with("http://")) {
    rest.remove_prefix(7);
  } else if (rest.starts_with("https://")) {
    rest.remove_prefix(8);
    parsed.tls = true;
  } else {
    throw std::invalid_argument(fmt::format("'{}' is not an http:// or https:// URL", url));
  }
  const auto path_at = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, path_at);
  // "host?query" asks for the root: "/?query".
  std::string_view path = path_at == std::string_view::npos ? "" : rest.substr(path_at);
  parsed.target.push_back('/');
  parsed.target.append(path.substr(path.starts_with('/') ? 1 : 0));
  if (authority.find('@') != std::string_view::npos) {
    throw std::invalid_argument(fmt::format("'{}': credentials in the URL are not supported", url));
  }
  std::string_view port;
  if (authority.starts_with("[")) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      throw std::invalid_argument(fmt::format("'{}': unclosed [ in the host", url));
    }
    parsed.host = std::string(authority.substr(1, close - 1));
    authority.remove_prefix(close + 1);
    if (!authority.empty() && !authority.starts_with(":")) {
      throw std::invalid_argument(fmt::format("'{}': unexpected text after the host", url));
    }
    if (!authority.empty()) port = authority.substr(1);
  } else {
    const auto colon = authority.find(':');
    parsed.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (parsed.host.empty()) throw std::invalid_argument(fmt::format("'{}' has no host", url));
  if (port.empty()) {
    parsed.port = parsed.tls ? "443" : "80";
  } else {
    if (port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit) ||
        std::stoi(std::string(port)) < 1 || std::stoi(std::string(port)) > 65535) {
      throw std::invalid_argument(fmt::format("'{}': the port must be 1..65535", url));
    }
    parsed.port = std::string(port);
  }
  return parsed;
}

}  // namespace hark::listener
