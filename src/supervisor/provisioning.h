// Provisioning: the executable files in <config dir>/provisioning (local files only, never a
// URL) run once each, in name order, when `hark up` starts; a record of those that succeeded
// keeps them from running again. The first that fails stops the run: it and those after it are
// tried again at the next start.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

namespace hark::supervisor {

struct ProvisioningResult {
  int ran = 0;          // succeeded this time
  int done_before = 0;  // recorded by an earlier start
  std::string failed;   // "10-voices.sh: exit code 2"; empty when none did
};

// $XDG_CONFIG_HOME/mycroft/provisioning
std::filesystem::path provisioning_folder();
// $XDG_STATE_HOME/hark/provisioned (default ~/.local/state): kept out of the config dir, which
// may be mounted read-only.
std::filesystem::path provisioning_record();

// Each output line of a script goes to `output` with the script's name.
ProvisioningResult provision(
    const std::filesystem::path& folder, const std::filesystem::path& record,
    const std::function<void(const std::string& script, const std::string& line)>& output);

}  // namespace hark::supervisor
