#pragma once

#include <string_view>

namespace sluice {

// The release this build is (`sluice version`, PRAGMA version).
inline constexpr std::string_view kSluiceVersion = "0.1.0";

}  // namespace sluice
