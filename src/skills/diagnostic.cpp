#include "skills/diagnostic.h"

namespace hark::skills {

std::string Diagnostic::str() const {
  // Appended piecewise: GCC 12 warns (-Wrestrict, a false positive) on ":" + std::to_string().
  std::string out = file.string();
  if (line > 0) out.append(":").append(std::to_string(line));
  if (line > 0 && column > 0) out.append(":").append(std::to_string(column));
  if (out.empty() && column > 0) out.append("column ").append(std::to_string(column));
  if (!out.empty()) out += ": ";
  return out + message;
}

}  // namespace hark::skills
