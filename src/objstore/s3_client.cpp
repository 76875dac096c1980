#include "objstore/s3_client.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <exception>
#include <fstream>
#include <mutex>
#include <thread>

#include "common/error.h"
#include "objstore/s3_xml.h"
#include "objstore/sigv4.h"

namespace sluice {

namespace {

// Milliseconds since the epoch of an ISO 8601 UTC time as S3 writes it
// ("2026-12-08T00:55:24.000Z"); 0 when it does not parse.
int64_t IsoTimeMs(const std::string& text) {
  std::tm tm{};
  int millis = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3d", &tm.tm_year, &tm.tm_mon,
                  &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &millis) < 6) {
    return 0;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<int64_t>(timegm(&tm)) * 1000 + millis;
}

constexpr int kAttempts = 4;
// Parts of one multipart upload sent at once, each on its own connection (and buffer of
// part_size bytes): one S3 connection carries far less than a machine's bandwidth.
constexpr int64_t kUploadStreams = 4;
const std::string kEmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// The request time as x-amz-date wants it: 20130524T000000Z.
std::string AmzDate() {
  const std::time_t now = std::time(nullptr);
  std::tm utc;
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y%m%dT%H%M%SZ", &utc);
  return text;
}

std::string Authority(const std::string& base_url) {
  const size_t scheme = base_url.find("://");
  return scheme == std::string::npos ? base_url : base_url.substr(scheme + 3);
}

bool Succeeded(const HttpResponse& response) {
  return response.status >= 200 && response.status < 300;
}

}  // namespace

HttpResponse S3Client::Send(const Call& call, const std::string& what) const {
  const std::string base = config_.BaseUrl();
  const std::string scheme = base.substr(0, base.find("://") + 3);
  const std::string& bucket = call.location->bucket;
  const std::string key = AwsUriEncode(call.location->key, true);
  SigV4Request signed_part;
  signed_part.method = call.method;
  std::string host;
  if (config_.path_style) {
    host = Authority(base);
    signed_part.canonical_uri = "/" + bucket + (key.empty() ? "" : "/" + key);
  } else {
    host = bucket + "." + Authority(base);
    signed_part.canonical_uri = "/" + key;
  }
  signed_part.query = call.query;
  const std::string query = CanonicalQueryString(call.query);
  signed_part.payload_sha256 = call.body.empty() ? kEmptySha256 : PayloadSha256Hex(call.body);

  HttpRequest request;
  request.method = call.method;
  request.url = scheme + host + signed_part.canonical_uri + (query.empty() ? "" : "?" + query);
  request.body = call.body;
  request.into = call.into;
  request.into_size = call.into_size;
  request.headers = call.headers;

  for (int attempt = 1;; attempt++) {
    const std::string amz_date = AmzDate();
    signed_part.headers = {{"host", host},
                           {"x-amz-content-sha256", signed_part.payload_sha256},
                           {"x-amz-date", amz_date}};
    if (!config_.session_token.empty()) {
      signed_part.headers.emplace_back("x-amz-security-token", config_.session_token);
    }
    request.headers.resize(call.headers.size());
    for (const auto& [name, value] : signed_part.headers)
      request.headers.push_back(name + ": " + value);
    if (!config_.access_key_id.empty()) {
      const SigV4Credentials credentials{config_.access_key_id, config_.secret_access_key,
                                         config_.region, "s3"};
      request.headers.push_back("Authorization: " +
                                SigV4Authorization(signed_part, amz_date, credentials));
    }
    try {
      HttpResponse response = PerformHttp(request, what);
      if (response.status < 500 || attempt == kAttempts) return response;
    } catch (const IOError&) {
      if (attempt == kAttempts) throw;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50 << (2 * attempt)));
  }
}

void S3Client::Fail(const std::string& what, const HttpResponse& response) const {
  const std::string code = XmlText(response.body, "Code");
  const std::string message = XmlText(response.body, "Message");
  std::string detail = fmt::format("HTTP {}", response.status);
  if (!code.empty()) detail += " " + code;
  if (!message.empty()) detail += ": " + message;
  if (code.empty() && response.status == 403) {
    detail += " (access denied: check s3_access_key_id and s3_secret_access_key)";
  }
  throw IOError(fmt::format("{}: {}", what, detail));
}

std::optional<int64_t> S3Client::Head(const S3Location& location) const {
  const std::string what = fmt::format("Cannot open '{}' (S3 HEAD)", location.Url());
  const HttpResponse response = Send({.method = "HEAD", .location = &location}, what);
  if (response.status == 404) return std::nullopt;
  if (!Succeeded(response)) Fail(what, response);
  const std::string length = response.Header("content-length");
  if (length.empty()) throw IOError(fmt::format("{}: the answer has no Content-Length", what));
  return std::stoll(length);
}

size_t S3Client::GetRange(const S3Location& location, int64_t offset, char* out,
                          size_t length) const {
  if (length == 0) return 0;
  const std::string what = fmt::format("Cannot read '{}' at {} (S3 GET)", location.Url(), offset);
  const std::string range =
      fmt::format("Range: bytes={}-{}", offset, offset + static_cast<int64_t>(length) - 1);
  const HttpResponse response = Send({.method = "GET",
                                      .location = &location,
                                      .headers = {range},
                                      .into = out,
                                      .into_size = length},
                                     what);
  // A range that starts at or past the end: nothing more to read.
  if (response.status == 416) return 0;
  if (!Succeeded(response)) Fail(what, response);
  if (response.status == 200 && offset != 0) {
    // A server that ignored the range sent the object from its start.
    throw IOError(fmt::format("{}: the server ignored the byte range", what));
  }
  return response.into_bytes;
}

std::string S3Client::Get(const S3Location& location) const {
  const std::string what = fmt::format("Cannot read '{}' (S3 GET)", location.Url());
  HttpResponse response = Send({.method = "GET", .location = &location}, what);
  if (!Succeeded(response)) Fail(what, response);
  return std::move(response.body);
}

void S3Client::Put(const S3Location& location, std::string_view body) const {
  const std::string what = fmt::format("Cannot write '{}' (S3 PUT)", location.Url());
  const HttpResponse response = Send({.method = "PUT",
                                      .location = &location,
                                      .body = body,
                                      .headers = {"Content-Type: application/octet-stream"}},
                                     what);
  if (!Succeeded(response)) Fail(what, response);
}

void S3Client::Delete(const S3Location& location) const {
  const std::string what = fmt::format("Cannot delete '{}' (S3 DELETE)", location.Url());
  const HttpResponse response = Send({.method = "DELETE", .location = &location}, what);
  if (!Succeeded(response) && response.status != 404) Fail(what, response);
}

std::vector<S3Object> S3Client::List(const std::string& bucket, const std::string& prefix,
                                     int page_size) const {
  const S3Location location{bucket, ""};
  const std::string what =
      fmt::format("Cannot list '{}' (S3 ListObjectsV2)", S3Location{bucket, prefix}.Url());
  std::vector<S3Object> out;
  std::string token;
  while (true) {
    Query query = {{"list-type", "2"}, {"prefix", prefix}, {"max-keys", std::to_string(page_size)}};
    if (!token.empty()) query.emplace_back("continuation-token", token);
    const HttpResponse response =
        Send({.method = "GET", .location = &location, .query = std::move(query)}, what);
    if (!Succeeded(response)) Fail(what, response);
    for (const std::string_view contents : XmlElements(response.body, "Contents")) {
      S3Object object;
      object.key = XmlText(contents, "Key");
      object.size = std::stoll("0" + XmlText(contents, "Size"));
      object.modified_ms = IsoTimeMs(XmlText(contents, "LastModified"));
      out.push_back(std::move(object));
    }
    if (XmlText(response.body, "IsTruncated") != "true") break;
    token = XmlText(response.body, "NextContinuationToken");
    if (token.empty()) {
      throw IOError(fmt::format("{}: a truncated listing without a continuation token", what));
    }
  }
  return out;
}

void S3Client::UploadFile(const std::string& local_path, const S3Location& location) const {
  std::ifstream in(local_path, std::ios::binary | std::ios::ate);
  if (!in) throw IOError(fmt::format("Cannot open file '{}'", local_path));
  const int64_t size = in.tellg();
  if (size > config_.part_size) {
    in.close();
    UploadParts(local_path, location, size);
    return;
  }
  std::string body(static_cast<size_t>(size), '\0');
  in.seekg(0);
  if (!in.read(body.data(), size)) throw IOError(fmt::format("Cannot read file '{}'", local_path));
  Put(location, body);
}

std::vector<std::string> S3Client::PutParts(const std::string& local_path,
                                            const S3Location& location,
                                            const std::string& upload_id, int64_t size,
                                            const std::string& what) const {
  const int64_t parts = (size + config_.part_size - 1) / config_.part_size;
  std::vector<std::string> etags(static_cast<size_t>(parts));
  std::atomic<int64_t> next{0};
  std::mutex mutex;
  std::exception_ptr error;  // the first failure; the other workers stop at their next part
  auto work = [&] {
    std::ifstream in(local_path, std::ios::binary);
    std::string part;
    for (int64_t p = next++; p < parts; p = next++) {
      {
        std::lock_guard lock(mutex);
        if (error) return;
      }
      try {
        const int64_t offset = p * config_.part_size;
        const int64_t length = std::min<int64_t>(config_.part_size, size - offset);
        part.resize(static_cast<size_t>(length));
        if (!in.seekg(offset) || !in.read(part.data(), length)) {
          throw IOError(fmt::format("Cannot read file '{}'", local_path));
        }
        const HttpResponse response =
            Send({.method = "PUT",
                  .location = &location,
                  .query = {{"partNumber", std::to_string(p + 1)}, {"uploadId", upload_id}},
                  .body = part},
                 what);
        if (!Succeeded(response)) Fail(what, response);
        etags[static_cast<size_t>(p)] = response.Header("etag");
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!error) error = std::current_exception();
        return;
      }
    }
  };
  std::vector<std::thread> helpers;
  for (int64_t t = 1; t < std::min<int64_t>(parts, kUploadStreams); t++) helpers.emplace_back(work);
  work();
  for (std::thread& helper : helpers) helper.join();
  if (error) std::rethrow_exception(error);
  return etags;
}

void S3Client::UploadParts(const std::string& local_path, const S3Location& location,
                           int64_t size) const {
  const std::string what = fmt::format("Cannot write '{}' (S3 multipart upload)", location.Url());
  HttpResponse response =
      Send({.method = "POST", .location = &location, .query = {{"uploads", ""}}}, what);
  if (!Succeeded(response)) Fail(what, response);
  const std::string upload_id = XmlText(response.body, "UploadId");
  if (upload_id.empty()) throw IOError(fmt::format("{}: no UploadId in the answer", what));
  try {
    const std::vector<std::string> etags = PutParts(local_path, location, upload_id, size, what);
    std::string complete = "<CompleteMultipartUpload>";
    for (size_t p = 0; p < etags.size(); p++) {
      // An ETag is a quoted hex digest: nothing in it needs escaping in XML text.
      complete +=
          fmt::format("<Part><PartNumber>{}</PartNumber><ETag>{}</ETag></Part>", p + 1, etags[p]);
    }
    complete += "</CompleteMultipartUpload>";
    response = Send({.method = "POST",
                     .location = &location,
                     .query = {{"uploadId", upload_id}},
                     .body = complete,
                     .headers = {"Content-Type: application/xml"}},
                    what);
    // S3 may answer 200 and still report an error in the body.
    if (!Succeeded(response) || !XmlElements(response.body, "Error").empty()) {
      Fail(what, response);
    }
  } catch (const IOError&) {
    // Abort, so that the parts do not linger (and cost); the old object stays as it was.
    try {
      Send({.method = "DELETE", .location = &location, .query = {{"uploadId", upload_id}}}, what);
    } catch (const IOError&) {
      // The upload's own error is the one to report; an unaborted upload expires by policy.
    }
    throw;
  }
}

}  // namespace sluice
