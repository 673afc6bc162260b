// The HTTP side of a bus connection: decides what to answer to a request before any WebSocket
// frame flows. Pure (no I/O), so every refusal can be tested on its own.
#pragma once

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <string>
#include <string_view>

namespace hark::bus {

using HttpRequest = boost::beast::http::request<boost::beast::http::empty_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

struct HandshakePolicy {
  std::string route;  // e.g. "/core"
  std::string token;  // empty: no authentication
  bool room_for_client = true;
};

enum class Verdict {
  upgrade,       // 101: the response carries Sec-WebSocket-Accept; frames follow
  status,        // a GET of /status: the caller fills in the statistics
  refused,       // an HTTP error, the connection closes after it
  unauthorized,  // 401, counted apart from other refusals
};

struct Decision {
  Verdict verdict;
  HttpResponse response;
};

Decision decide(const HttpRequest& request, const HandshakePolicy& policy);

// base64(SHA-1(key + the RFC 6455 GUID))
std::string websocket_accept_key(std::string_view client_key);

// Compares in time independent of where the strings differ.
bool same_secret(std::string_view a, std::string_view b) noexcept;

}  // namespace hark::bus
