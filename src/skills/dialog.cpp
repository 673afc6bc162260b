#include "skills/dialog.h"

#include <algorithm>

namespace hark::skills {
namespace {

// How many recent lines a dialog of `lines` lines holds back: ovos-utils keeps
// min(max_recent_phrases = 3, lines - loop_prevention_offset = 2).
std::size_t held_back(std::size_t lines) {
  return lines > 2 ? std::min<std::size_t>(3, lines - 2) : 0;
}

std::string python_str(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "True" : "False";
  if (value.is_null()) return "None";
  return json_dump(value);
}

}  // namespace

DialogRenderer::DialogRenderer(std::map<std::string, DialogFile> dialogs)
    : DialogRenderer(std::move(dialogs), std::random_device{}()) {}

DialogRenderer::DialogRenderer(std::map<std::string, DialogFile> dialogs, std::uint64_t seed)
    : dialogs_(std::make_move_iterator(dialogs.begin()), std::make_move_iterator(dialogs.end())),
      random_(seed) {}

RenderedDialog DialogRenderer::render(std::string_view name, const Json& data) {
  RenderedDialog out;
  const auto dialog = dialogs_.find(name);
  if (dialog == dialogs_.end() || dialog->second.lines.empty()) {
    out.text = name;
    std::replace(out.text.begin(), out.text.end(), '.', ' ');
    return out;
  }
  const auto& lines = dialog->second.lines;
  auto& recent = recent_[dialog->first];
  std::vector<std::size_t> candidates;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (std::find(recent.begin(), recent.end(), i) == recent.end()) candidates.push_back(i);
  }
  const std::size_t pick = candidates[random_.below(candidates.size())];
  recent.push_back(pick);
  while (recent.size() > held_back(lines.size())) recent.pop_front();

  ExpandOptions options;
  options.slot_value = [&](std::string_view slot) -> std::optional<std::string> {
    const auto value = data.is_object() ? data.find(std::string(slot)) : data.end();
    if (value == data.end()) {
      // Called once per branch the slot sits in: name it once.
      if (std::find(out.missing.begin(), out.missing.end(), slot) == out.missing.end()) {
        out.missing.emplace_back(slot);
      }
      return std::string();
    }
    return python_str(*value);
  };
  // The line was checked against the expansion limit when it was loaded.
  const auto sentences =
      lines[pick].parsed.expand(options).value.value_or(std::vector<std::string>{});
  if (!sentences.empty()) out.text = sentences[random_.below(sentences.size())];
  return out;
}

}  // namespace hark::skills
