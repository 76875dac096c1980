// COPY ... TO and DataFrameWriter run as plans with a write node (WriteSink over a
// FileSetTarget): every task streams into its own file, the commit moves the result into
// place, and a failed write leaves what was there before.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/dataframe.h"
#include "api/session.h"
#include "api/sql_runner.h"
#include "common/error.h"
#include "io/parquet_reader.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Names of the entries of `dir`, sorted.
std::vector<std::string> Listing(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

class FileWriteTest : public ::testing::Test {
 protected:
  FileWriteTest() : session_(TestSettings()) {
    dir_ = fs::temp_directory_path() / ("sluice_file_write_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  ~FileWriteTest() override { fs::remove_all(dir_); }

  static Settings TestSettings() {
    Settings s;
    s.set_threads(2);
    s.set_shuffle_partitions(4);
    s.set_progress_bar(false);
    return s;
  }
  std::vector<StatementResult> Run(const std::string& sql) { return RunSqlScript(session_, sql); }
  std::string Scalar(const std::string& sql) {
    return Run(sql).back().batches.at(0).column(0)->GetValue(0).ToString();
  }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  // Three partitions of 1000 rows each (UNION ALL keeps its inputs' partitions in order).
  static std::string ThreeParts() {
    return "SELECT range AS x FROM range(0, 1000) UNION ALL SELECT range FROM range(1000, 2000) "
           "UNION ALL SELECT range FROM range(2000, 3000)";
  }

  Session session_;
  fs::path dir_;
};

TEST_F(FileWriteTest, FailedCopyLeavesTheOldFileAndNoTemporaryFiles) {
  Run("COPY (SELECT 41 AS answer) TO '" + Path("out.csv") + "'");
  const std::string before = ReadText(dir_ / "out.csv");
  ASSERT_EQ(before, "answer\n41\n");
  // The cast fails on a late row, after earlier tasks have written their parts.
  const std::string failing =
      "COPY (SELECT CAST(CASE WHEN x = 2990 THEN 'late' ELSE CAST(x AS VARCHAR) END AS INTEGER) "
      "AS v FROM (" +
      ThreeParts() + ")) TO '" + Path("out.csv") + "'";
  EXPECT_THROW(Run(failing), UserError);
  EXPECT_EQ(ReadText(dir_ / "out.csv"), before);
  EXPECT_EQ(Listing(dir_), (std::vector<std::string>{"out.csv"}));
  // The same for Parquet and for a directory of Hive partitions.
  Run("COPY (SELECT 41 AS answer, 1 AS k) TO '" + Path("parts") + "' (FORMAT parquet, "
      "PARTITION_BY (k))");
  EXPECT_THROW(Run("COPY (SELECT CAST(CASE WHEN x = 2990 THEN 'late' ELSE CAST(x AS VARCHAR) "
                   "END AS INTEGER) AS v, x % 3 AS k FROM (" +
                   ThreeParts() + ")) TO '" + Path("parts") + "' (FORMAT parquet, PARTITION_BY (k))"),
               UserError);
  EXPECT_EQ(Listing(dir_), (std::vector<std::string>{"out.csv", "parts"}));
  EXPECT_EQ(Listing(dir_ / "parts"), (std::vector<std::string>{"k=1"}));
  EXPECT_EQ(Scalar("SELECT sum(answer) FROM '" + Path("parts") + "'"), "41");
}

TEST_F(FileWriteTest, SingleFileJoinsThePartsOfEveryTaskInOrder) {
  Run("COPY (" + ThreeParts() + ") TO '" + Path("x.csv") + "'");
  std::string expected = "x\n";
  for (int i = 0; i < 3000; i++) expected += std::to_string(i) + "\n";
  EXPECT_EQ(ReadText(dir_ / "x.csv"), expected);
  // Parquet: one footer over the row groups of the three parts, in order.
  Run("COPY (" + ThreeParts() + ") TO '" + Path("x.parquet") + "' (ROW_GROUP_SIZE 400)");
  const ParquetSource::File file = ReadParquetFooter(Path("x.parquet"));
  EXPECT_EQ(file.metadata.num_rows, 3000);
  EXPECT_EQ(file.metadata.row_groups.size(), 9u);  // 400 + 400 + 200 per part
  EXPECT_EQ(Scalar("SELECT sum(x * (x % 7)) FROM '" + Path("x.parquet") + "'"),
            Scalar("SELECT sum(x * (x % 7)) FROM (" + ThreeParts() + ")"));
  for (const int row : {0, 999, 1000, 2999}) {
    EXPECT_EQ(Scalar("SELECT x FROM '" + Path("x.parquet") + "' LIMIT 1 OFFSET " +
                     std::to_string(row)),
              std::to_string(row));
  }
  EXPECT_EQ(Listing(dir_), (std::vector<std::string>{"x.csv", "x.parquet"}));
}

TEST_F(FileWriteTest, ExplainShowsTheWriteAndRunsNothing) {
  const std::string plan =
      Scalar("EXPLAIN COPY (" + ThreeParts() + ") TO '" + Path("e.parquet") + "' (FORMAT parquet)");
  EXPECT_NE(plan.find("COPY TO '" + Path("e.parquet") + "' (FORMAT parquet)"), std::string::npos)
      << plan;
  EXPECT_TRUE(Listing(dir_).empty());
}

TEST_F(FileWriteTest, DataFrameWriterWritesThroughTheSamePlan) {
  DataFrame df = session_.Range(0, 3000).Repartition(3);
  df.Write().Option("compression", "zstd").Parquet(Path("d.parquet"));
  EXPECT_EQ(Scalar("SELECT count(*) || ',' || sum(range) FROM '" + Path("d.parquet") + "'"),
            "3000,4498500");
  // A path without the format's extension is a directory of one part file per task.
  df.Write().Csv(Path("d_parts"));
  EXPECT_EQ(Listing(dir_ / "d_parts"),
            (std::vector<std::string>{"part-0.csv", "part-1.csv", "part-2.csv"}));
  EXPECT_EQ(Scalar("SELECT sum(range) FROM '" + Path("d_parts") + "/*.csv'"), "4498500");
  // Writing again replaces the directory whole.
  session_.Range(0, 10).Write().Csv(Path("d_parts"));
  EXPECT_EQ(Listing(dir_ / "d_parts"), (std::vector<std::string>{"part-0.csv"}));
  EXPECT_THROW(df.Write().PartitionBy({"range"}).Json(Path("never")), InvalidInputError);
  EXPECT_THROW(df.Write().Option("codec", "brotli").Parquet(Path("never.parquet")), UserError);
  EXPECT_FALSE(fs::exists(dir_ / "never"));
  EXPECT_FALSE(fs::exists(dir_ / "never.parquet"));
}

}  // namespace
}  // namespace sluice
