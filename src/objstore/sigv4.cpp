#include "objstore/sigv4.h"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>

#include "common/error.h"
#include "common/strings.h"

namespace sluice {

namespace {

// Raw (binary) HMAC-SHA256 of `data` under `key`.
std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  const unsigned char* ok =
      HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &length);
  SLUICE_CHECK(ok != nullptr, "HMAC-SHA256 failed");
  return std::string(reinterpret_cast<const char*>(out), length);
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

// Collapses runs of spaces inside a header value and trims it, as the canonical form asks.
std::string CanonicalHeaderValue(std::string_view value) {
  std::string out;
  bool space = false;
  for (const char c : value) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// The headers lower-cased and sorted by name.
std::vector<std::pair<std::string, std::string>> SortedHeaders(const SigV4Request& request) {
  std::vector<std::pair<std::string, std::string>> headers;
  for (const auto& [name, value] : request.headers) {
    headers.emplace_back(ToLower(name), CanonicalHeaderValue(value));
  }
  std::sort(headers.begin(), headers.end());
  return headers;
}

std::string SignedHeaderNames(const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string names;
  for (const auto& [name, value] : headers) {
    if (!names.empty()) names += ';';
    names += name;
  }
  return names;
}

std::string DateOf(const std::string& amz_date) { return amz_date.substr(0, 8); }

std::string Scope(const std::string& amz_date, const SigV4Credentials& credentials) {
  return fmt::format("{}/{}/{}/aws4_request", DateOf(amz_date), credentials.region,
                     credentials.service);
}

}  // namespace

std::string PayloadSha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  const int ok = EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  SLUICE_CHECK(ok == 1, "SHA-256 failed");
  return Hex(std::string_view(reinterpret_cast<const char*>(digest), length));
}

std::string AwsUriEncode(std::string_view text, bool keep_slash) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '.' || c == '_' || c == '~' || (keep_slash && c == '/');
    if (plain) {
      out += c;
    } else {
      out += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    }
  }
  return out;
}

std::string CanonicalQueryString(std::vector<std::pair<std::string, std::string>> query) {
  for (auto& [name, value] : query) {
    name = AwsUriEncode(name, false);
    value = AwsUriEncode(value, false);
  }
  std::sort(query.begin(), query.end());
  std::string out;
  for (const auto& [name, value] : query) {
    if (!out.empty()) out += '&';
    out += name + '=' + value;
  }
  return out;
}

std::string SigV4CanonicalRequest(const SigV4Request& request) {
  const auto headers = SortedHeaders(request);
  std::string out = request.method + '\n' + request.canonical_uri + '\n' +
                    CanonicalQueryString(request.query) + '\n';
  for (const auto& [name, value] : headers) out += name + ':' + value + '\n';
  out += '\n' + SignedHeaderNames(headers) + '\n' + request.payload_sha256;
  return out;
}

std::string SigV4StringToSign(const std::string& canonical_request, const std::string& amz_date,
                              const SigV4Credentials& credentials) {
  return "AWS4-HMAC-SHA256\n" + amz_date + '\n' + Scope(amz_date, credentials) + '\n' +
         PayloadSha256Hex(canonical_request);
}

std::string SigV4Signature(const std::string& string_to_sign, const std::string& amz_date,
                           const SigV4Credentials& credentials) {
  std::string key = HmacSha256("AWS4" + credentials.secret_access_key, DateOf(amz_date));
  key = HmacSha256(key, credentials.region);
  key = HmacSha256(key, credentials.service);
  key = HmacSha256(key, "aws4_request");
  return Hex(HmacSha256(key, string_to_sign));
}

std::string SigV4Authorization(const SigV4Request& request, const std::string& amz_date,
                               const SigV4Credentials& credentials) {
  const std::string string_to_sign =
      SigV4StringToSign(SigV4CanonicalRequest(request), amz_date, credentials);
  return fmt::format("AWS4-HMAC-SHA256 Credential={}/{},SignedHeaders={},Signature={}",
                     credentials.access_key_id, Scope(amz_date, credentials),
                     SignedHeaderNames(SortedHeaders(request)),
                     SigV4Signature(string_to_sign, amz_date, credentials));
}

}  // namespace sluice
