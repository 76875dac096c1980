#include "catalog/commit_lock.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

#include "common/error.h"

namespace sluice {

CommitLock::CommitLock(const std::string& dir) : fd_(::open(dir.c_str(), O_RDONLY | O_DIRECTORY)) {
  if (fd_ < 0) throw IOError(fmt::format("cannot open table directory '{}' to lock it", dir));
  while (::flock(fd_, LOCK_EX) != 0) {
    if (errno != EINTR) {
      ::close(fd_);
      throw IOError(fmt::format("cannot lock table directory '{}'", dir));
    }
  }
}

CommitLock::~CommitLock() { ::close(fd_); }  // closing the descriptor releases the lock

DataFilesLock::DataFilesLock(const std::string& data_dir, Mode mode)
    : fd_(::open(data_dir.c_str(), O_RDONLY | O_DIRECTORY)) {
  if (fd_ < 0) {
    if (mode == Mode::kCollector) return;
    throw IOError(fmt::format("cannot open data directory '{}' to lock it", data_dir));
  }
  const int operation = mode == Mode::kWriter ? LOCK_SH : LOCK_EX | LOCK_NB;
  while (::flock(fd_, operation) != 0) {
    if (errno == EINTR) continue;
    ::close(fd_);
    fd_ = -1;
    if (mode == Mode::kCollector) return;  // a write is in flight (EWOULDBLOCK)
    throw IOError(fmt::format("cannot lock data directory '{}'", data_dir));
  }
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
