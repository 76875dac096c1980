#pragma once

#include <string>
#include <string_view>

namespace sluice {

// The MD5 digest of `data` as 32 lower-case hex digits (RFC 1321). Used only to compare
// query results written as "N values hashing to <md5>" in sqllogictest files; MD5 is not a
// security measure here.
std::string Md5Hex(std::string_view data);

}  // namespace sluice
