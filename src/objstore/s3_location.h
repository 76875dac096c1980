#pragma once

#include <string>
#include <string_view>

namespace sluice {

// Whether `path` names an object store location (`s3://...`) rather than a local file.
inline bool IsS3Path(std::string_view path) { return path.starts_with("s3://"); }

// An object in a bucket: `s3://bucket/key`. The key has no leading '/'; it may be empty
// (the bucket itself, or the prefix of every key).
struct S3Location {
  std::string bucket;
  std::string key;

  std::string Url() const { return "s3://" + bucket + "/" + key; }
};

// Splits `s3://bucket/key`; throws IOError naming the URL when it has no bucket.
S3Location ParseS3Url(std::string_view url);

}  // namespace sluice
