#include <gtest/gtest.h>

#include <random>

#include "csv_test_util.h"
#include "io/csv_reader.h"

namespace sluice {
namespace {

using testing::Rows;
using testing::TempDir;

// Rows of varied length, some with quoted delimiters, so split boundaries fall everywhere.
std::string MakeCsv(int rows, bool crlf) {
  std::mt19937 rng(42);
  std::string text = "id,name,score,day\n";
  const std::string eol = crlf ? "\r\n" : "\n";
  for (int i = 0; i < rows; i++) {
    const std::string name(rng() % 30, static_cast<char>('a' + i % 26));
    text += std::to_string(i) + ",";
    text += (i % 3 == 0) ? "\"" + name + ", q\"" : name;
    text += "," + std::to_string(i * 0.25) + ",2024-01-" + std::to_string(1 + i % 28) + eol;
    if (i % 50 == 0) text += eol;  // blank lines are skipped, wherever the split falls
  }
  return text;
}

TEST(CsvSplitTest, TinySplitsReadEveryRowExactlyOnce) {
  TempDir dir;
  for (const bool crlf : {false, true}) {
    const auto path = dir.Write("t.csv", MakeCsv(1200, crlf));
    const Rows expected = testing::ReadCsv(path);
    ASSERT_EQ(expected.size(), 1200u);
    for (const int64_t split_bytes : {3, 64, 1000, 4096}) {
      CsvOptions options;
      options.target_split_bytes = split_bytes;
      auto source = CsvSource::Open(path, options);
      EXPECT_GT(source->num_splits(), split_bytes < 4096 ? 10 : 1);
      EXPECT_EQ(testing::ReadRows(*source), expected) << "split bytes " << split_bytes;
    }
  }
}

TEST(CsvSplitTest, SplitCountDependsOnlyOnSize) {
  TempDir dir;
  const auto path = dir.Write("t.csv", MakeCsv(1000, false));
  CsvOptions options;
  options.target_split_bytes = 1000;
  const int64_t size = static_cast<int64_t>(testing::ReadFile(path).size());
  const int64_t header = 19;  // "id,name,score,day\n"
  EXPECT_EQ(CsvSource::Open(path, options)->num_splits(), (size - header + 999) / 1000);
}

TEST(CsvSplitTest, QuotedNewlinesFallBackToOneSplitPerFile) {
  TempDir dir;
  std::string text = "a,b\n";
  for (int i = 0; i < 200; i++) text += std::to_string(i) + ",\"line\nbreak\"\n";
  CsvOptions options;
  options.target_split_bytes = 50;
  auto source = CsvSource::Open(dir.Write("t.csv", text), options);
  EXPECT_EQ(source->num_splits(), 1);
  EXPECT_EQ(testing::ReadRows(*source).size(), 200u);
}

TEST(CsvSplitTest, ErrorInLateSplitHasTheRightLine) {
  TempDir dir;
  std::string text = "a,b\n";
  for (int i = 0; i < 5000; i++) text += std::to_string(i) + "," + std::to_string(i) + "\n";
  text += "5000,bad\n";
  const auto path = dir.Write("t.csv", text);
  CsvOptions options;
  options.target_split_bytes = 512;
  options.column_types = {{"b", TypeId::kBigInt}};
  auto source = CsvSource::Open(path, options);
  ASSERT_GT(source->num_splits(), 20);
  const int last = source->num_splits() - 1;
  try {
    testing::ReadRows(*source);
    FAIL();
  } catch (const ConversionError& e) {
    EXPECT_EQ(e.message(), "Error reading CSV '" + path +
                               "' line 5002, column 2 (\"b\"): could not convert \"bad\" to "
                               "BIGINT");
  }
  // Only the last split holds the bad row; the others read cleanly.
  for (int s = 0; s < last; s++) {
    auto stream = source->Open(s, {0, 1});
    Batch batch;
    while (stream->Next(&batch)) {
    }
  }
}

TEST(CsvSplitTest, IgnoredErrorsAcrossSplitsAreCountedOnce) {
  TempDir dir;
  std::string text = "a,b\n";
  for (int i = 0; i < 2000; i++) {
    text += std::to_string(i) + "," + (i % 10 == 3 ? std::string("x") : std::to_string(i)) + "\n";
  }
  CsvOptions options;
  options.target_split_bytes = 100;
  options.ignore_errors = true;
  options.column_types = {{"b", TypeId::kBigInt}};
  options.rejects_path = dir.path() + "/rejects.csv";
  auto source = CsvSource::Open(dir.Write("t.csv", text), options);
  EXPECT_EQ(testing::ReadRows(*source).size(), 1800u);
  EXPECT_EQ(source->rejected_rows(), 200);
  const std::string rejects = testing::ReadFile(options.rejects_path);
  EXPECT_NE(rejects.find("t.csv,5,2,"), std::string::npos);  // row 3 is on line 5
  EXPECT_NE(rejects.find("t.csv,1995,2,"), std::string::npos);
}

TEST(CsvSplitTest, MultipleFilesGetTheirOwnSplits) {
  TempDir dir;
  dir.Write("p/a.csv", MakeCsv(100, false));
  dir.Write("p/b.csv", MakeCsv(200, false));
  CsvOptions options;
  options.target_split_bytes = 300;
  auto source = CsvSource::Open(dir.path() + "/p", options);
  EXPECT_EQ(testing::ReadRows(*source).size(), 300u);
}

}  // namespace
}  // namespace sluice
