// Micro-benchmarks of the expression layer's inner loops over 1M rows in 2048-row batches:
// a selective filter `x > c` and the arithmetic `a * b + c`. Run on demand (not wired into
// CMake here); the plain loop printed alongside is the peer the engine is measured against.
#include <benchmark/benchmark.h>

#include <vector>

#include "expr/binder.h"
#include "expr/evaluator.h"
#include "expr/function_registry.h"
#include "vector/batch.h"

namespace sluice {
namespace {

constexpr size_t kRows = 1 << 20;

struct Data {
  Schema schema;
  std::vector<Batch> batches;
};

const Data& Input() {
  static const Data data = [] {
    Data d;
    d.schema.Add(Field{"a", TypeId::kBigInt, true, ""});
    d.schema.Add(Field{"b", TypeId::kBigInt, true, ""});
    d.schema.Add(Field{"c", TypeId::kBigInt, true, ""});
    uint64_t state = 42;
    for (size_t start = 0; start < kRows; start += kBatchSize) {
      const size_t n = std::min(kBatchSize, kRows - start);
      std::vector<ColumnPtr> cols;
      for (int c = 0; c < 3; c++) {
        auto col = Column::Make(TypeId::kBigInt, n);
        for (size_t i = 0; i < n; i++) {
          state = state * 6364136223846793005ULL + 1442695040888963407ULL;
          col->data<int64_t>()[i] = static_cast<int64_t>((state >> 33) % 1000000);
        }
        col->set_size(n);
        cols.push_back(col);
      }
      d.batches.emplace_back(std::move(cols), n);
    }
    return d;
  }();
  return data;
}

void BM_FilterGreaterThanConstant(benchmark::State& state) {
  RegisterBuiltinFunctions();
  const Data& d = Input();
  ExprPtr pred = BindExpression(Call(">", {Col("a"), Lit(Value::BigInt(900000))}), d.schema);
  std::vector<uint32_t> sel(kBatchSize);
  for (auto _ : state) {
    size_t total = 0;
    for (const Batch& b : d.batches) total += EvaluateFilter(*pred, b, sel.data());
    benchmark::DoNotOptimize(total);
  }
  state.SetItemsProcessed(state.iterations() * kRows);
}
BENCHMARK(BM_FilterGreaterThanConstant);

void BM_FilterPlainLoop(benchmark::State& state) {
  const Data& d = Input();
  std::vector<uint32_t> sel(kBatchSize);
  for (auto _ : state) {
    size_t total = 0;
    for (const Batch& b : d.batches) {
      const int64_t* a = b.column(0)->data<int64_t>();
      size_t k = 0;
      for (size_t i = 0; i < b.num_rows(); i++) {
        sel[k] = static_cast<uint32_t>(i);
        k += a[i] > 900000;
      }
      total += k;
    }
    benchmark::DoNotOptimize(total);
  }
  state.SetItemsProcessed(state.iterations() * kRows);
}
BENCHMARK(BM_FilterPlainLoop);

void BM_MultiplyAdd(benchmark::State& state) {
  RegisterBuiltinFunctions();
  const Data& d = Input();
  ExprPtr e = BindExpression(Call("+", {Call("*", {Col("a"), Col("b")}), Col("c")}), d.schema);
  for (auto _ : state) {
    for (const Batch& b : d.batches) benchmark::DoNotOptimize(Evaluate(*e, b));
  }
  state.SetItemsProcessed(state.iterations() * kRows);
}
BENCHMARK(BM_MultiplyAdd);

void BM_MultiplyAddPlainLoop(benchmark::State& state) {
  const Data& d = Input();
  std::vector<int64_t> out(kBatchSize);
  for (auto _ : state) {
    for (const Batch& b : d.batches) {
      const int64_t* a = b.column(0)->data<int64_t>();
      const int64_t* x = b.column(1)->data<int64_t>();
      const int64_t* c = b.column(2)->data<int64_t>();
      for (size_t i = 0; i < b.num_rows(); i++) out[i] = a[i] * x[i] + c[i];
      benchmark::DoNotOptimize(out.data());
    }
  }
  state.SetItemsProcessed(state.iterations() * kRows);
}
BENCHMARK(BM_MultiplyAddPlainLoop);

}  // namespace
}  // namespace sluice

BENCHMARK_MAIN();
