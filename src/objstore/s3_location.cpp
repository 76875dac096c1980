#include "objstore/s3_location.h"

#include <fmt/format.h>

#include "common/error.h"

namespace sluice {

S3Location ParseS3Url(std::string_view url) {
  if (!IsS3Path(url)) throw IOError(fmt::format("'{}' is not an s3:// URL", url));
  const std::string_view rest = url.substr(5);
  const size_t slash = rest.find('/');
  S3Location location;
  location.bucket = std::string(rest.substr(0, slash));
  if (slash != std::string_view::npos) location.key = std::string(rest.substr(slash + 1));
  if (location.bucket.empty()) {
    throw IOError(fmt::format("S3 URL '{}' names no bucket (expected s3://bucket/key)", url));
  }
  return location;
}

}  // namespace sluice
