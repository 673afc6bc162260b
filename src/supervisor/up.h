// `hark up`: the whole stack from one command (docs/supervisor.md). Provisioning first, then
// the services of hark.up.services as supervised children of this same binary, their output
// merged on stdout, a control socket for `hark status`, `hark restart` and `hark logs`.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace hark::supervisor {

struct UpOptions {
  config::Sources sources;
  // Global options every hark child gets, so that it reads what `hark up` read (--config, --set).
  std::vector<std::string> pass_through;
  // Whether this binary has `hark <name>`.
  std::function<bool(std::string_view)> has_subcommand;
};

// Runs until SIGTERM or SIGINT, then stops the services last first; returns the exit code.
int run_up(const UpOptions& options);

}  // namespace hark::supervisor
