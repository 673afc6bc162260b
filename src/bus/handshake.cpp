#include "bus/handshake.h"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/websocket/detail/hybi13.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

namespace hark::bus {
namespace http = boost::beast::http;
namespace {

constexpr std::string_view kServerName = "hark-bus";

HttpResponse reply(const HttpRequest& request, http::status status, std::string body) {
  HttpResponse response{status, request.version()};
  response.set(http::field::server, kServerName);
  response.set(http::field::content_type, "text/plain; charset=utf-8");
  response.set(http::field::connection, "close");
  response.keep_alive(false);
  response.body() = std::move(body) + "\n";
  response.prepare_payload();
  return response;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Tokens may hold any character, so query values are percent-decoded.
std::string percent_decode(std::string_view raw) {
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '%' && i + 2 < raw.size() && hex_digit(raw[i + 1]) >= 0 &&
        hex_digit(raw[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_digit(raw[i + 1]) * 16 + hex_digit(raw[i + 2])));
      i += 2;
    } else {
      out.push_back(raw[i] == '+' ? ' ' : raw[i]);
    }
  }
  return out;
}

// Splits "/core?token=abc&x=1" into its path and the value of `token`.
std::pair<std::string_view, std::string> path_and_token(std::string_view target) {
  auto question = target.find('?');
  std::string_view path = target.substr(0, question);
  std::string token;
  if (question == std::string_view::npos) return {path, token};
  std::string_view query = target.substr(question + 1);
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    if (pair.starts_with("token=")) token = percent_decode(pair.substr(6));
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return {path, token};
}

std::string_view bearer(const HttpRequest& request) {
  auto it = request.find(http::field::authorization);
  if (it == request.end()) return {};
  std::string_view value = it->value();
  constexpr std::string_view scheme = "Bearer ";
  if (value.size() > scheme.size() && value.substr(0, scheme.size()) == scheme) {
    return value.substr(scheme.size());
  }
  return {};
}

// A browser page elsewhere must not drive a loopback bus that has no token (cross-site
// WebSocket hijacking); programs that send no Origin, or a local one, are fine.
bool origin_allowed(const HttpRequest& request) {
  auto it = request.find(http::field::origin);
  if (it == request.end()) return true;
  std::string_view origin = it->value();
  auto scheme_end = origin.find("://");
  if (scheme_end == std::string_view::npos) return false;
  std::string_view host = origin.substr(scheme_end + 3);
  if (host.starts_with('[')) {
    host = host.substr(1, host.find(']') - 1);
  } else {
    host = host.substr(0, host.find(':'));
  }
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

}  // namespace

bool same_secret(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  // Every byte is compared whatever the first difference, so the time taken does not tell a
  // guesser how much of a token was right (OpenSSL's CRYPTO_memcmp would make the bus load
  // libcrypto for this alone).
  unsigned char difference = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    difference |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return difference == 0;
}

std::string websocket_accept_key(std::string_view client_key) {
  // Beast's own SHA-1: calling OpenSSL's would load its providers, 2 MB of RSS that a plain
  // ws:// bus has no other use for.
  boost::beast::static_string<28> accept;
  boost::beast::websocket::detail::make_sec_ws_accept(accept, client_key);
  return std::string(accept.data(), accept.size());
}

Decision decide(const HttpRequest& request, const HandshakePolicy& policy) {
  auto [path, query_token] = path_and_token(request.target());
  if (request.method() != http::verb::get) {
    auto response = reply(request, http::status::method_not_allowed, "only GET is served here");
    response.set(http::field::allow, "GET");
    return {Verdict::refused, std::move(response)};
  }
  if (path != policy.route && path != "/status") {
    return {Verdict::refused, reply(request, http::status::not_found, "no such route")};
  }
  if (!policy.token.empty()) {
    std::string_view presented = query_token.empty() ? bearer(request) : query_token;
    if (!same_secret(presented, policy.token)) {
      auto response = reply(request, http::status::unauthorized,
                            "this bus needs a token: ?token=... or Authorization: Bearer ...");
      response.set(http::field::www_authenticate, "Bearer");
      return {Verdict::unauthorized, std::move(response)};
    }
  } else if (!origin_allowed(request)) {
    return {Verdict::refused,
            reply(request, http::status::forbidden, "cross-origin connections need a token")};
  }
  if (path == "/status") {
    HttpResponse response = reply(request, http::status::ok, "");
    response.set(http::field::content_type, "application/json");
    return {Verdict::status, std::move(response)};
  }
  if (!boost::beast::websocket::is_upgrade(request)) {
    auto response = reply(request, http::status::upgrade_required, "this is a WebSocket endpoint");
    response.set(http::field::upgrade, "websocket");
    return {Verdict::refused, std::move(response)};
  }
  auto version = request.find(http::field::sec_websocket_version);
  if (version == request.end() || version->value() != "13") {
    auto response = reply(request, http::status::upgrade_required, "WebSocket version 13 only");
    response.set(http::field::sec_websocket_version, "13");
    return {Verdict::refused, std::move(response)};
  }
  auto key = request.find(http::field::sec_websocket_key);
  if (key == request.end() || key->value().empty()) {
    return {Verdict::refused,
            reply(request, http::status::bad_request, "Sec-WebSocket-Key missing")};
  }
  if (!policy.room_for_client) {
    return {Verdict::refused,
            reply(request, http::status::service_unavailable, "too many clients connected")};
  }
  HttpResponse response{http::status::switching_protocols, request.version()};
  response.set(http::field::server, kServerName);
  response.set(http::field::upgrade, "websocket");
  response.set(http::field::connection, "Upgrade");
  response.set(http::field::sec_websocket_accept, websocket_accept_key(key->value()));
  return {Verdict::upgrade, std::move(response)};
}

}  // namespace hark::bus
