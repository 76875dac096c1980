#pragma once

#include <filesystem>
#include <string>

namespace sluice {

// Where the parts of a write to `target` are staged until it commits: beside it
// (`<target>.tmp-write`, so that renames move them into place) for a local path, a fresh
// directory in the system temp directory for an object store (`s3://`) target.
std::filesystem::path StagingDirectoryFor(const std::string& target);

// Puts the finished local file `from` at `target`: a rename, or for an `s3://` target an
// upload (the object is replaced whole) after which `from` is removed. Throws IOError
// naming both; on failure `target` keeps what it held.
void PublishFile(const std::string& from, const std::string& target);

// Replaces the objects under the `s3://` prefix `target` (as a directory: `target/...`)
// with the files under the local directory `dir`, same relative names: every file is
// uploaded first, then the objects the new set does not have are deleted. Unlike a local
// directory swap this is not atomic: a reader listing meanwhile may see both sets.
void PublishDirectoryToObjectStore(const std::filesystem::path& dir, const std::string& target);

}  // namespace sluice
