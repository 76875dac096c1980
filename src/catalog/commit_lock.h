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
  int fd_ = -1;
};

// The writers in flight on a table, across processes. A write holds a shared flock on the
// table's data directory from before its first data file until it commits or is discarded;
// whoever removes data files no snapshot references (garbage collection, orphan removal)
// holds the exclusive lock, and only tries for it: when a write is in flight, unreferenced
// data files may be that write's, and stay. No file is created for it (a flock on the
// directory itself), so a write costs no marker file.
class DataFilesLock {
 public:
  enum class Mode {
    kWriter,     // shared; blocks while a collector holds the lock
    kCollector,  // exclusive, tried without blocking: held() says whether it was taken
  };
  DataFilesLock(const std::string& data_dir, Mode mode);
  ~DataFilesLock();
  DataFilesLock(const DataFilesLock&) = delete;
  DataFilesLock& operator=(const DataFilesLock&) = delete;

  bool held() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

// "part-<id>" for "part-<id>.parquet" and its temporary "part-<id>.parquet.tmp-x".
inline std::string DataFileStem(const std::string& file) { return file.substr(0, file.find('.')); }

// Milliseconds since the Unix epoch (Iceberg's timestamps).
int64_t NowMs();

}  // namespace sluice
