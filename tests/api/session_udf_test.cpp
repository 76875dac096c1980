// A session's own scalar functions (Session::RegisterScalarUdf) and the MapBatches plan node
// (MakeMapBatches): the engine seams Python UDFs and mapInPandas run through.
#include <atomic>

#include <gtest/gtest.h>

#include "api/dataframe.h"
#include "api/session.h"
#include "api/sql_runner.h"
#include "common/error.h"

namespace sluice {
namespace {

Settings Small() {
  Settings s;
  s.set_threads(2);
  s.set_shuffle_partitions(4);
  s.set_progress_bar(false);
  return s;
}

// twice(x): 2 * x over BIGINT, NULL stays NULL.
ScalarUdf Twice(std::atomic<int>* calls = nullptr) {
  ScalarUdf udf;
  udf.name = "Twice";
  udf.result_type = LogicalType(TypeId::kBigInt);
  udf.kernel = [calls](const std::vector<ColumnPtr>& args, size_t rows) -> ColumnPtr {
    if (calls != nullptr) calls->fetch_add(1);
    ColumnPtr in = args.at(0)->Flatten(args.at(0));
    auto out = Column::Make(LogicalType(TypeId::kBigInt), rows);
    out->set_size(rows);
    for (size_t r = 0; r < rows; r++) {
      if (in->IsNull(r)) {
        out->SetNull(r);
      } else {
        out->data<int64_t>()[r] = 2 * in->data<int64_t>()[r];
      }
    }
    return out;
  };
  return udf;
}

TEST(SessionUdf, RegisteredFunctionRunsInSqlBatchByBatch) {
  Session s(Small());
  std::atomic<int> calls{0};
  s.RegisterScalarUdf(Twice(&calls));
  auto row = SqlQuery(s, "SELECT sum(TWICE(range)), count(*) FROM range(10000) "
                        "WHERE twice(range) > 10")
                 .CollectRows()
                 .at(0);
  EXPECT_EQ(row[0].GetInt(), 2 * (10000LL * 9999 / 2 - (1 + 2 + 3 + 4 + 5)));
  EXPECT_EQ(row[1].GetInt(), 10000 - 6);
  EXPECT_GE(calls.load(), 2);  // more than one batch
}

TEST(SessionUdf, BelongsToItsSessionAndCanBeDropped) {
  Session s(Small());
  Session other(Small());
  s.RegisterScalarUdf(Twice());
  EXPECT_THROW(SqlQuery(other, "SELECT twice(1)"), BindError);
  EXPECT_TRUE(s.DropScalarUdf("TWICE"));
  EXPECT_FALSE(s.DropScalarUdf("twice"));
  EXPECT_THROW(SqlQuery(s, "SELECT twice(1)"), BindError);
}

TEST(SessionUdf, ArgumentTypesCastAndCheckTheArity) {
  Session s(Small());
  ScalarUdf udf = Twice();
  udf.arg_types = std::vector<LogicalType>{LogicalType(TypeId::kBigInt)};
  s.RegisterScalarUdf(udf);
  // An INTEGER argument arrives cast to BIGINT.
  DataFrame df = SqlQuery(s, "SELECT twice(CAST(21 AS INTEGER))");
  EXPECT_EQ(df.CollectRows().at(0).at(0).GetInt(), 42);
  EXPECT_THROW(SqlQuery(s, "SELECT twice(1, 2)"), BindError);
}

TEST(SessionUdf, RegistrationNeedsANameAndAKernel) {
  Session s(Small());
  ScalarUdf udf = Twice();
  udf.kernel = nullptr;
  EXPECT_THROW(s.RegisterScalarUdf(udf), InvalidInputError);
  udf = Twice();
  udf.name = "";
  EXPECT_THROW(s.RegisterScalarUdf(udf), InvalidInputError);
}

TEST(MapBatches, EachBatchBecomesWhatTheMapperReturns) {
  Session s(Small());
  Schema schema;
  schema.Add(Field{"v", LogicalType(TypeId::kBigInt)});
  auto mapper = std::make_shared<BatchMapper>();
  mapper->name = "evens_twice";
  // Every even row, twice: a batch may grow or shrink.
  mapper->map = [](const Batch& batch, int) {
    std::vector<uint32_t> sel;
    const auto* v = batch.column(0)->Flatten(batch.column(0))->data<int64_t>();
    for (size_t r = 0; r < batch.num_rows(); r++) {
      if (v[r] % 2 == 0) {
        sel.push_back(static_cast<uint32_t>(r));
        sel.push_back(static_cast<uint32_t>(r));
      }
    }
    std::vector<Batch> out;
    out.push_back(batch.Gather(sel.data(), sel.size()));
    return out;
  };
  DataFrame df = s.FromPlan(MakeMapBatches(s.Range(0, 10000).plan(), schema, mapper));
  EXPECT_EQ(df.Count(), 10000);
  EXPECT_NE(df.Explain().find("MapBatches"), std::string::npos);
  EXPECT_THROW(MakeMapBatches(s.Range(0, 1).plan(), schema, nullptr), InvalidInputError);
  auto both = std::make_shared<BatchMapper>(*mapper);
  both->map_partition = [](std::unique_ptr<BatchStream> input, int) { return input; };
  EXPECT_THROW(MakeMapBatches(s.Range(0, 1).plan(), schema, both), InvalidInputError);
}

// A task's stream that pulls its whole input before answering: one row per task, its count
// and partition, then the rows of one big batch (more than kBatchSize, split by the operator).
class CountThenRepeat : public BatchStream {
 public:
  CountThenRepeat(std::unique_ptr<BatchStream> input, int partition)
      : input_(std::move(input)), partition_(partition) {}

  bool Next(Batch* out) override {
    if (step_ == 2) return false;
    int64_t rows = 0;
    Batch in;
    while (step_ == 0 && input_->Next(&in)) rows += static_cast<int64_t>(in.num_rows());
    const size_t n = step_ == 0 ? 1 : 3 * kBatchSize + 5;
    auto count = Column::MakeConstant(LogicalType(TypeId::kBigInt),
                                      Value::BigInt(step_ == 0 ? rows : 0), n);
    auto part = Column::MakeConstant(LogicalType(TypeId::kBigInt), Value::BigInt(partition_), n);
    *out = Batch({count, part}, n);
    step_++;
    return true;
  }

 private:
  std::unique_ptr<BatchStream> input_;
  int partition_;
  int step_ = 0;
};

TEST(MapBatches, PartitionMapperRunsOncePerTaskOverItsWholeInput) {
  Session s(Small());
  Schema schema;
  schema.Add(Field{"n", LogicalType(TypeId::kBigInt)});
  schema.Add(Field{"p", LogicalType(TypeId::kBigInt)});
  auto mapper = std::make_shared<BatchMapper>();
  mapper->name = "count_per_task";
  mapper->map_partition = [](std::unique_ptr<BatchStream> input, int partition) {
    return std::make_unique<CountThenRepeat>(std::move(input), partition);
  };
  DataFrame input = s.FromPlan(s.Range(0, 10000).Repartition(3).plan());
  DataFrame df = s.FromPlan(MakeMapBatches(input.plan(), schema, mapper));
  s.RegisterView("m", df);
  // Per task: one row holding the task's row count, then 3 * kBatchSize + 5 zero rows.
  auto row = SqlQuery(s, "SELECT count(*), sum(n), count(DISTINCT p), max(n) < 10000 FROM m")
                 .CollectRows()
                 .at(0);
  EXPECT_EQ(row[0].GetInt(), static_cast<int64_t>(3 * (3 * kBatchSize + 6)));
  EXPECT_EQ(row[1].GetInt(), 10000);
  EXPECT_EQ(row[2].GetInt(), 3);
  EXPECT_TRUE(row[3].GetBool());
}

}  // namespace
}  // namespace sluice
