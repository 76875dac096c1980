#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice {

// Whole files named by a local path or an `s3://bucket/key` URL (an object, reached through
// objstore/s3_client.h with the process's CurrentS3Config()), for what keeps its files in
// either place: a warehouse's Iceberg tables. A "directory" of an object store is a key
// prefix ending in '/'. Every failure throws IOError naming the path.

// A file found under a directory.
struct StoredFile {
  std::string path;  // the directory's path or URL, '/', then the relative name
  std::string relative;
  int64_t size = 0;
  int64_t modified_ms = 0;  // last change, milliseconds since the Unix epoch (0: unknown)
};

// The whole file.
std::string ReadStoredFile(const std::string& path);
// Creates or replaces the file with `bytes`. Locally the file is written in place and synced
// (no rename: callers write names nothing reads before a commit names them); an object is one
// PUT, which replaces it whole.
void WriteStoredFile(const std::string& path, std::string_view bytes);
// The file's size, or nullopt when there is none.
std::optional<int64_t> StoredFileSize(const std::string& path);
inline bool StoredFileExists(const std::string& path) { return StoredFileSize(path).has_value(); }
// Removes the file; a missing file is not an error. Returns false (instead of throwing) when
// it could not be removed.
bool RemoveStoredFile(const std::string& path) noexcept;
// Every file under `dir` (recursively unless `recursive` is false), sorted by path; an
// absent directory has none.
std::vector<StoredFile> ListStoredFiles(const std::string& dir, bool recursive = true);
// Removes `dir` and everything under it (every object whose key starts with "<dir>/").
void RemoveStoredTree(const std::string& dir);
// Creates the directory and its parents; nothing to do for an object store.
void CreateStoredDirectory(const std::string& dir);

}  // namespace sluice
