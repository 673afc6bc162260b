// Reading a pipe or a socket line by line, as the supervisor reads its children's output and
// `hark up`'s control channel.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace hark::supervisor {

using Deadline = std::optional<std::chrono::steady_clock::time_point>;

// Waits for `fd` to be readable (or closed); false when the deadline passes first. Without a
// deadline it waits as long as it takes.
bool wait_readable(int fd, const Deadline& deadline);

// Reads `fd` to its end, giving each line to `on_line` without its '\n' (the last one also when
// it has none). False when the deadline passes first; what came until then has been given.
bool read_lines(int fd, const std::function<void(const std::string& line)>& on_line,
                const Deadline& deadline = std::nullopt);

}  // namespace hark::supervisor
