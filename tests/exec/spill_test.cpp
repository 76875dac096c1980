// Spilling under a small memory limit: the batch encoding, spill files, the per-query temp
// directory, and each spilling operator (exchange, hash aggregate, hash join, sort) giving
// the same result as without a limit.

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>

#include "shuffle/batch_serde.h"
#include "exec/exchange.h"
#include "exec/scheduler.h"
#include "exec/hash_aggregate.h"
#include "exec/hash_join.h"
#include "exec/sort.h"
#include "shuffle/spill_file.h"
#include "shuffle/temp_directory.h"
#include "tests/exec/spill_test_util.h"
#include "tests/exec/test_util.h"

namespace sluice {
namespace {

using exec_test::AggregateCall;
using exec_test::Canonical;
using exec_test::ColumnRef;
using exec_test::MakeBatch;
using exec_test::MakeBatches;
using exec_test::MakeSchema;
using exec_test::Row;
using exec_test::Source;

namespace fs = std::filesystem;

using exec_test::IsEmptyDir;
using exec_test::kNoLimit;
using exec_test::kTinyLimit;
using exec_test::RunSpilling;
using exec_test::SpillRun;
using exec_test::TestTempDir;

// ---- batch encoding, spill files, temp directory ----

TEST(BatchSerdeTest, RoundTripsEveryTypeWithNulls) {
  const std::vector<LogicalType> types = {
      TypeId::kBoolean, TypeId::kTinyInt, TypeId::kSmallInt, TypeId::kInteger,
      TypeId::kBigInt, TypeId::kDouble, LogicalType::Decimal(10, 2), LogicalType::Decimal(30, 5),
      TypeId::kVarchar, TypeId::kDate, TypeId::kTimestamp, TypeId::kInterval};
  std::vector<Row> rows;
  for (int i = 0; i < 300; i++) {
    if (i % 7 == 3) {
      Row nulls;
      for (const auto& t : types) nulls.push_back(Value::Null(t));
      rows.push_back(nulls);
      continue;
    }
    rows.push_back({Value::Boolean(i % 2 == 0), Value::TinyInt(static_cast<int8_t>(i % 100)),
                    Value::SmallInt(static_cast<int16_t>(i * 3)), Value::Integer(-i),
                    Value::BigInt(int64_t{i} << 40), Value::Double(i / 3.0),
                    Value::Decimal(i * 101, 10, 2),
                    Value::Decimal(static_cast<int128_t>(i) * 1000000000000000LL, 30, 5),
                    Value::Varchar(i % 3 == 0 ? "short" : "a string longer than twelve #" +
                                                              std::to_string(i)),
                    Value::Date(18000 + i), Value::Timestamp(int64_t{i} * 1000003),
                    Value::IntervalValue(Interval{i, -i, int64_t{i} * 7})});
  }
  Batch batch = MakeBatch(types, rows);
  // A constant column (NULL and not) is written flat.
  batch.mutable_columns()[0] = Column::MakeConstant(TypeId::kBoolean, Value::Boolean(true), rows.size());
  batch.mutable_columns()[3] = Column::MakeConstant(TypeId::kInteger, Value::Null(TypeId::kInteger), rows.size());
  std::string bytes;
  SerializeBatch(batch, &bytes);
  const Batch back =
      DeserializeBatch(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), types);
  ASSERT_EQ(back.num_rows(), batch.num_rows());
  for (size_t r = 0; r < batch.num_rows(); r++) {
    const Row want = batch.GetRow(r);
    const Row got = back.GetRow(r);
    for (size_t c = 0; c < types.size(); c++) {
      EXPECT_EQ(got[c].ToString(), want[c].ToString()) << "row " << r << " column " << c;
      EXPECT_EQ(got[c].is_null(), want[c].is_null()) << "row " << r << " column " << c;
    }
  }
  EXPECT_THROW(DeserializeBatch(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size() / 2,
                                types),
               InternalError);
}

TEST(SpillFileTest, ReadsBackInWriteOrderAndDeletesItself) {
  const fs::path dir = TestTempDir();
  const std::vector<LogicalType> types = {TypeId::kBigInt, TypeId::kVarchar};
  std::vector<Row> rows;
  for (int i = 0; i < 5000; i++) {
    rows.push_back({Value::BigInt(i), i % 5 == 0 ? Value::Null(TypeId::kVarchar)
                                                 : Value::Varchar("value number " + std::to_string(i))});
  }
  std::string path;
  {
    TempDirectory temp(dir.string());
    path = temp.NewPath("test");
    SpillFile file(path, types);
    for (const auto& b : MakeBatches(types, rows, 700)) EXPECT_GT(file.Write(b), 0);
    EXPECT_EQ(file.num_rows(), 5000);
    EXPECT_EQ(file.num_batches(), 8);
    for (int pass = 0; pass < 2; pass++) {  // readers are independent
      auto reader = file.OpenReader();
      std::vector<Row> got;
      Batch b;
      while (reader->Next(&b)) {
        for (size_t r = 0; r < b.num_rows(); r++) got.push_back(b.GetRow(r));
      }
      ASSERT_EQ(got.size(), rows.size());
      for (size_t i = 0; i < rows.size(); i++) EXPECT_EQ(got[i][1].ToString(), rows[i][1].ToString());
    }
    EXPECT_TRUE(fs::exists(path));
  }
  EXPECT_FALSE(fs::exists(path));
  EXPECT_TRUE(IsEmptyDir(dir));
  fs::remove_all(dir);
}

TEST(TempDirectoryTest, CreatedOnFirstUseAndRemovedWithItsFiles) {
  const fs::path dir = TestTempDir();
  std::string made;
  {
    TempDirectory temp(dir.string());
    EXPECT_TRUE(temp.path().empty());
    EXPECT_TRUE(IsEmptyDir(dir));
    const std::string a = temp.NewPath("x");
    const std::string b = temp.NewPath("x");
    EXPECT_NE(a, b);
    made = temp.path();
    EXPECT_TRUE(fs::is_directory(made));
    std::FILE* f = std::fopen(a.c_str(), "w");  // a file nobody deleted
    ASSERT_NE(f, nullptr);
    std::fclose(f);
  }
  EXPECT_FALSE(fs::exists(made));
  fs::remove_all(dir);
}

// ---- operators ----

// (k INTEGER with NULLs, s VARCHAR long, v BIGINT): `n` rows, `keys` distinct k.
const std::vector<LogicalType> kTypes = {TypeId::kInteger, TypeId::kVarchar, TypeId::kBigInt};

std::vector<Row> MakeRows(int n, int keys) {
  std::vector<Row> rows;
  for (int i = 0; i < n; i++) {
    const int k = static_cast<int>((static_cast<int64_t>(i) * 7919) % keys);
    rows.push_back({k == 5 ? Value::Null(TypeId::kInteger) : Value::Integer(k),
                    Value::Varchar("string value for key " + std::to_string(k)),
                    i % 13 == 0 ? Value::Null(TypeId::kBigInt) : Value::BigInt(i)});
  }
  return rows;
}

std::vector<std::vector<Batch>> Split(const std::vector<Row>& rows, int partitions) {
  std::vector<std::vector<Row>> parts(partitions);
  for (size_t i = 0; i < rows.size(); i++) parts[i % partitions].push_back(rows[i]);
  std::vector<std::vector<Batch>> out;
  for (const auto& p : parts) out.push_back(MakeBatches(kTypes, p, 1024));
  return out;
}

std::unique_ptr<HashAggregate> MakeAggregate(const std::vector<Row>& rows, int partitions) {
  std::vector<ExprPtr> groups = {ColumnRef(0, TypeId::kInteger), ColumnRef(1, TypeId::kVarchar)};
  std::vector<ExprPtr> aggs = {AggregateCall("count_star", {}),
                               AggregateCall("sum", {ColumnRef(2, TypeId::kBigInt)}),
                               AggregateCall("min", {ColumnRef(1, TypeId::kVarchar)}),
                               AggregateCall("avg", {ColumnRef(2, TypeId::kBigInt)})};
  Schema out = MakeSchema({TypeId::kInteger, TypeId::kVarchar, aggs[0]->type, aggs[1]->type,
                           aggs[2]->type, aggs[3]->type});
  return std::make_unique<HashAggregate>(Source(kTypes, Split(rows, partitions)), std::move(groups),
                                         std::move(aggs), AggregateMode::kSingle, out);
}

TEST(SpillTest, HashAggregateSpillsAndMatchesUnlimited) {
  const fs::path dir = TestTempDir();
  const auto rows = MakeRows(300000, 120000);
  auto unlimited = MakeAggregate(rows, 2);
  auto limited = MakeAggregate(rows, 2);
  const SpillRun want = RunSpilling(*unlimited, kNoLimit, dir);
  const SpillRun got = RunSpilling(*limited, kTinyLimit, dir);
  EXPECT_EQ(want.spilled_bytes, 0);
  EXPECT_GT(got.spilled_bytes, 0);
  EXPECT_LE(got.peak, kTinyLimit);
  EXPECT_EQ(got.rows.size(), 120000u);
  EXPECT_EQ(Canonical(got.rows), Canonical(want.rows));
  EXPECT_TRUE(IsEmptyDir(dir));
  fs::remove_all(dir);
}

TEST(SpillTest, PartialAggregateFlushesInsteadOfFailing) {
  const fs::path dir = TestTempDir();
  const auto rows = MakeRows(200000, 100000);
  auto make = [&](AggregateMode mode) {
    auto single = MakeAggregate(rows, 1);
    std::vector<ExprPtr> aggs = {AggregateCall("count_star", {}),
                                 AggregateCall("sum", {ColumnRef(2, TypeId::kBigInt)})};
    std::vector<LogicalType> out = {TypeId::kInteger, TypeId::kVarchar};
    for (const auto& a : aggs) {
      for (const auto& t : a->aggregate->state_types()) out.push_back(t);
    }
    return std::make_unique<HashAggregate>(
        Source(kTypes, Split(rows, 1)),
        std::vector<ExprPtr>{ColumnRef(0, TypeId::kInteger), ColumnRef(1, TypeId::kVarchar)},
        std::move(aggs), mode, MakeSchema(out));
  };
  // Sum of counts and of sums is the same however often the partial flushes.
  auto totals = [](const std::vector<Row>& out) {
    int64_t count = 0;
    int64_t sum = 0;
    for (const auto& r : out) {
      count += r[2].GetInt();
      if (!r[3].is_null()) sum += r[3].GetInt();
    }
    return std::make_pair(count, sum);
  };
  auto unlimited = make(AggregateMode::kPartial);
  auto limited = make(AggregateMode::kPartial);
  const auto want = RunSpilling(*unlimited, kNoLimit, dir);
  const auto got = RunSpilling(*limited, int64_t{1} << 20, dir, 1);
  EXPECT_EQ(totals(got.rows), totals(want.rows));
  EXPECT_TRUE(IsEmptyDir(dir));
  fs::remove_all(dir);
}

std::unique_ptr<HashJoin> MakeJoin(const std::vector<Row>& probe, const std::vector<Row>& build,
                                   JoinType type) {
  std::vector<LogicalType> out = kTypes;
  if (type != JoinType::kSemi && type != JoinType::kAnti) {
    out.insert(out.end(), kTypes.begin(), kTypes.end());
  }
  return std::make_unique<HashJoin>(Source(kTypes, Split(probe, 2)), Source(kTypes, Split(build, 2)),
                                    type, std::vector<int>{0}, std::vector<int>{0}, nullptr,
                                    JoinDistribution::kPartitioned, MakeSchema(out));
}

class SpillJoinTest : public ::testing::TestWithParam<JoinType> {};

TEST_P(SpillJoinTest, GraceHashJoinMatchesUnlimited) {
  const fs::path dir = TestTempDir();
  // Build keys 0..59999 (with NULLs), probe keys 0..89999: some probe rows miss, some
  // build rows are never matched.
  const auto build = MakeRows(120000, 60000);
  const auto probe = MakeRows(40000, 90000);
  auto unlimited = MakeJoin(probe, build, GetParam());
  auto limited = MakeJoin(probe, build, GetParam());
  const SpillRun want = RunSpilling(*unlimited, kNoLimit, dir);
  const SpillRun got = RunSpilling(*limited, kTinyLimit, dir);
  EXPECT_GT(got.spilled_bytes, 0);
  EXPECT_LE(got.peak, kTinyLimit);
  EXPECT_FALSE(want.rows.empty());
  EXPECT_EQ(got.rows.size(), want.rows.size());
  EXPECT_EQ(Canonical(got.rows), Canonical(want.rows));
  EXPECT_TRUE(IsEmptyDir(dir));
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Types, SpillJoinTest,
                         ::testing::Values(JoinType::kInner, JoinType::kLeft, JoinType::kRight,
                                           JoinType::kFull, JoinType::kSemi, JoinType::kAnti));

std::unique_ptr<Sort> MakeSortOp(const std::vector<Row>& rows, std::optional<int64_t> limit) {
  return std::make_unique<Sort>(Source(kTypes, {MakeBatches(kTypes, rows, 1024)}),
                                std::vector<SortKey>{{0, false, true}, {1, true, false}}, limit);
}

TEST(SpillTest, ExternalSortMatchesUnlimitedExactly) {
  const fs::path dir = TestTempDir();
  const auto rows = MakeRows(200000, 50000);  // many ties: the order checks stability too
  for (std::optional<int64_t> limit : {std::optional<int64_t>(), std::optional<int64_t>(150000)}) {
    auto unlimited = MakeSortOp(rows, limit);
    auto limited = MakeSortOp(rows, limit);
    const SpillRun want = RunSpilling(*unlimited, kNoLimit, dir);
    const SpillRun got = RunSpilling(*limited, kTinyLimit, dir);
    EXPECT_GT(got.spilled_bytes, 0);
    EXPECT_LE(got.peak, kTinyLimit);
    ASSERT_EQ(got.rows.size(), want.rows.size());
    for (size_t i = 0; i < got.rows.size(); i++) {
      ASSERT_EQ(got.rows[i][2].ToString(), want.rows[i][2].ToString()) << "row " << i;
    }
  }
  EXPECT_TRUE(IsEmptyDir(dir));
  fs::remove_all(dir);
}

TEST(SpillTest, ExchangeSpillsAndKeepsEveryRow) {
  const fs::path dir = TestTempDir();
  const auto rows = MakeRows(200000, 200000);
  auto make = [&] {
    return std::make_unique<Exchange>(Source(kTypes, Split(rows, 4)),
                                      Partitioning::Hash({0}, 8));
  };
  auto unlimited = make();
  auto limited = make();
  const SpillRun want = RunSpilling(*unlimited, kNoLimit, dir);
  const SpillRun got = RunSpilling(*limited, int64_t{2} << 20, dir);
  EXPECT_GT(got.spilled_bytes, 0);
  // Same rows in the same order: each partition reads map tasks in order, spilled first.
  ASSERT_EQ(got.rows.size(), want.rows.size());
  for (size_t i = 0; i < got.rows.size(); i++) {
    ASSERT_EQ(got.rows[i][2].ToString(), want.rows[i][2].ToString()) << "row " << i;
  }
  EXPECT_TRUE(IsEmptyDir(dir));
  fs::remove_all(dir);
}

// Serves its batches, then fails: a query that errors after it spilled. Notes whether
// spill files existed at that moment.
class FailingSource : public PhysicalOperator {
 public:
  FailingSource(std::vector<Batch> batches, fs::path dir, bool* saw_files)
      : PhysicalOperator(MakeSchema(kTypes), std::vector<PhysicalOperatorPtr>{}),
        batches_(std::move(batches)), dir_(std::move(dir)), saw_files_(saw_files) {}
  std::string name() const override { return "FailingSource"; }
  Partitioning output_partitioning() const override { return Partitioning::Unknown(1); }
  std::unique_ptr<BatchStream> Execute(int, ExecContext&) const override {
    return std::make_unique<Stream>(this);
  }

 private:
  class Stream : public BatchStream {
   public:
    explicit Stream(const FailingSource* source) : source_(source) {}
    bool Next(Batch* out) override {
      if (next_ == source_->batches_.size()) {
        *source_->saw_files_ = !fs::is_empty(source_->dir_);
        throw IOError("the input broke");
      }
      *out = source_->batches_[next_++];
      return true;
    }

   private:
    const FailingSource* source_;
    size_t next_ = 0;
  };
  std::vector<Batch> batches_;
  fs::path dir_;
  bool* saw_files_;
};

TEST(SpillTest, TempFilesGoneAfterAnError) {
  const fs::path dir = TestTempDir();
  bool saw_files = false;
  Sort sort(std::make_unique<FailingSource>(MakeBatches(kTypes, MakeRows(100000, 1000), 1024),
                                            dir, &saw_files),
            {{0, true, false}}, std::nullopt);
  EXPECT_THROW(RunSpilling(sort, kTinyLimit, dir, 1), IOError);
  EXPECT_TRUE(saw_files);
  EXPECT_TRUE(IsEmptyDir(dir));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace sluice
