#pragma once

#include <string>

namespace sluice {

// The whole content of the file at `path` (bytes as they are). Throws IOError naming the
// path when it cannot be read.
std::string ReadFileText(const std::string& path);

}  // namespace sluice
