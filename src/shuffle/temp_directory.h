#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

namespace sluice {

// The directory that holds one query's spill files: `<parent>/sluice-<pid>-<n>`, where
// `parent` is Settings::temp_directory or, when empty, the system temp directory. Created on
// the first NewPath (queries that never spill touch no disk) and removed with everything
// in it when this object is destroyed, so temp files go away when the query ends, also on
// error or cancel. Thread-safe.
class TempDirectory {
 public:
  explicit TempDirectory(std::string parent) : parent_(std::move(parent)) {}
  ~TempDirectory();
  TempDirectory(const TempDirectory&) = delete;
  TempDirectory& operator=(const TempDirectory&) = delete;

  // A fresh file path in the directory, named after `tag` (creates the directory on first
  // use). Throws IOError when the directory cannot be created.
  std::string NewPath(std::string_view tag);
  // The directory, or empty when nothing was spilled yet.
  std::string path() const;

 private:
  std::string parent_;
  mutable std::mutex mutex_;
  std::string path_;
  int64_t next_file_ = 0;
};

}  // namespace sluice
