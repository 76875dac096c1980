#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice {

// One HTTP request as AWS Signature Version 4 sees it. Everything here is signed.
struct SigV4Request {
  std::string method;  // "GET", "PUT", ...
  // The absolute path, already URI-encoded the way the URL sends it ("/bucket/a%20b").
  std::string canonical_uri;
  // Query parameters, not encoded; order does not matter (the canonical form sorts them).
  std::vector<std::pair<std::string, std::string>> query;
  // Headers to sign, any case and order; must include host, x-amz-date and, for S3,
  // x-amz-content-sha256.
  std::vector<std::pair<std::string, std::string>> headers;
  // Hex SHA-256 of the body, or "UNSIGNED-PAYLOAD".
  std::string payload_sha256;
};

// Who signs, and for what: the credential scope is <date>/<region>/<service>/aws4_request.
struct SigV4Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string region;
  std::string service = "s3";
};

// The SHA-256 of `data` as 64 lower-case hex digits, by libcrypto (which uses the CPU's SHA
// instructions: payloads are megabytes, and common/digest.h's portable one is 8x slower).
std::string PayloadSha256Hex(std::string_view data);

// AWS's URI encoding: every byte but A-Z a-z 0-9 - . _ ~ as %XX (upper-case hex); `/` kept
// when `keep_slash` (object keys in a path), encoded otherwise (query names and values).
std::string AwsUriEncode(std::string_view text, bool keep_slash);

// The query string as both the URL and the canonical request carry it: encoded name=value
// pairs sorted by name, joined by '&'.
std::string CanonicalQueryString(std::vector<std::pair<std::string, std::string>> query);

// The steps of the signature, exposed so that tests can check each against AWS's published
// examples. `amz_date` is the request time as "YYYYMMDDTHHMMSSZ" (the x-amz-date header).
std::string SigV4CanonicalRequest(const SigV4Request& request);
std::string SigV4StringToSign(const std::string& canonical_request, const std::string& amz_date,
                              const SigV4Credentials& credentials);
// Hex HMAC-SHA256 of the string to sign with the key derived from the secret, date, region
// and service.
std::string SigV4Signature(const std::string& string_to_sign, const std::string& amz_date,
                           const SigV4Credentials& credentials);
// The Authorization header's value: "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=...,
// Signature=...".
std::string SigV4Authorization(const SigV4Request& request, const std::string& amz_date,
                               const SigV4Credentials& credentials);

}  // namespace sluice
