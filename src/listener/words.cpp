#include "listener/words.h"

#include <algorithm>
#include <sstream>

namespace hark::listener {

std::vector<std::string> split_words(std::string_view text) {
  std::istringstream in{std::string(text)};
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

std::size_t edit_distance(const std::vector<std::string>& a, const std::vector<std::string>& b,
                          Alignment alignment) {
  // One row of the Levenshtein table; a stretch may start anywhere in `b`, so its first row
  // costs nothing there.
  std::vector<std::size_t> row(b.size() + 1, 0);
  if (alignment == Alignment::whole) {
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  // ... and may end anywhere in it.
  return alignment == Alignment::whole ? row[b.size()] : *std::min_element(row.begin(), row.end());
}

}  // namespace hark::listener
