#include "cli/key_location.h"

#include <gtest/gtest.h>

#include <ostream>

namespace hark::cli {
namespace {

struct Found {
  int line;
  int column;
  friend bool operator==(const Found&, const Found&) = default;
  friend void PrintTo(const Found& found, std::ostream* out) {
    *out << found.line << ':' << found.column;
  }
};

std::optional<Found> where(std::string_view text, std::string_view path) {
  auto position = find_key(text, path);
  if (!position) return std::nullopt;
  return Found{position->line, position->column};
}

TEST(FindKey, NestedKeyIsFoundAtItsOpeningQuote) {
  constexpr std::string_view text = "{\n  \"websocket\": {\n    \"port\": 8181\n  }\n}\n";
  EXPECT_EQ(where(text, "websocket"), (Found{2, 3}));
  EXPECT_EQ(where(text, "websocket.port"), (Found{3, 5}));
}

TEST(FindKey, SameNameElsewhereDoesNotMatch) {
  constexpr std::string_view text = R"({"gui": {"port": 1}, "websocket": {"host": "x"}})";
  EXPECT_EQ(where(text, "websocket.port"), std::nullopt);
  EXPECT_EQ(where(text, "gui.port"), (Found{1, 10}));
}

TEST(FindKey, CommentLinesAndStringValuesAreNotKeys) {
  constexpr std::string_view text =
      "{\n"
      "  // \"port\": 1 is the old value {\n"
      "  # \"port\": 2\n"
      "  \"note\": \"port\",\n"
      "  \"port\": 3\n"
      "}\n";
  EXPECT_EQ(where(text, "port"), (Found{5, 3}));
}

TEST(FindKey, KeysInsideArraysHaveNoDottedPath) {
  constexpr std::string_view text = R"({"list": [{"port": 1}], "port": 2})";
  EXPECT_EQ(where(text, "list.port"), std::nullopt);
  EXPECT_EQ(where(text, "port"), (Found{1, 25}));
}

TEST(FindKey, TheLastOfRepeatedKeysIsTheOneParsingKeeps) {
  EXPECT_EQ(where(R"({"a": 1, "a": 2})", "a"), (Found{1, 10}));
}

TEST(FindKey, ColumnsCountCharactersNotBytes) {
  EXPECT_EQ(where(R"({"wörd": "é", "key": 1})", "key"), (Found{1, 15}));
}

TEST(FindKey, EscapedQuotesStayInsideTheirString) {
  EXPECT_EQ(where(R"({"a": "say \"b\": 1", "b": 2})", "b"), (Found{1, 23}));
}

}  // namespace
}  // namespace hark::cli
