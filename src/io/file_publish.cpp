#include "io/file_publish.h"

#include <fmt/format.h>

#include <random>
#include <set>

#include "common/error.h"
#include "objstore/s3_client.h"

namespace sluice {

namespace fs = std::filesystem;

fs::path StagingDirectoryFor(const std::string& target) {
  if (!IsS3Path(target)) return target + ".tmp-write";
  std::random_device device;
  return fs::temp_directory_path() /
         fmt::format("sluice-s3-write-{:08x}{:08x}", device(), device());
}

void PublishFile(const std::string& from, const std::string& target) {
  if (IsS3Path(target)) {
    S3Client(CurrentS3Config()).UploadFile(from, ParseS3Url(target));
    std::error_code ignored;
    fs::remove(from, ignored);
    return;
  }
  std::error_code ec;
  fs::rename(from, target, ec);
  if (ec) {
    throw IOError(fmt::format("Cannot rename '{}' to '{}': {}", from, target, ec.message()));
  }
}

void PublishDirectoryToObjectStore(const fs::path& dir, const std::string& target) {
  S3Location root = ParseS3Url(target);
  if (!root.key.empty() && !root.key.ends_with('/')) root.key += '/';
  const S3Client client(CurrentS3Config());
  std::set<std::string> written;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    const S3Location object{root.bucket,
                            root.key + it->path().lexically_relative(dir).generic_string()};
    client.UploadFile(it->path().string(), object);
    written.insert(object.key);
  }
  if (ec) throw IOError(fmt::format("Cannot list directory '{}': {}", dir.string(), ec.message()));
  for (const S3Object& old : client.List(root.bucket, root.key)) {
    if (!written.contains(old.key)) client.Delete(S3Location{root.bucket, old.key});
  }
}

}  // namespace sluice
