#include "exec/input_progress.h"

namespace sluice {
namespace {

class ReportingStream : public BatchStream {
 public:
  ReportingStream(std::unique_ptr<BatchStream> in, ProgressListener* listener)
      : in_(std::move(in)), listener_(listener) {}
  bool Next(Batch* out) override {
    if (!in_->Next(out)) return false;
    listener_->InputRead(static_cast<int64_t>(out->num_rows()));
    return true;
  }

 private:
  std::unique_ptr<BatchStream> in_;
  ProgressListener* listener_;
};

}  // namespace

std::unique_ptr<BatchStream> ReportInputRows(std::unique_ptr<BatchStream> in, ExecContext& ctx) {
  if (ctx.progress() == nullptr) return in;
  return std::make_unique<ReportingStream>(std::move(in), ctx.progress());
}

int64_t ExpectedStageInputRows(const PhysicalOperator& root, ExecContext& ctx) {
  const int64_t own = root.ExpectedInputRows(ctx);
  if (own >= 0 || root.is_exchange()) return own;
  if (root.children().empty()) return -1;
  int64_t total = 0;
  for (const auto& child : root.children()) {
    const int64_t rows = ExpectedStageInputRows(*child, ctx);
    if (rows < 0) return -1;
    total += rows;
  }
  return total;
}

}  // namespace sluice
