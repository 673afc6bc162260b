// Spoken responses from .dialog files, rendered as OVOS does (protocols.md §4):
//
//   DialogRenderer dialogs(std::move(loaded.value.dialogs));   // seeded from the OS
//   dialogs.render("time.current", {{"time", "ten past two"}}).text;   // "It's ten past two."
//
// A random line is picked, avoiding the last min(3, lines - 2) picked from the same file (so
// files of one or two lines are never held back), its {slots} are filled from the data, and one
// of its expansions is picked at random. A dialog that does not exist renders its own name with
// the dots read as spaces ("record.not.found" says "record not found").
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "skills/resources.h"

namespace hark::skills {

// The renderer's only source of chance. Seeded, it makes the same picks on every platform
// (mt19937_64's output is fixed by the standard; the distributions are not, so none is used).
class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}
  // Uniform enough in [0, n) for picking among a few lines; n must not be 0.
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(engine_() % n); }

 private:
  std::mt19937_64 engine_;
};

struct RenderedDialog {
  std::string text;
  // Slots the data had no value for; they render as nothing (Python would raise KeyError).
  std::vector<std::string> missing;
};

// Not thread-safe: it remembers what it said. One per skill, used from the skill's thread.
class DialogRenderer {
 public:
  explicit DialogRenderer(std::map<std::string, DialogFile> dialogs);
  DialogRenderer(std::map<std::string, DialogFile> dialogs, std::uint64_t seed);

  // `data` is an object of slot values: strings as they are, other values as Python's str()
  // writes them (5, 2.5, True, None).
  RenderedDialog render(std::string_view name, const Json& data = Json::object());

 private:
  std::map<std::string, DialogFile, std::less<>> dialogs_;
  // Per dialog, the line numbers picked last, oldest first.
  std::map<std::string, std::deque<std::size_t>, std::less<>> recent_;
  Random random_;
};

}  // namespace hark::skills
