#include "core/message.h"

#include <fmt/format.h>

namespace hark {
namespace {

// nlohmann copies, compares and writes values recursively, so a frame of a few hundred KB of
// "[[[[" would overflow the stack of every process that parses it. Python's json gives up near
// 1000 levels, so no working OVOS client nests anywhere near this deep.
constexpr int kMaxDepth = 512;

// Offset of the first bracket nested deeper than kMaxDepth, if any. Exact for valid JSON, which
// is all that matters: anything else fails to parse anyway.
std::optional<std::size_t> too_deep_at(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > kMaxDepth) return i;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return std::nullopt;
}

}  // namespace

std::string json_dump(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Message::Message(std::string type, Json data, Json context)
    : type_(std::move(type)), data_(std::move(data)), context_(std::move(context)) {
  if (data_.is_null()) data_ = Json::object();
  if (context_.is_null()) context_ = Json::object();
  if (!data_.is_object()) throw MessageError("message data must be a JSON object", 0);
  if (!context_.is_object()) throw MessageError("message context must be a JSON object", 0);
}

Message Message::parse(std::string_view text) {
  if (auto offset = too_deep_at(text)) {
    throw MessageError(fmt::format("message nests deeper than {} levels", kMaxDepth), *offset);
  }
  Json doc;
  try {
    doc = Json::parse(text);
  } catch (const Json::parse_error& e) {
    // nlohmann counts the offending byte as read: its `byte` is one past it.
    throw MessageError(fmt::format("invalid JSON: {}", e.what()), e.byte > 0 ? e.byte - 1 : 0);
  } catch (const Json::out_of_range& e) {
    // A number too large for a double ("1e400"): nlohmann says which, but not where.
    throw MessageError(fmt::format("invalid JSON: {}", e.what()), 0);
  }
  if (!doc.is_object()) throw MessageError("a bus message must be a JSON object", 0);
  auto type = doc.find("type");
  if (type == doc.end()) throw MessageError("message has no \"type\"", 0);
  if (!type->is_string()) throw MessageError("message \"type\" must be a string", 0);
  Message m;
  m.type_ = type->get<std::string>();
  for (const char* key : {"data", "context"}) {
    auto it = doc.find(key);
    if (it == doc.end() || it->is_null()) continue;
    if (!it->is_object())
      throw MessageError(fmt::format("message \"{}\" must be an object", key), 0);
    (key[0] == 'd' ? m.data_ : m.context_) = std::move(*it);
  }
  return m;
}

std::optional<Message> Message::try_parse(std::string_view text, std::string* error) {
  try {
    return parse(text);
  } catch (const MessageError& e) {
    if (error) *error = e.what();
    return std::nullopt;
  }
}

std::string Message::serialize() const {
  Json doc = Json::object();
  doc["type"] = type_;
  doc["data"] = data_;
  doc["context"] = context_;
  return json_dump(doc);
}

Message Message::forward(std::string type, Json data) const {
  return Message(std::move(type), std::move(data), context_);
}

Message Message::reply(std::string type, Json data, const Json& context_overlay) const {
  Json context = context_;
  if (context_overlay.is_object()) {
    for (const auto& [key, value] : context_overlay.items()) context[key] = value;
  }
  if (data.is_object()) {
    if (auto it = data.find("destination"); it != data.end()) context["destination"] = *it;
  }
  auto source = context.find("source");
  auto destination = context.find("destination");
  if (source != context.end() && destination != context.end()) std::swap(*source, *destination);
  return Message(std::move(type), std::move(data), std::move(context));
}

Message Message::response(Json data, const Json& context_overlay) const {
  return reply(type_ + ".response", std::move(data), context_overlay);
}

Message Message::publish(std::string type, Json data) const {
  Json context = context_;
  context.erase("target");
  return Message(std::move(type), std::move(data), std::move(context));
}

}  // namespace hark
