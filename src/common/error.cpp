#include "common/error.h"

namespace sluice {

void ThrowCheckFailure(const char* condition, const char* file, int line,
                       const std::string& detail) {
  std::string message = fmt::format("check '{}' failed at {}:{}", condition, file, line);
  if (!detail.empty()) message += ": " + detail;
  throw InternalError(message);
}

}  // namespace sluice
