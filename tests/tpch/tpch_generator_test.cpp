#include "tpch/tpch_generator.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "common/error.h"
#include "common/thread_pool.h"

namespace sluice::tpch {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

fs::path FreshDir(const std::string& name) {
  const fs::path dir = fs::path(::testing::TempDir()) / ("sluice_tpch_" + name);
  fs::remove_all(dir);
  return dir;
}

std::vector<TpchTableOutput> Generate(double sf, const fs::path& dir, int threads) {
  ThreadPool pool(threads);
  TpchGenOptions options;
  options.scale_factor = sf;
  options.directory = dir.string();
  return GenerateTpch(options, pool);
}

TEST(TpchGeneratorTest, WritesOneFolderPerTable) {
  const fs::path dir = FreshDir("layout");
  const auto outputs = Generate(0.01, dir, 2);
  ASSERT_EQ(outputs.size(), 8u);
  for (const TpchTableOutput& out : outputs) {
    const fs::path file = dir / std::string(TableName(out.table)) / "part-0.csv";
    ASSERT_TRUE(fs::exists(file)) << file;
    EXPECT_EQ(out.files, 1);
    EXPECT_EQ(out.bytes, static_cast<int64_t>(fs::file_size(file)));
    const std::string text = ReadAll(file);
    // A header line, then one line per row (no field holds a line break).
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), out.rows + 1) << TableName(out.table);
  }
  EXPECT_EQ(outputs[static_cast<size_t>(TpchTable::kOrders)].rows, 15'000);
  const std::string region = ReadAll(dir / "region" / "part-0.csv");
  EXPECT_EQ(region.substr(0, region.find('\n')), "r_regionkey,r_name,r_comment");
  EXPECT_NE(region.find("\n0,AFRICA,"), std::string::npos);
}

TEST(TpchGeneratorTest, SameBytesForAnyThreadCount) {
  // SF 0.07: 105,000 orders, so orders and lineitem span two part files.
  const fs::path one = FreshDir("threads1");
  const fs::path four = FreshDir("threads4");
  const auto a = Generate(0.07, one, 1);
  const auto b = Generate(0.07, four, 4);
  EXPECT_EQ(a[static_cast<size_t>(TpchTable::kLineitem)].files, 2);
  for (const auto& entry : fs::recursive_directory_iterator(one)) {
    if (!entry.is_regular_file()) continue;
    const fs::path other = four / fs::relative(entry.path(), one);
    ASSERT_TRUE(fs::exists(other)) << other;
    EXPECT_TRUE(ReadAll(entry.path()) == ReadAll(other)) << "files differ: " << other;
  }
}

TEST(TpchGeneratorTest, ReplacesPartsOfAnEarlierRun) {
  const fs::path dir = FreshDir("rerun");
  fs::create_directories(dir / "orders");
  std::ofstream(dir / "orders" / "part-7.csv") << "stale\n";
  std::ofstream(dir / "orders" / "notes.txt") << "kept\n";
  Generate(0.001, dir, 2);
  EXPECT_FALSE(fs::exists(dir / "orders" / "part-7.csv"));
  EXPECT_TRUE(fs::exists(dir / "orders" / "notes.txt"));
  EXPECT_TRUE(fs::exists(dir / "orders" / "part-0.csv"));
}

TEST(TpchGeneratorTest, WritesParquet) {
  const fs::path dir = FreshDir("parquet");
  ThreadPool pool(2);
  TpchGenOptions options;
  options.scale_factor = 0.001;
  options.directory = dir.string();
  options.format = TpchFileFormat::kParquet;
  const auto outputs = GenerateTpch(options, pool);
  for (const TpchTableOutput& out : outputs) {
    const std::string bytes = ReadAll(dir / std::string(TableName(out.table)) / "part-0.parquet");
    ASSERT_GT(bytes.size(), 8u);
    EXPECT_EQ(bytes.substr(0, 4), "PAR1");
    EXPECT_EQ(bytes.substr(bytes.size() - 4), "PAR1");
    EXPECT_GT(out.rows, 0);
  }
}

TEST(TpchGeneratorTest, RejectsBadScaleFactor) {
  EXPECT_THROW(Generate(0, FreshDir("bad"), 1), InvalidInputError);
}

}  // namespace
}  // namespace sluice::tpch
