#include <gtest/gtest.h>

#include "csv_test_util.h"
#include "io/data_source.h"

namespace sluice {
namespace {

using testing::TempDir;

class ExpandPathsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"a.csv", "b.csv", "c.txt", "sub/d.csv", "sub/deep/e.csv",
                             "sub/deep/f.txt", "x1.csv", "x22.csv"}) {
      dir_.Write(name, "1\n");
    }
  }
  std::vector<std::string> Expand(const std::string& pattern) {
    std::vector<std::string> out;
    for (const auto& p : ExpandPaths(dir_.path() + "/" + pattern)) {
      out.push_back(p.substr(dir_.path().size() + 1));
    }
    return out;
  }
  TempDir dir_;
};

TEST_F(ExpandPathsTest, File) { EXPECT_EQ(Expand("a.csv"), (std::vector<std::string>{"a.csv"})); }

TEST_F(ExpandPathsTest, DirectoryIsRecursiveAndSorted) {
  EXPECT_EQ(Expand("sub"), (std::vector<std::string>{"sub/d.csv", "sub/deep/e.csv",
                                                     "sub/deep/f.txt"}));
}

TEST_F(ExpandPathsTest, StarAndQuestionMark) {
  EXPECT_EQ(Expand("*.csv"), (std::vector<std::string>{"a.csv", "b.csv", "x1.csv", "x22.csv"}));
  EXPECT_EQ(Expand("x?.csv"), (std::vector<std::string>{"x1.csv"}));
  EXPECT_EQ(Expand("*/*.csv"), (std::vector<std::string>{"sub/d.csv"}));
  EXPECT_EQ(Expand("s*/de*/*"), (std::vector<std::string>{"sub/deep/e.csv", "sub/deep/f.txt"}));
}

TEST_F(ExpandPathsTest, DoubleStarMatchesAnyDepth) {
  EXPECT_EQ(Expand("**/*.csv"),
            (std::vector<std::string>{"a.csv", "b.csv", "sub/d.csv", "sub/deep/e.csv", "x1.csv",
                                      "x22.csv"}));
  EXPECT_EQ(Expand("sub/**/*.txt"), (std::vector<std::string>{"sub/deep/f.txt"}));
}

TEST_F(ExpandPathsTest, NothingMatches) {
  const std::string pattern = dir_.path() + "/*.parquet";
  try {
    ExpandPaths(pattern);
    FAIL();
  } catch (const IOError& e) {
    EXPECT_EQ(e.message(), "No files found that match the pattern '" + pattern + "'");
  }
  EXPECT_THROW(ExpandPaths(dir_.path() + "/missing.csv"), IOError);
}

}  // namespace
}  // namespace sluice
