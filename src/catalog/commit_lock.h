#pragma once

#include <cstdint>
#include <string>

namespace sluice {

// An exclusive flock on a table directory, held while a commit checks and swaps the table's
// pointer and while garbage is collected, so that writers in different processes commit one
// at a time and never collect each other's files. Released when destroyed.
class CommitLock {
 public:
  // Blocks until the lock is held. Throws IOError when the directory cannot be locked.
  explicit CommitLock(const std::string& dir);
  ~CommitLock();
  CommitLock(const CommitLock&) = delete;
  CommitLock& operator=(const CommitLock&) = delete;

 private:
  int fd_;
};

// "part-<id>" for "part-<id>.parquet" and its temporary "part-<id>.parquet.tmp-x".
inline std::string DataFileStem(const std::string& file) { return file.substr(0, file.find('.')); }

// Milliseconds since the Unix epoch (Iceberg's timestamps).
int64_t NowMs();

}  // namespace sluice
