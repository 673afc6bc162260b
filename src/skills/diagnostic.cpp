#include "skills/diagnostic.h"

namespace hark::skills {

std::string Diagnostic::str() const {
  std::string out = file.string();
  if (line > 0) out += ":" + std::to_string(line);
  if (line > 0 && column > 0) out += ":" + std::to_string(column);
  if (!out.empty()) out += ": ";
  if (out.empty() && column > 0) out = "column " + std::to_string(column) + ": ";
  return out + message;
}

}  // namespace hark::skills
