#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "objstore/http_transport.h"
#include "objstore/s3_config.h"
#include "objstore/s3_location.h"

namespace sluice {

// An object a listing found.
struct S3Object {
  std::string key;
  int64_t size = 0;
  int64_t modified_ms = 0;  // LastModified, milliseconds since the Unix epoch (0: unknown)
};

// The S3 REST API over HTTP, signed with AWS Signature V4 when the configuration has
// credentials. Failures throw IOError naming the s3:// URL, the HTTP status and S3's error
// code and message; a request that gets no answer or a 5xx is retried a few times first.
// Immutable and thread-safe: requests share a pool of connections.
class S3Client {
 public:
  explicit S3Client(S3Config config) : config_(std::move(config)) {}

  const S3Config& config() const { return config_; }

  // The object's size, or nullopt when there is no such object.
  std::optional<int64_t> Head(const S3Location& location) const;
  // Reads bytes [offset, offset + length) of the object into `out` (a ranged GET) and
  // returns how many arrived: fewer than `length` only at the end of the object.
  size_t GetRange(const S3Location& location, int64_t offset, char* out, size_t length) const;
  // The whole object.
  std::string Get(const S3Location& location) const;
  // Creates or replaces the object with `body` (one PUT: atomic per object).
  void Put(const S3Location& location, std::string_view body) const;
  // Creates or replaces the object with the local file's bytes: one PUT up to
  // config().part_size, a multipart upload above (parts sent four at a time; aborted on
  // failure, so that no parts linger and the old object stays). Either way the new object
  // appears at once, whole.
  void UploadFile(const std::string& local_path, const S3Location& location) const;
  // Removes the object; removing a missing object is not an error (S3's semantics).
  void Delete(const S3Location& location) const;
  // Every object of `bucket` whose key starts with `prefix`, in key order, fetched
  // `page_size` keys per request (ListObjectsV2 with continuation tokens).
  std::vector<S3Object> List(const std::string& bucket, const std::string& prefix,
                             int page_size = 1000) const;

 private:
  using Query = std::vector<std::pair<std::string, std::string>>;
  struct Call {
    std::string method = {};
    const S3Location* location = nullptr;
    Query query = {};
    std::string_view body = {};
    std::vector<std::string> headers = {};  // extra headers, "Name: value" (not signed)
    char* into = nullptr;
    size_t into_size = 0;
  };

  // Sends `call` (signed), retrying failures to reach the server and 5xx answers.
  HttpResponse Send(const Call& call, const std::string& what) const;
  // Throws the IOError for a failed response.
  [[noreturn]] void Fail(const std::string& what, const HttpResponse& response) const;
  void UploadParts(const std::string& local_path, const S3Location& location, int64_t size) const;
  // Sends the parts of upload `upload_id`, a few at once; returns their ETags in part order.
  // Throws the first failure after every sender has stopped.
  std::vector<std::string> PutParts(const std::string& local_path, const S3Location& location,
                                    const std::string& upload_id, int64_t size,
                                    const std::string& what) const;

  S3Config config_;
};

}  // namespace sluice
