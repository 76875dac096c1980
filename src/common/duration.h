#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace sluice {

// A duration written as a number and a unit: "500ms", "10s", "2 min", "1.5h", "7d" (ms; s,
// sec, second(s); m, min, minute(s); h, hour(s); d, day(s); case-insensitive), in
// milliseconds. A bare number takes `default_unit` ("ms", "s", ...), or is refused when it
// is null. nullopt for anything else (negative numbers too): callers word the error.
std::optional<int64_t> ParseDurationMs(const std::string& text, const char* default_unit);

}  // namespace sluice
