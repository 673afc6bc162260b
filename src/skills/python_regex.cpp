#include "skills/python_regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <algorithm>
#include <cctype>

#include "skills/text.h"

namespace hark::skills {

struct PythonRegex::Impl {
  std::string pattern;
  std::vector<std::string> names;  // by group number - 1; empty for unnamed groups
  std::unique_ptr<pcre2_code, decltype(&pcre2_code_free)> code{nullptr, &pcre2_code_free};
};

namespace {

bool is_identifier(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front()))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
           static_cast<unsigned char>(c) >= 0x80;  // Python identifiers may be Unicode
  });
}

bool all_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

// Rewrites Python syntax into PCRE2 syntax, remembering for every output byte the source byte
// it came from, so PCRE2's errors point into the pattern the skill author wrote.
class Translator {
 public:
  explicit Translator(std::string_view source) : src_(source) {}

  bool run() {
    while (i_ < src_.size()) {
      const char c = src_[i_];
      bool ok = true;
      if (c == '\\') {
        ok = escape(false);
      } else if (c == '[') {
        ok = char_class();
      } else if (c == '(') {
        ok = group();
      } else if (c == '{' && i_ + 1 < src_.size() && src_[i_ + 1] == ',') {
        // Python reads {,n} as {0,n}; PCRE2 10.42 would read it as literal text.
        emit("{0", i_++);
      } else {
        emit(src_.substr(i_, 1), i_);
        ++i_;
      }
      if (!ok) return false;
    }
    return true;
  }

  std::string pcre;
  std::vector<std::size_t> origin;
  std::vector<std::string> names;
  Diagnostic error;

 private:
  void emit(std::string_view s, std::size_t at) {
    pcre += s;
    origin.insert(origin.end(), s.size(), at);
  }

  bool fail(std::size_t at, std::string message) {
    error = Diagnostic{{}, 0, text::column_of(src_, at), std::move(message)};
    return false;
  }

  bool escape(bool in_class) {
    const std::size_t at = i_;
    if (i_ + 1 >= src_.size()) return fail(at, "the pattern ends with a lone '\\'");
    const char next = src_[i_ + 1];
    if (next == 'Z' && !in_class) {
      emit("\\z", at);  // Python's \Z is the very end; PCRE2's \Z allows a final newline
      i_ += 2;
      return true;
    }
    if (next == 'u' || next == 'U') {
      const std::size_t digits = next == 'u' ? 4 : 8;
      const std::string_view hex = src_.substr(i_ + 2, digits);
      if (hex.size() != digits || !all_hex(hex)) {
        return fail(at,
                    std::string("\\") + next + " needs " + std::to_string(digits) + " hex digits");
      }
      emit("\\x{" + std::string(hex) + "}", at);
      i_ += 2 + digits;
      return true;
    }
    if (next == 'N')
      return fail(at, "\\N{...} named characters are not supported: write the character");
    std::size_t end = i_ + 1;
    text::decode(src_, end);  // copy the escaped character whole, even when it is not ASCII
    emit(src_.substr(i_, end - i_), at);
    i_ = end;
    return true;
  }

  bool char_class() {
    const std::size_t open_at = i_;
    emit("[", i_++);
    if (i_ < src_.size() && src_[i_] == '^') emit("^", i_++);
    if (i_ < src_.size() && src_[i_] == ']') emit("]", i_++);  // a leading ']' is literal
    while (i_ < src_.size()) {
      if (src_[i_] == ']') {
        emit("]", i_++);
        return true;
      }
      if (src_[i_] == '\\') {
        if (!escape(true)) return false;
      } else {
        emit(src_.substr(i_, 1), i_);
        ++i_;
      }
    }
    return fail(open_at, "unterminated character set '['");
  }

  // The text from `from` up to the next `close`, moving past it; for the group opened at `at`,
  // unterminated when there is no `close`.
  std::optional<std::string_view> read_to(char close, std::size_t from, std::size_t at,
                                          std::string_view what) {
    const std::size_t end = src_.find(close, from);
    if (end == std::string_view::npos) {
      fail(at, "unterminated " + std::string(what));
      return std::nullopt;
    }
    i_ = end + 1;
    return src_.substr(from, end - from);
  }

  std::optional<std::size_t> group_number(std::string_view name) const {
    const auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end()) return std::nullopt;
    return static_cast<std::size_t>(it - names.begin()) + 1;
  }

  bool group() {
    const std::size_t at = i_;
    const std::string_view rest = src_.substr(i_);
    if (rest.size() < 2 || rest[1] != '?') {
      names.emplace_back();
      emit("(", i_++);
      return true;
    }
    if (rest.starts_with("(?P<")) {
      const auto name = read_to('>', i_ + 4, at, "group name");
      if (!name) return false;
      if (!is_identifier(*name)) return fail(at, "bad group name '" + std::string(*name) + "'");
      if (group_number(*name)) {
        return fail(at, "redefinition of group name '" + std::string(*name) + "'");
      }
      names.emplace_back(*name);
      emit("(", at);
      return true;
    }
    if (rest.starts_with("(?P=")) {
      const auto name = read_to(')', i_ + 4, at, "backreference");
      if (!name) return false;
      const auto number = group_number(*name);
      if (!number) return fail(at, "unknown group name '" + std::string(*name) + "'");
      emit("\\g{" + std::to_string(*number) + "}", at);
      return true;
    }
    if (rest.starts_with("(?P")) {
      return fail(at, "unknown extension '(?P" + std::string(rest.substr(3, 1)) + "'");
    }
    if (rest.starts_with("(?#")) return read_to(')', i_ + 3, at, "comment").has_value();
    if (rest.starts_with("(?(")) {
      const auto ref = read_to(')', i_ + 3, at, "condition");
      if (!ref) return false;
      std::string number(*ref);
      if (!std::all_of(ref->begin(), ref->end(),
                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
        const auto found = group_number(*ref);
        if (!found) return fail(at, "unknown group name '" + number + "'");
        number = std::to_string(*found);
      }
      emit("(?(" + number + ")", at);
      return true;
    }
    if (rest.starts_with("(?<") && !rest.starts_with("(?<=") && !rest.starts_with("(?<!")) {
      return fail(at, "Python has no (?<name>...): write (?P<name>...)");
    }
    return flags_or_plain(at);
  }

  // (?imsx-imsx:...) and (?imsx): PCRE2 has these but not Python's a and L; u is Python 3's
  // default for str patterns and is dropped.
  bool flags_or_plain(std::size_t at) {
    std::size_t j = i_ + 2;
    std::string kept;
    while (j < src_.size() &&
           std::string_view("aiLmsux-").find(src_[j]) != std::string_view::npos) {
      const char flag = src_[j];
      if (flag == 'a') return fail(j, "the ASCII flag (?a) is not supported");
      if (flag == 'L') return fail(j, "the locale flag (?L) is not supported");
      if (flag != 'u') kept += flag;
      ++j;
    }
    if (j == i_ + 2 || j >= src_.size() || (src_[j] != ':' && src_[j] != ')')) {
      emit("(?", at);  // (?: (?= (?! (?<= (?<! (?> and anything PCRE2 will judge
      i_ += 2;
      return true;
    }
    if (kept.empty() && src_[j] == ')') {
      i_ = j + 1;  // (?u) alone says nothing
      return true;
    }
    emit("(?" + kept, at);
    i_ = j;
    return true;
  }

  std::string_view src_;
  std::size_t i_ = 0;
};

}  // namespace

Checked<PythonRegex> PythonRegex::compile(std::string_view pattern) {
  if (const auto bad = text::invalid_utf8_at(pattern); bad != std::string_view::npos) {
    return checked_error<PythonRegex>(text::column_of(pattern, bad), "invalid UTF-8");
  }
  Translator translator(pattern);
  if (!translator.run()) return Checked<PythonRegex>{std::nullopt, translator.error};

  auto impl = std::make_shared<Impl>();
  impl->pattern = pattern;
  impl->names = std::move(translator.names);
  int code = 0;
  PCRE2_SIZE offset = 0;
  impl->code.reset(pcre2_compile(reinterpret_cast<PCRE2_SPTR>(translator.pcre.data()),
                                 translator.pcre.size(), PCRE2_UTF | PCRE2_UCP, &code, &offset,
                                 nullptr));
  if (!impl->code) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(code, message, sizeof message);
    const std::size_t at =
        offset < translator.origin.size() ? translator.origin[offset] : pattern.size();
    return checked_error<PythonRegex>(text::column_of(pattern, at),
                                      reinterpret_cast<const char*>(message));
  }
  // The JIT makes matching several times faster; without it (unsupported CPU) PCRE2 interprets.
  pcre2_jit_compile(impl->code.get(), PCRE2_JIT_COMPLETE);
  return Checked<PythonRegex>{PythonRegex(std::move(impl)), {}};
}

const std::string& PythonRegex::pattern() const {
  return impl_->pattern;
}

std::vector<std::string> PythonRegex::group_names() const {
  std::vector<std::string> out;
  std::copy_if(impl_->names.begin(), impl_->names.end(), std::back_inserter(out),
               [](const std::string& name) { return !name.empty(); });
  return out;
}

std::optional<RegexMatch> PythonRegex::search(std::string_view text, std::size_t from) const {
  std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)> data(
      pcre2_match_data_create_from_pattern(impl_->code.get(), nullptr), &pcre2_match_data_free);
  if (!data) return std::nullopt;
  const int rc = pcre2_match(impl_->code.get(), reinterpret_cast<PCRE2_SPTR>(text.data()),
                             text.size(), from, 0, data.get(), nullptr);
  if (rc < 0) return std::nullopt;  // no match, or text that is not UTF-8
  const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(data.get());
  RegexMatch match{ovector[0], ovector[1], {}};
  for (std::size_t group = 1; group <= impl_->names.size(); ++group) {
    const std::string& name = impl_->names[group - 1];
    if (name.empty() || ovector[2 * group] == PCRE2_UNSET) continue;
    match.groups.emplace_back(
        name,
        std::string(text.substr(ovector[2 * group], ovector[2 * group + 1] - ovector[2 * group])));
  }
  return match;
}

}  // namespace hark::skills
