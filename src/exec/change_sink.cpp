#include "exec/change_sink.h"

#include <numeric>

#include "exec/exec_context.h"

namespace sluice {

namespace {

bool FlagAt(const Column& c, size_t row) {
  if (c.IsNull(row)) return false;
  if (c.is_constant()) return c.GetValue(0).GetBool();
  return c.data<uint8_t>()[row] != 0;
}

// Drains one partition of the child into a sink on the first Next, then yields the number
// of rows hit.
class ChangeSinkStream : public BatchStream {
 public:
  ChangeSinkStream(std::unique_ptr<BatchStream> input, std::unique_ptr<DataSink> sink,
                   MemoryReservation reservation, size_t width)
      : input_(std::move(input)),
        sink_(std::move(sink)),
        reservation_(std::move(reservation)),
        width_(width) {
    columns_.resize(width);
    std::iota(columns_.begin(), columns_.end(), 0);
  }

  bool Next(Batch* out) override {
    if (done_) return false;
    done_ = true;
    int64_t hits = 0;
    Batch b;
    std::vector<uint32_t> kept;
    while (input_->Next(&b)) {
      const Column& keep = *b.column(width_);
      const Column& hit = *b.column(width_ + 1);
      kept.clear();
      for (size_t r = 0; r < b.num_rows(); r++) {
        if (FlagAt(hit, r)) hits++;
        if (FlagAt(keep, r)) kept.push_back(static_cast<uint32_t>(r));
      }
      if (kept.empty()) continue;
      Batch rows = b.Project(columns_);
      sink_->Write(kept.size() == b.num_rows() ? rows : rows.Gather(kept.data(), kept.size()));
    }
    sink_->Close();
    sink_.reset();
    reservation_.Resize(0);
    *out = WriteCountBatch(hits);
    return true;
  }

 private:
  std::unique_ptr<BatchStream> input_;
  std::unique_ptr<DataSink> sink_;
  MemoryReservation reservation_;
  size_t width_;  // the target's columns; #keep and #hit follow
  std::vector<int> columns_;
  bool done_ = false;
};

}  // namespace

std::unique_ptr<BatchStream> ChangeSink::Execute(int partition, ExecContext& ctx) const {
  MemoryReservation reservation(&ctx.memory(), "write sink");
  reservation.TryResize(kSinkReservation);  // as WriteSink: reserved when there is room
  auto sink = Writer(ctx).OpenSink(partition);
  return std::make_unique<ChangeSinkStream>(ctx.Execute(child(), partition), std::move(sink),
                                            std::move(reservation),
                                            child().schema().size() - 2);
}

}  // namespace sluice
