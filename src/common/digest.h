#pragma once

#include <string>
#include <string_view>

// Message digests written for the engine (no OpenSSL): the md5/sha1/sha256 SQL functions and
// the sqllogictest runner's "values hashing to" results use them. None is used as a security
// measure inside Sluice.
namespace sluice {

// The MD5 digest of `data` as 32 lower-case hex digits (RFC 1321).
std::string Md5Hex(std::string_view data);
// The SHA-1 digest of `data` as 40 lower-case hex digits (FIPS 180-4).
std::string Sha1Hex(std::string_view data);
// The SHA-256 digest of `data` as 64 lower-case hex digits (FIPS 180-4).
std::string Sha256Hex(std::string_view data);

}  // namespace sluice
