#include "common/duration.h"

#include "common/strings.h"

namespace sluice {

namespace {

// Milliseconds in one `unit`, or -1 when it is not a unit.
double UnitMs(const std::string& unit) {
  if (unit == "ms") return 1;
  if (unit == "s" || unit == "sec" || unit == "second" || unit == "seconds") return 1000;
  if (unit == "m" || unit == "min" || unit == "minute" || unit == "minutes") return 60000;
  if (unit == "h" || unit == "hour" || unit == "hours") return 3600000;
  if (unit == "d" || unit == "day" || unit == "days") return 86400000;
  return -1;
}

}  // namespace

std::optional<int64_t> ParseDurationMs(const std::string& text, const char* default_unit) {
  size_t used = 0;
  double amount = 0;
  try {
    amount = std::stod(text, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  std::string unit = ToLower(text.substr(used));
  while (!unit.empty() && unit.front() == ' ') unit.erase(unit.begin());
  if (unit.empty()) {
    if (default_unit == nullptr) return std::nullopt;
    unit = default_unit;
  }
  const double factor = UnitMs(unit);
  if (factor < 0 || amount < 0) return std::nullopt;
  return static_cast<int64_t>(amount * factor);
}

}  // namespace sluice
