#include "shuffle/temp_directory.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <system_error>
#include <utility>
#include <vector>

#include "common/error.h"

namespace sluice {

namespace {

std::atomic<int64_t> next_directory{0};

constexpr const char* kLockName = "lock";

// The folders of the live TempDirectory objects of this process. Never destroyed, so that a
// signal watcher can still use it while the process exits.
struct LiveFolders {
  std::mutex mutex;
  std::vector<std::string> paths;
};
LiveFolders& Live() {
  static auto* live = new LiveFolders();
  return *live;
}

// The pid in a `sluice-<pid>-<n>` name, or -1 when the name has another form.
pid_t PidOfFolder(const std::string& name) {
  constexpr std::string_view kPrefix = "sluice-";
  if (name.rfind(kPrefix, 0) != 0) return -1;
  const size_t dash = name.find('-', kPrefix.size());
  if (dash == std::string::npos || dash == kPrefix.size() || dash + 1 == name.size()) return -1;
  auto digits = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  const std::string_view pid(name.data() + kPrefix.size(), dash - kPrefix.size());
  if (!digits(pid) || !digits(std::string_view(name).substr(dash + 1)) || pid.size() > 9) {
    return -1;
  }
  return static_cast<pid_t>(std::stol(std::string(pid)));
}

// True when the folder's owner is gone. A held lock means alive; a lock that can be taken
// means dead (then `*lock_fd` keeps it while the folder is removed). Without a lock file
// (an owner that is still creating it), the pid decides.
bool IsStale(const std::filesystem::path& folder, pid_t pid, int* lock_fd) {
  const int fd = ::open((folder / kLockName).c_str(), O_RDWR | O_CLOEXEC);
  if (fd >= 0) {
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
      *lock_fd = fd;
      return true;
    }
    ::close(fd);
    return false;
  }
  return errno == ENOENT && ::kill(pid, 0) != 0 && errno == ESRCH;
}

}  // namespace

TempDirectory::~TempDirectory() {
  if (path_.empty()) return;
  {
    std::lock_guard lock(Live().mutex);
    auto& paths = Live().paths;
    paths.erase(std::remove(paths.begin(), paths.end(), path_), paths.end());
  }
  std::error_code ec;  // best effort: a destructor must not throw
  std::filesystem::remove_all(path_, ec);
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

std::string TempDirectory::NewPath(std::string_view tag) {
  std::lock_guard lock(mutex_);
  if (path_.empty()) {
    std::error_code ec;
    const std::filesystem::path parent =
        parent_.empty() ? std::filesystem::temp_directory_path(ec) : std::filesystem::path(parent_);
    for (;;) {
      const auto dir = parent / ("sluice-" + std::to_string(::getpid()) + "-" +
                                 std::to_string(next_directory.fetch_add(1)));
      std::filesystem::create_directories(parent, ec);
      if (std::filesystem::create_directory(dir, ec)) {
        path_ = dir.string();
        break;
      }
      if (ec) {
        throw IOError("cannot create the spill directory " + dir.string() + ": " + ec.message() +
                      " (SET temp_directory='...')");
      }
      // Exists already (left by a crashed process with a reused pid): take the next name.
    }
    LockFolder();
    {
      std::lock_guard live(Live().mutex);
      Live().paths.push_back(path_);
    }
    RemoveStale(parent);
  }
  return path_ + "/" + std::string(tag) + "-" + std::to_string(next_file_++) + ".spill";
}

void TempDirectory::LockFolder() {
  // Locked under a temporary name and renamed into place, so that a sweeper never sees an
  // unlocked `lock` of a live folder. Without a lock the folder is still safe (by its pid).
  const std::string temporary = path_ + "/" + kLockName + ".new";
  const int fd = ::open(temporary.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return;
  const std::string final_name = path_ + "/" + kLockName;
  if (::flock(fd, LOCK_EX) != 0 || ::rename(temporary.c_str(), final_name.c_str()) != 0) {
    ::close(fd);
    return;
  }
  lock_fd_ = fd;
}

std::string TempDirectory::path() const {
  std::lock_guard lock(mutex_);
  return path_;
}

int TempDirectory::RemoveStale(const std::filesystem::path& parent) {
  // Listed first and removed after: removing entries while iterating is unspecified.
  std::vector<std::pair<std::filesystem::path, pid_t>> candidates;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(parent, ec), end; !ec && it != end;
       it.increment(ec)) {
    const pid_t pid = PidOfFolder(it->path().filename().string());
    std::error_code type_ec;
    if (pid > 0 && it->is_directory(type_ec)) candidates.emplace_back(it->path(), pid);
  }
  int removed = 0;
  for (const auto& [folder, pid] : candidates) {
    int lock_fd = -1;
    if (!IsStale(folder, pid, &lock_fd)) continue;
    std::error_code remove_ec;
    if (std::filesystem::remove_all(folder, remove_ec) > 0) removed++;
    if (lock_fd >= 0) ::close(lock_fd);
  }
  return removed;
}

void TempDirectory::RemoveAllInProcess() {
  std::lock_guard lock(Live().mutex);
  for (const std::string& path : Live().paths) {
    // Workers may still be creating files in it; a few passes catch those.
    for (int pass = 0; pass < 3; pass++) {
      std::error_code ec;
      std::filesystem::remove_all(path, ec);
      if (!std::filesystem::exists(path, ec)) break;
    }
  }
}

}  // namespace sluice
