// mycroft.conf is hand-edited, and a broken file must be reported (file:line:column) and
// skipped, never crash a service: parse_text may throw ConfigError and nothing else. The same
// text is tried as a --set assignment, whose value goes through the same JSON reading.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "config/config.h"

namespace {

// A reported position must lie inside the text.
void check_position(const hark::config::ConfigError& e, std::string_view text) {
  const auto lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
  const bool ok = e.line() == 0 ? e.column() == 0
                                : e.line() <= lines && e.column() >= 1 &&
                                      e.column() <= static_cast<int>(text.size()) + 1;
  if (!ok) {
    std::fprintf(stderr, "fuzz_config: position out of the text: %s\n", e.what());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    hark::Json conf = hark::config::parse_text(text, "fuzz.conf");
    hark::Json merged = hark::config::builtin_defaults();
    hark::config::deep_merge(merged, conf);
    (void)hark::config::find_path(merged, "websocket.port");
  } catch (const hark::config::ConfigError& e) {
    check_position(e, text);
  }
  try {
    hark::Json conf = hark::config::builtin_defaults();
    hark::config::apply_assignment(conf, text, "--set");
  } catch (const hark::config::ConfigError&) {
  }
  return 0;
}
