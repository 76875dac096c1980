#include "catalog/commit_lock.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

#include "common/error.h"

namespace sluice {

namespace {

// A descriptor of directory `dir` holding flock `operation` (retried when interrupted), or -1
// when the directory cannot be opened (*opened false) or the lock is not taken.
int LockDirectory(const std::string& dir, int operation, bool* opened) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  *opened = fd >= 0;
  if (fd < 0) return -1;
  while (::flock(fd, operation) != 0) {
    if (errno == EINTR) continue;
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

CommitLock::CommitLock(const std::string& dir) {
  bool opened = false;
  fd_ = LockDirectory(dir, LOCK_EX, &opened);
  if (!opened) throw IOError(fmt::format("cannot open table directory '{}' to lock it", dir));
  if (fd_ < 0) throw IOError(fmt::format("cannot lock table directory '{}'", dir));
}

CommitLock::~CommitLock() { ::close(fd_); }  // closing the descriptor releases the lock

DataFilesLock::DataFilesLock(const std::string& data_dir, Mode mode) {
  bool opened = false;
  fd_ = LockDirectory(data_dir, mode == Mode::kWriter ? LOCK_SH : LOCK_EX | LOCK_NB, &opened);
  // A collector that does not get the lock (a write is in flight) simply does not hold it.
  if (mode == Mode::kCollector) return;
  if (!opened) throw IOError(fmt::format("cannot open data directory '{}' to lock it", data_dir));
  if (fd_ < 0) throw IOError(fmt::format("cannot lock data directory '{}'", data_dir));
}

DataFilesLock::~DataFilesLock() {
  if (fd_ >= 0) ::close(fd_);
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace sluice
