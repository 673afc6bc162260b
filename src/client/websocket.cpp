#include "client/websocket.h"

#include "core/module.h"

namespace hark::client {

WebSocketFactory plain_websockets() {
  return [](boost::asio::io_context& io) -> std::unique_ptr<WebSocket> {
    return std::make_unique<BeastWebSocket<boost::beast::tcp_stream>>(io);
  };
}

WebSocketFactory tls_websockets(const std::string& ca_file) {
  using Entry = void(const std::string&, WebSocketFactory&);
  WebSocketFactory factory;
  module_function<Entry>("tls", "hark_tls_websockets")(ca_file, factory);
  return factory;
}

}  // namespace hark::client
