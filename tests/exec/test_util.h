#pragma once

// Helpers for exec/ operator tests: an in-memory source operator, bound expression builders
// that need no binder, and a runner that executes every partition on a thread pool.

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "common/memory.h"
#include "common/settings.h"
#include "common/thread_pool.h"
#include "exec/exec_context.h"
#include "exec/operator.h"
#include "expr/aggregates_internal.h"
#include "expr/expr.h"
#include "tests/support/row_batches.h"

namespace sluice::exec_test {

using test_support::Canonical;
using test_support::MakeBatch;
using test_support::MakeBatches;
using test_support::MakeSchema;
using test_support::Row;

// An operator that serves given batches, one list per partition.
class MemorySource : public PhysicalOperator {
 public:
  MemorySource(Schema schema, std::vector<std::vector<Batch>> partitions)
      : PhysicalOperator(std::move(schema), std::vector<PhysicalOperatorPtr>{}), partitions_(std::move(partitions)) {}
  std::string name() const override { return "MemorySource"; }
  Partitioning output_partitioning() const override {
    return Partitioning::Unknown(static_cast<int>(partitions_.size()));
  }
  std::unique_ptr<BatchStream> Execute(int partition, ExecContext&) const override {
    return std::make_unique<VectorStream>(partitions_[partition]);
  }

 private:
  std::vector<std::vector<Batch>> partitions_;
};

inline std::unique_ptr<MemorySource> Source(const std::vector<LogicalType>& types,
                                            std::vector<std::vector<Batch>> partitions) {
  return std::make_unique<MemorySource>(MakeSchema(types), std::move(partitions));
}

// A bound column reference.
inline ExprPtr ColumnRef(int index, LogicalType type) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kColumnRef;
  e->name = "c" + std::to_string(index);
  e->column_index = index;
  e->type = type;
  e->bound = true;
  return e;
}

// A bound aggregate call.
inline ExprPtr AggregateCall(const std::string& name, std::vector<ExprPtr> args,
                             bool distinct = false) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kAggregate;
  e->name = name;
  e->distinct = distinct;
  std::vector<LogicalType> types;
  for (const auto& a : args) types.push_back(a->type);
  e->args = std::move(args);
  e->aggregate = MakeAggregateFunction(name, types, distinct);
  if (e->aggregate == nullptr) throw std::runtime_error("no aggregate " + name);
  e->type = e->aggregate->result_type();
  e->bound = true;
  return e;
}

// Runs all partitions of `op` on a pool of `threads` and returns the rows, partitions in
// order.
struct RunResult {
  std::vector<Row> rows;
  std::vector<size_t> batch_sizes;
};
inline RunResult RunOperator(PhysicalOperator& op, int threads, int64_t memory_limit = int64_t{1} << 34) {
  int next_id = 0;
  std::function<void(PhysicalOperator&)> assign = [&](PhysicalOperator& o) {
    o.set_id(next_id++);
    for (const auto& c : o.children()) assign(*c);
  };
  assign(op);
  ThreadPool pool(threads);
  MemoryManager memory(memory_limit);
  Settings settings;
  ExecContext ctx(settings, &memory, &pool);
  const int parts = op.num_partitions();
  std::vector<std::vector<Batch>> results(parts);
  pool.ParallelFor(parts, [&](int p) {
    auto stream = ctx.Execute(op, p);
    Batch b;
    while (stream->Next(&b)) results[p].push_back(b);
  });
  RunResult out;
  for (const auto& part : results) {
    for (const auto& b : part) {
      out.batch_sizes.push_back(b.num_rows());
      for (size_t r = 0; r < b.num_rows(); r++) out.rows.push_back(b.GetRow(r));
    }
  }
  return out;
}

// Join test inputs shared by the hash and sort-merge join tests.
// left: (k INTEGER, a INTEGER); right: (k INTEGER, b INTEGER).
inline const std::vector<LogicalType> kJoinTypes = {TypeId::kInteger, TypeId::kInteger};

inline std::vector<Row> JoinLeftRows() {
  const Value null = Value::Null(TypeId::kInteger);
  std::vector<Row> rows;
  for (int i = 0; i < 3000; i++) {
    rows.push_back({i % 17 == 0 ? null : Value::Integer(i % 40), Value::Integer(i % 23)});
  }
  return rows;
}

inline std::vector<Row> JoinRightRows() {
  const Value null = Value::Null(TypeId::kInteger);
  std::vector<Row> rows;
  for (int i = 0; i < 500; i++) {
    // Keys 0..59 (40..59 only on this side), duplicates, and NULL keys.
    rows.push_back({i % 13 == 0 ? null : Value::Integer((i * 7) % 60), Value::Integer(i % 29)});
  }
  return rows;
}

// left.a < right.b, with a hand-written kernel so no binder is needed.
inline ExprPtr JoinResidualLess() {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kCall;
  e->name = "<";
  e->type = TypeId::kBoolean;
  e->bound = true;
  e->args = {ColumnRef(1, TypeId::kInteger), ColumnRef(3, TypeId::kInteger)};
  e->kernel = [](const std::vector<ColumnPtr>& args, size_t n) -> ColumnPtr {
    auto out = Column::Make(TypeId::kBoolean, n);
    out->set_size(n);
    for (size_t i = 0; i < n; i++) {
      if (args[0]->IsNull(i) || args[1]->IsNull(i)) {
        out->SetNull(i);
      } else {
        out->data<uint8_t>()[i] = args[0]->data<int32_t>()[i] < args[1]->data<int32_t>()[i];
      }
    }
    return out;
  };
  return e;
}

}  // namespace sluice::exec_test
