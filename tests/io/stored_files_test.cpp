// io/stored_files.h on local paths (tests/s3/s3_warehouse_test.sh covers s3:// through the
// warehouse against a local S3 server).
#include "io/stored_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "common/error.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

class StoredFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::temp_directory_path() / ("sluice-stored-" + std::to_string(::getpid()))).string();
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dir_;
};

TEST_F(StoredFilesTest, WritesReadsListsAndRemoves) {
  CreateStoredDirectory(dir_ + "/t/data");
  WriteStoredFile(dir_ + "/t/data/a.parquet", "12345");
  WriteStoredFile(dir_ + "/t/b.json", "{}");
  WriteStoredFile(dir_ + "/t/b.json", "[1]");  // replaced whole
  EXPECT_EQ(ReadStoredFile(dir_ + "/t/b.json"), "[1]");
  EXPECT_EQ(StoredFileSize(dir_ + "/t/data/a.parquet"), 5);
  EXPECT_FALSE(StoredFileExists(dir_ + "/t/missing"));
  EXPECT_FALSE(StoredFileExists(dir_ + "/t/data"));  // a directory is no file

  const auto all = ListStoredFiles(dir_ + "/t");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].relative, "b.json");
  EXPECT_EQ(all[1].relative, "data/a.parquet");
  EXPECT_EQ(all[1].path, dir_ + "/t/data/a.parquet");
  EXPECT_EQ(all[1].size, 5);
  EXPECT_GT(all[1].modified_ms, 1700000000000);
  const auto top = ListStoredFiles(dir_ + "/t", /*recursive=*/false);
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(top[0].relative, "b.json");
  EXPECT_TRUE(ListStoredFiles(dir_ + "/absent").empty());

  EXPECT_TRUE(RemoveStoredFile(dir_ + "/t/b.json"));
  EXPECT_TRUE(RemoveStoredFile(dir_ + "/t/b.json"));  // already gone: not an error
  RemoveStoredTree(dir_ + "/t");
  EXPECT_FALSE(fs::exists(dir_ + "/t"));
}

TEST_F(StoredFilesTest, ErrorsNameThePath) {
  try {
    ReadStoredFile(dir_ + "/nothing.json");
    FAIL() << "read a missing file";
  } catch (const IOError& e) {
    EXPECT_NE(std::string(e.what()).find("nothing.json"), std::string::npos) << e.what();
  }
  EXPECT_THROW(WriteStoredFile(dir_ + "/no/such/dir/x", "x"), IOError);
}

}  // namespace
}  // namespace sluice
