#include "shuffle/temp_directory.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <system_error>

#include "common/error.h"

namespace sluice {

namespace {
std::atomic<int64_t> next_directory{0};
}  // namespace

TempDirectory::~TempDirectory() {
  if (path_.empty()) return;
  std::error_code ec;  // best effort: a destructor must not throw
  std::filesystem::remove_all(path_, ec);
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
  }
  return path_ + "/" + std::string(tag) + "-" + std::to_string(next_file_++) + ".spill";
}

std::string TempDirectory::path() const {
  std::lock_guard lock(mutex_);
  return path_;
}

}  // namespace sluice
