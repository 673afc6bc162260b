// Python regular expressions, as skills write them in .rx files and send in register_vocab
// {regex}, run with PCRE2. Named groups (?P<name>...) become plain groups looked up by number,
// so names of any length work (PCRE2 10.42 caps names at 32 characters, and munged names such
// as "ovos_skill_date_time_openvoiceosLocation" are longer).
//
//   auto rx = PythonRegex::compile(R"(\b(at|in|for) (?P<Location>.*))");
//   if (auto m = rx.value->search("time in paris")) m->groups;  // {{"Location", "paris"}}
//
// Python-only syntax is translated: (?P=name), (?(name)...), \Z, \uXXXX, \UXXXXXXXX, {,n}.
// What PCRE2 cannot do the Python way (\N{...}, the a and L flags) is refused with the column.
// Matching is Unicode-aware (\w, \d, \b on letters beyond ASCII), as Python 3 str patterns.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "skills/diagnostic.h"

namespace hark::skills {

struct RegexMatch {
  std::size_t begin = 0;  // byte offsets of the whole match
  std::size_t end = 0;
  // Named groups that took part in the match, in group order.
  std::vector<std::pair<std::string, std::string>> groups;
};

class PythonRegex {
 public:
  static Checked<PythonRegex> compile(std::string_view pattern);

  // The pattern as written, in Python syntax.
  const std::string& pattern() const;
  // Names of the named groups, in group order.
  std::vector<std::string> group_names() const;
  // The first match at or after byte `from`, as Python's re.search. Safe from many threads.
  std::optional<RegexMatch> search(std::string_view text, std::size_t from = 0) const;

 private:
  struct Impl;
  explicit PythonRegex(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

}  // namespace hark::skills
