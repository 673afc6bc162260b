// Errors as values for everything that reads skill resources: a malformed line is reported and
// skipped, and the rest of the file (and of the skill) still loads.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace hark::skills {

// One problem, with where it is. Line and column are 1-based, 0 when they do not apply; columns
// count characters (code points), not bytes.
struct Diagnostic {
  std::filesystem::path file;
  int line = 0;
  int column = 0;
  std::string message;

  // "file:line:column: message", leaving out the parts that are unknown.
  std::string str() const;
};

// The result of an operation that either works or says why not (one value, one error).
template <class T>
struct Checked {
  std::optional<T> value;
  Diagnostic error;

  bool ok() const { return value.has_value(); }
};

template <class T>
Checked<T> checked_error(int column, std::string message) {
  return Checked<T>{std::nullopt, Diagnostic{{}, 0, column, std::move(message)}};
}

// What loaded, and every problem met on the way: a partial result is still a result.
template <class T>
struct Loaded {
  T value{};
  std::vector<Diagnostic> errors;
};

}  // namespace hark::skills
