#include "exec/map_batches.h"

#include <algorithm>
#include <deque>

#include "exec/exec_context.h"

namespace sluice {

namespace {

// One task of MapBatches: maps an input batch, then hands out what it became.
class MapBatchesStream : public BatchStream {
 public:
  MapBatchesStream(std::unique_ptr<BatchStream> input, const BatchMapper* mapper, int partition)
      : input_(std::move(input)), mapper_(mapper), partition_(partition) {}

  bool Next(Batch* out) override {
    while (pending_.empty()) {
      Batch in;
      if (!input_->Next(&in)) return false;
      if (in.num_rows() == 0) continue;
      for (Batch& b : mapper_->map(in, partition_)) {
        const size_t rows = b.num_rows();
        if (rows <= kBatchSize) {
          if (rows > 0) pending_.push_back(std::move(b));
          continue;
        }
        for (size_t offset = 0; offset < rows; offset += kBatchSize) {
          pending_.push_back(b.Slice(offset, std::min(kBatchSize, rows - offset)));
        }
      }
    }
    *out = std::move(pending_.front());
    pending_.pop_front();
    return true;
  }

 private:
  std::unique_ptr<BatchStream> input_;
  const BatchMapper* mapper_;
  int partition_;
  std::deque<Batch> pending_;
};

}  // namespace

MapBatches::MapBatches(PhysicalOperatorPtr child, std::shared_ptr<const BatchMapper> mapper,
                       Schema schema)
    : PhysicalOperator(std::move(schema), std::move(child)), mapper_(std::move(mapper)) {}

std::unique_ptr<BatchStream> MapBatches::Execute(int partition, ExecContext& ctx) const {
  return std::make_unique<MapBatchesStream>(ctx.Execute(child(), partition), mapper_.get(),
                                            partition);
}

}  // namespace sluice
