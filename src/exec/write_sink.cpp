#include "exec/write_sink.h"

#include "exec/exec_context.h"

namespace sluice {

namespace {

// Drains one partition of the child into a sink on the first Next, then yields its count.
class WriteSinkStream : public BatchStream {
 public:
  // `input` is opened through ExecContext::Execute, which stops a cancelled query.
  WriteSinkStream(std::unique_ptr<BatchStream> input, std::unique_ptr<DataSink> sink,
                  MemoryReservation reservation)
      : input_(std::move(input)), sink_(std::move(sink)), reservation_(std::move(reservation)) {}

  bool Next(Batch* out) override {
    if (done_) return false;
    done_ = true;
    int64_t rows = 0;
    Batch b;
    while (input_->Next(&b)) {
      sink_->Write(b);
      rows += static_cast<int64_t>(b.num_rows());
    }
    sink_->Close();
    sink_.reset();
    reservation_.Resize(0);
    *out = WriteCountBatch(rows);
    return true;
  }

 private:
  std::unique_ptr<BatchStream> input_;
  std::unique_ptr<DataSink> sink_;
  MemoryReservation reservation_;
  bool done_ = false;
};

}  // namespace

Batch WriteCountBatch(int64_t rows) {
  auto count = Column::Make(LogicalType(TypeId::kBigInt), 1);
  count->SetValue(0, Value::BigInt(rows));
  count->set_size(1);
  return Batch(std::vector<ColumnPtr>{count}, 1);
}

Schema WriteCountSchema() {
  return Schema({Field{"count", LogicalType(TypeId::kBigInt), false, ""}});
}

namespace {

struct WriterState : SharedState {
  std::unique_ptr<DataWriter> writer;
};

}  // namespace

WriteSink::WriteSink(PhysicalOperatorPtr child, std::shared_ptr<const DataTarget> target)
    : PhysicalOperator(WriteCountSchema(), std::move(child)), target_(std::move(target)) {}

DataWriter& WriteSink::Writer(ExecContext& ctx, bool joined) const {
  auto& state = ctx.GetSharedState<WriterState>(id(), [&] {
    auto s = std::make_unique<WriterState>();
    s->writer = joined ? target_->BeginJoined() : target_->Begin();
    return s;
  });
  return *state.writer;
}

void WriteSink::BeginWrite(ExecContext& ctx, bool joined) const { Writer(ctx, joined); }

std::unique_ptr<BatchStream> WriteSink::Execute(int partition, ExecContext& ctx) const {
  MemoryReservation reservation(&ctx.memory(), "write sink");
  // What the open files buffer is small against what the budget is for (operators that can
  // spill), and a write cannot spill it: reserved when the budget allows, never refused.
  reservation.TryResize(kSinkReservation);
  auto sink = Writer(ctx).OpenSink(partition);
  return std::make_unique<WriteSinkStream>(ctx.Execute(child(), partition), std::move(sink),
                                           std::move(reservation));
}

void WriteSink::Finalize(ExecContext& ctx) const { Writer(ctx).Commit(); }

}  // namespace sluice
