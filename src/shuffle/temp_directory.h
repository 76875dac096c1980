#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>

namespace sluice {

// The directory that holds one query's spill files: `<parent>/sluice-<pid>-<n>`, where
// `parent` is Settings::temp_directory or, when empty, the system temp directory. Created on
// the first NewPath (queries that never spill touch no disk) and removed with everything
// in it when this object is destroyed, so temp files go away when the query ends, also on
// error or cancel. Thread-safe.
//
// Folders left behind by a process that died (a crash, kill -9) are removed by the next
// process that creates a folder in the same parent: the owner holds an flock on
// `<folder>/lock` for the folder's lifetime, so a folder whose lock can be taken is stale
// (also when its pid was reused); a folder without one is stale when no process has its pid.
// On Ctrl-C the CLI removes its own folders (RemoveAllInProcess) before it exits.
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

  // Removes the `sluice-<pid>-<n>` folders in `parent` whose owner is gone (see above) and
  // returns how many. Best effort: errors are ignored. Thread-safe.
  static int RemoveStale(const std::filesystem::path& parent);
  // Removes the folders of every TempDirectory of this process, for a signal watcher that is
  // about to end the process; their objects must not spill afterwards. Thread-safe.
  static void RemoveAllInProcess();

 private:
  // Takes the flock that marks the folder as alive (best effort).
  void LockFolder();

  std::string parent_;
  mutable std::mutex mutex_;
  std::string path_;
  int lock_fd_ = -1;
  int64_t next_file_ = 0;
};

}  // namespace sluice
