// Parquet scans that test pushed-down conjuncts row by row (ParquetSource::WithFilters):
// only passing rows come out, whatever the encoding, page size, NULLs and run pattern.
#include <gtest/gtest.h>

#include <functional>
#include <optional>

#include "csv_test_util.h"
#include "expr/binder.h"
#include "io/parquet_reader.h"
#include "io/parquet_writer.h"
#include "parquet_test_util.h"

namespace sluice {
namespace {

using testing::ReadAllRows;
using testing::TempDir;

constexpr int64_t kRows = 20000;

Schema TestSchema() {
  return Schema({Field{"id", TypeId::kBigInt, true, ""}, Field{"k", TypeId::kInteger, true, ""},
                 Field{"s", TypeId::kVarchar, true, ""}, Field{"x", TypeId::kDouble, true, ""}});
}

// Row i: id = i; k = i % 7 (NULL every 11th row); s unique and long; x = i / 4.
std::vector<Value> TestRow(int64_t i) {
  return {Value::BigInt(i),
          i % 11 == 0 ? Value::Null(TypeId::kInteger) : Value::Integer(static_cast<int32_t>(i % 7)),
          Value::Varchar("a string longer than twelve bytes " + std::to_string(i)),
          Value::Double(static_cast<double>(i) / 4)};
}

std::string WriteTestFile(const TempDir& dir, const std::string& name,
                          const ParquetWriteOptions& options) {
  const std::string path = dir.path() + "/" + name;
  const Schema schema = TestSchema();
  ParquetWriter writer(path, schema, options);
  for (int64_t base = 0; base < kRows; base += kBatchSize) {
    const size_t n = static_cast<size_t>(std::min<int64_t>(kBatchSize, kRows - base));
    std::vector<ColumnPtr> columns;
    for (size_t c = 0; c < schema.size(); c++) {
      auto col = Column::Make(schema.field(c).type, n);
      for (size_t r = 0; r < n; r++) col->SetValue(r, TestRow(base + static_cast<int64_t>(r))[c]);
      col->set_size(n);
      columns.push_back(col);
    }
    writer.Write(Batch(std::move(columns), n));
  }
  writer.Close();
  return path;
}

ExprPtr Cmp(const char* op, const char* column, Value v) {
  return BindExpression(Call(op, {Col(column), Lit(std::move(v))}), TestSchema());
}

// Reads `columns` of `path` filtered by `conjuncts` and checks the rows are exactly those
// for which `keep` holds, in order.
void ExpectFiltered(const std::string& path, const std::vector<ExprPtr>& conjuncts,
                    const std::function<bool(int64_t)>& keep, const std::vector<int>& columns) {
  auto source = ParquetSource::Open(path);
  auto filtered = source->WithFilters(conjuncts);
  ASSERT_NE(filtered, nullptr);
  const auto rows = ReadAllRows(*filtered, columns);
  size_t at = 0;
  for (int64_t i = 0; i < kRows; i++) {
    if (!keep(i)) continue;
    ASSERT_LT(at, rows.size()) << "missing row " << i;
    const std::vector<Value> want = TestRow(i);
    for (size_t c = 0; c < columns.size(); c++) {
      ASSERT_EQ(rows[at][c], want[columns[c]])
          << "row " << i << " column " << columns[c] << ": " << rows[at][c].ToString();
    }
    at++;
  }
  EXPECT_EQ(at, rows.size());
}

TEST(ParquetRowFilterTest, OnlyPassingRowsAnyEncodingAndPageSize) {
  TempDir dir;
  int file = 0;
  for (const bool dictionary : {true, false}) {
    for (const int64_t page_bytes : {int64_t{700}, int64_t{1} << 20}) {
      ParquetWriteOptions options;
      options.dictionary = dictionary;
      options.page_bytes = page_bytes;
      options.row_group_rows = 8000;  // a run crosses row groups
      const std::string path = WriteTestFile(dir, std::to_string(file++) + ".parquet", options);
      SCOPED_TRACE(path);
      // One run across pages and a row group boundary (runs path, whole pages skipped).
      ExpectFiltered(path,
                     {Cmp(">=", "id", Value::BigInt(7500)), Cmp("<", "id", Value::BigInt(9100))},
                     [](int64_t i) { return i >= 7500 && i < 9100; }, {0, 1, 2, 3});
      // The filter column not first; not projected, it filters no row (only row groups).
      ExpectFiltered(path, {Cmp("<=", "id", Value::BigInt(3))}, [](int64_t i) { return i <= 3; },
                     {2, 0});
      ExpectFiltered(path, {Cmp(">", "id", Value::BigInt(19990))},
                     [](int64_t i) { return i >= 16000; }, {2, 3});
      // Scattered rows (gathered), with NULLs in the filter column.
      ExpectFiltered(path, {Cmp("=", "k", Value::Integer(3))},
                     [](int64_t i) { return i % 11 != 0 && i % 7 == 3; }, {2, 1, 3});
      ExpectFiltered(path, {BindExpression(IsNull(Col("k")), TestSchema())},
                     [](int64_t i) { return i % 11 == 0; }, {0, 2, 1});
      // Two filter columns; some batches keep nothing.
      ExpectFiltered(path,
                     {Cmp("<", "x", Value::Double(1000.0)), Cmp("<>", "k", Value::Integer(0))},
                     [](int64_t i) { return i < 4000 && i % 11 != 0 && i % 7 != 0; }, {3, 2, 1});
      ExpectFiltered(path, {Cmp(">", "id", Value::BigInt(kRows))}, [](int64_t) { return false; },
                     {0, 2});
    }
  }
}

}  // namespace
}  // namespace sluice
