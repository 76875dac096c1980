#include "exec/limit_union.h"

#include <algorithm>

#include <fmt/format.h>

#include "exec/exec_context.h"

namespace sluice {

namespace {

class LimitStream : public BatchStream {
 public:
  LimitStream(std::unique_ptr<BatchStream> input, int64_t limit, int64_t offset)
      : input_(std::move(input)), remaining_(limit), to_skip_(offset) {}

  bool Next(Batch* out) override {
    Batch batch;
    while (remaining_ != 0 && input_->Next(&batch)) {
      int64_t rows = static_cast<int64_t>(batch.num_rows());
      int64_t start = 0;
      if (to_skip_ > 0) {
        start = std::min(to_skip_, rows);
        to_skip_ -= start;
        if (start == rows) continue;
      }
      int64_t take = rows - start;
      if (remaining_ >= 0) {
        take = std::min(take, remaining_);
        remaining_ -= take;
      }
      *out = batch.Slice(static_cast<size_t>(start), static_cast<size_t>(take));
      return true;
    }
    return false;
  }

 private:
  std::unique_ptr<BatchStream> input_;
  int64_t remaining_;  // -1: unlimited
  int64_t to_skip_;
};

// Reads several partitions of one operator one after another.
class ConcatStream : public BatchStream {
 public:
  ConcatStream(ExecContext* ctx, const PhysicalOperator* op, int first, int last)
      : ctx_(ctx), op_(op), next_(first), last_(last) {}

  bool Next(Batch* out) override {
    for (;;) {
      if (!current_) {
        if (next_ >= last_) return false;
        current_ = ctx_->Execute(*op_, next_++);
      }
      if (current_->Next(out)) return true;
      current_.reset();
    }
  }

 private:
  ExecContext* ctx_;
  const PhysicalOperator* op_;
  int next_;
  int last_;
  std::unique_ptr<BatchStream> current_;
};

}  // namespace

std::string Limit::details() const {
  if (offset_ == 0) return fmt::format("limit={}", limit_);
  return fmt::format("limit={} offset={}", limit_, offset_);
}

std::unique_ptr<BatchStream> Limit::Execute(int partition, ExecContext& ctx) const {
  if (limit_ == 0) return std::make_unique<EmptyStream>();
  return std::make_unique<LimitStream>(ctx.Execute(child(), partition), limit_, offset_);
}

Partitioning UnionAll::output_partitioning() const {
  int n = 0;
  for (const auto& c : children()) n += c->num_partitions();
  return Partitioning::Unknown(n);
}

std::unique_ptr<BatchStream> UnionAll::Execute(int partition, ExecContext& ctx) const {
  for (const auto& c : children()) {
    const int n = c->num_partitions();
    if (partition < n) return ctx.Execute(*c, partition);
    partition -= n;
  }
  SLUICE_CHECK(false, "union partition out of range");
  return nullptr;
}

std::string CoalescePartitions::details() const { return fmt::format("partitions={}", n_); }

Partitioning CoalescePartitions::output_partitioning() const {
  const int in = child().num_partitions();
  if (n_ >= in) return child().output_partitioning();
  return n_ == 1 ? Partitioning::Single() : Partitioning::Unknown(n_);
}

std::unique_ptr<BatchStream> CoalescePartitions::Execute(int partition, ExecContext& ctx) const {
  const int in = child().num_partitions();
  const int out = num_partitions();
  // Output partition p reads the input range [p*in/out, (p+1)*in/out): adjacent and even.
  const int first = static_cast<int>(static_cast<int64_t>(partition) * in / out);
  const int last = static_cast<int>(static_cast<int64_t>(partition + 1) * in / out);
  return std::make_unique<ConcatStream>(&ctx, &child(), first, last);
}

}  // namespace sluice
