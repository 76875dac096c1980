#pragma once

#include <memory>
#include <vector>

#include "vector/batch.h"

namespace sluice {

// A pull-based stream of batches (one partition of an operator, one split of a file).
// Contract: Next() fills `out` with a non-empty batch and returns true, or returns false
// once the stream is exhausted (and on every later call). Called by one thread at a time.
// May throw a UserError (bad data, overflow, out of memory); the task then fails.
class BatchStream {
 public:
  virtual ~BatchStream() = default;
  virtual bool Next(Batch* out) = 0;
};

// A stream over batches already in memory (tests, exchange readers, cached results).
class VectorStream : public BatchStream {
 public:
  explicit VectorStream(std::vector<Batch> batches) : batches_(std::move(batches)) {}
  bool Next(Batch* out) override {
    while (next_ < batches_.size()) {
      Batch& b = batches_[next_++];
      if (b.num_rows() == 0) continue;
      *out = std::move(b);
      return true;
    }
    return false;
  }

 private:
  std::vector<Batch> batches_;
  size_t next_ = 0;
};

// An empty stream.
class EmptyStream : public BatchStream {
 public:
  bool Next(Batch*) override { return false; }
};

}  // namespace sluice
