#include "exec/exec_context.h"

#include <chrono>

namespace sluice {

namespace {

// Wraps an operator's stream to count its output and time.
class MeteredStream : public BatchStream {
 public:
  MeteredStream(std::unique_ptr<BatchStream> inner, OperatorMetrics* metrics,
                const ExecContext* ctx)
      : inner_(std::move(inner)), metrics_(metrics), ctx_(ctx) {}

  bool Next(Batch* out) override {
    if (ctx_->cancelled()) throw InterruptError();
    const auto start = std::chrono::steady_clock::now();
    const bool more = inner_->Next(out);
    metrics_->nanos.fetch_add(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() -
                                                             start)
            .count(),
        std::memory_order_relaxed);
    if (more) {
      metrics_->rows_out.fetch_add(static_cast<int64_t>(out->num_rows()), std::memory_order_relaxed);
      metrics_->batches_out.fetch_add(1, std::memory_order_relaxed);
    }
    return more;
  }

 private:
  std::unique_ptr<BatchStream> inner_;
  OperatorMetrics* metrics_;
  const ExecContext* ctx_;
};

}  // namespace

OperatorMetrics& ExecContext::metrics(int operator_id) {
  std::lock_guard lock(mutex_);
  auto& slot = metrics_[operator_id];
  if (!slot) slot = std::make_unique<OperatorMetrics>();
  return *slot;
}

std::unique_ptr<BatchStream> ExecContext::Execute(const PhysicalOperator& op, int partition) {
  SLUICE_CHECK(partition >= 0 && partition < op.num_partitions(),
               "{}: partition {} of {}", op.name(), partition, op.num_partitions());
  return std::make_unique<MeteredStream>(op.Execute(partition, *this), &metrics(op.id()), this);
}

}  // namespace sluice
