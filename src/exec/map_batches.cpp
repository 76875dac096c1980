#include "exec/map_batches.h"

#include <algorithm>
#include <deque>

#include "exec/exec_context.h"

namespace sluice {

namespace {

// The per-batch shape of a task: maps an input batch, then hands out what it became (of
// any sizes, empty ones included).
class PerBatchStream : public BatchStream {
 public:
  PerBatchStream(std::unique_ptr<BatchStream> input, const BatchMapper* mapper, int partition)
      : input_(std::move(input)), mapper_(mapper), partition_(partition) {}

  bool Next(Batch* out) override {
    while (pending_.empty()) {
      Batch in;
      if (!input_->Next(&in)) return false;
      if (in.num_rows() == 0) continue;
      for (Batch& b : mapper_->map(in, partition_)) pending_.push_back(std::move(b));
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

// A mapper's output as the operator's: batches of 1 to kBatchSize rows (a mapper returns
// batches of any size).
class ResliceStream : public BatchStream {
 public:
  explicit ResliceStream(std::unique_ptr<BatchStream> input) : input_(std::move(input)) {}

  bool Next(Batch* out) override {
    while (offset_ >= current_.num_rows()) {
      if (!input_->Next(&current_)) return false;
      offset_ = 0;
    }
    const size_t rows = current_.num_rows();
    if (offset_ == 0 && rows <= kBatchSize) {
      *out = std::move(current_);
      current_ = Batch();
      return true;
    }
    const size_t take = std::min(kBatchSize, rows - offset_);
    *out = current_.Slice(offset_, take);
    offset_ += take;
    return true;
  }

 private:
  std::unique_ptr<BatchStream> input_;
  Batch current_;
  size_t offset_ = 0;
};

}  // namespace

MapBatches::MapBatches(PhysicalOperatorPtr child, std::shared_ptr<const BatchMapper> mapper,
                       Schema schema)
    : PhysicalOperator(std::move(schema), std::move(child)), mapper_(std::move(mapper)) {}

std::unique_ptr<BatchStream> MapBatches::Execute(int partition, ExecContext& ctx) const {
  std::unique_ptr<BatchStream> input = ctx.Execute(child(), partition);
  if (mapper_->map_partition) {
    return std::make_unique<ResliceStream>(mapper_->map_partition(std::move(input), partition));
  }
  return std::make_unique<ResliceStream>(
      std::make_unique<PerBatchStream>(std::move(input), mapper_.get(), partition));
}

}  // namespace sluice
