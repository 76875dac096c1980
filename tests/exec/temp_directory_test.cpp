#include "shuffle/temp_directory.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace sluice {
namespace {

namespace fs = std::filesystem;

// A fresh, empty parent directory for one test.
fs::path Parent() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const fs::path dir =
      fs::temp_directory_path() /
      ("sluice-temp-directory-test-" + std::to_string(::getpid()) + "-" + info->name());
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// A pid that no process has.
pid_t DeadPid() {
  pid_t pid = 4000000;
  while (::kill(pid, 0) == 0 || errno != ESRCH) pid--;
  return pid;
}

fs::path MakeFolder(const fs::path& parent, const std::string& name, bool with_lock) {
  const fs::path folder = parent / name;
  fs::create_directories(folder);
  std::ofstream(folder / "run-0.spill") << "spilled rows";
  if (with_lock) std::ofstream(folder / "lock");
  return folder;
}

TEST(TempDirectoryTest, RemoveStaleRemovesOnlyFoldersOfGoneOwners) {
  const fs::path parent = Parent();
  const std::string me = std::to_string(::getpid());
  TempDirectory live(parent.string());
  live.NewPath("x");  // creates the folder and holds its lock
  const fs::path dead = MakeFolder(parent, "sluice-" + std::to_string(DeadPid()) + "-3", false);
  const fs::path dead_locked =
      MakeFolder(parent, "sluice-" + std::to_string(DeadPid()) + "-4", true);
  // This pid, a free lock: a crashed process whose pid was reused.
  const fs::path reused = MakeFolder(parent, "sluice-" + me + "-1000", true);
  // This pid, no lock yet: a folder being created; kept.
  const fs::path creating = MakeFolder(parent, "sluice-" + me + "-1001", false);
  const fs::path other = MakeFolder(parent, "sluice-cache", false);
  const fs::path file_like = MakeFolder(parent, "sluice-12-x", false);

  EXPECT_EQ(TempDirectory::RemoveStale(parent), 3);
  EXPECT_FALSE(fs::exists(dead));
  EXPECT_FALSE(fs::exists(dead_locked));
  EXPECT_FALSE(fs::exists(reused));
  EXPECT_TRUE(fs::exists(creating));
  EXPECT_TRUE(fs::exists(other));
  EXPECT_TRUE(fs::exists(file_like));
  EXPECT_TRUE(fs::is_directory(live.path()));
  EXPECT_TRUE(fs::exists(fs::path(live.path()) / "lock"));
  fs::remove_all(parent);
}

TEST(TempDirectoryTest, CreatingAFolderSweepsStaleSiblings) {
  const fs::path parent = Parent();
  const fs::path dead = MakeFolder(parent, "sluice-" + std::to_string(DeadPid()) + "-0", false);
  {
    TempDirectory temp(parent.string());
    EXPECT_TRUE(fs::exists(dead));  // nothing happens before the first spill
    temp.NewPath("sort");
    EXPECT_FALSE(fs::exists(dead));
    // A second folder of this process stays: the first one's lock is held.
    TempDirectory second(parent.string());
    second.NewPath("join");
    EXPECT_TRUE(fs::is_directory(temp.path()));
    EXPECT_TRUE(fs::is_directory(second.path()));
  }
  EXPECT_TRUE(fs::is_empty(parent));
  fs::remove_all(parent);
}

TEST(TempDirectoryTest, RemoveAllInProcessRemovesLiveFolders) {
  const fs::path parent = Parent();
  TempDirectory temp(parent.string());
  const std::string file = temp.NewPath("exchange");
  std::ofstream(file) << "rows";
  ASSERT_TRUE(fs::exists(file));
  TempDirectory::RemoveAllInProcess();
  EXPECT_FALSE(fs::exists(temp.path()));
  fs::remove_all(parent);
}

}  // namespace
}  // namespace sluice
