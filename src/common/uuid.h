#pragma once

#include <string>

namespace sluice {

// A random version 4 UUID (RFC 4122) in the canonical text form
// ("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"). Thread-safe.
std::string NewUuid();

}  // namespace sluice
