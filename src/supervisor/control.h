// The control channel of a running `hark up`: a unix socket, up-<bus port>.sock in
// LockFile::runtime_dir(), readable by its user only. Not the bus, so that `hark status` and
// `hark restart bus` work while the bus itself is down.
//
// One JSON request line per connection; the answer follows and the connection closes:
//   {"command": "status"}                        -> Supervisor::status() as one JSON line
//   {"command": "restart", "service": "phal"}    -> {"ok": true} or {"error": "..."}
//   {"command": "logs", "service": "", "follow": false}
//                                                -> the backlog as text lines, then, with follow,
//                                                   every new line until the client hangs up
#pragma once

#include <boost/asio/io_context.hpp>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "core/json.h"

namespace hark::supervisor {

class LogHub;
class Supervisor;

std::filesystem::path control_socket_path(unsigned short bus_port);

class ControlServer {
 public:
  // Listens at `path` (a stale socket file there is replaced: the caller holds the lock).
  ControlServer(boost::asio::io_context& io, const std::filesystem::path& path,
                Supervisor& supervisor, LogHub& logs);
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// Sends `request` to the `hark up` listening at `path` and hands each line of the answer to
// `on_line` until the connection closes. Throws std::runtime_error saying why it could not ask.
void control_request(const std::filesystem::path& path, const Json& request,
                     const std::function<void(const std::string& line)>& on_line);

}  // namespace hark::supervisor
