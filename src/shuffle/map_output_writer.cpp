#include "shuffle/map_output_writer.h"

#include <algorithm>

namespace sluice {

namespace {

// Rows that still fit `builder` (made with the default kBatchSize rows) before it is full:
// an append past that grows (copies) every column and leaves half the new room unused.
size_t Room(const BatchBuilder& builder) {
  return builder.num_rows() >= kBatchSize ? 0 : kBatchSize - builder.num_rows();
}

}  // namespace

MapOutputWriter::MapOutputWriter(const Schema& schema, std::unique_ptr<Partitioner> partitioner,
                                 ShuffleWriter* writer, bool track_keys)
    : partitioner_(std::move(partitioner)), writer_(writer) {
  const int n = partitioner_->num_partitions();
  if (track_keys && n > 1 && partitioner_->row_hashes() != nullptr) keys_.emplace();
  for (int i = 0; i < n; i++) builders_.emplace_back(schema);
  selections_.resize(n);
}

void MapOutputWriter::Write(const Batch& batch) {
  const int n = static_cast<int>(builders_.size());
  if (n == 1) {
    Route(0, batch);
    return;
  }
  for (auto& s : selections_) s.clear();
  partitioner_->Assign(batch, &selections_);
  if (keys_) keys_->Add(partitioner_->row_hashes()->data(), batch.num_rows());
  for (int p = 0; p < n; p++) {
    const auto& sel = selections_[p];
    // Batches of exactly kBatchSize rows (see Room).
    for (size_t done = 0; done < sel.size();) {
      const size_t take = std::min(sel.size() - done, Room(builders_[p]));
      builders_[p].AppendSelected(batch, sel.data() + done, take);
      done += take;
      if (builders_[p].Full()) writer_->Write(p, builders_[p].Finish());
    }
  }
}

void MapOutputWriter::Finish() {
  for (size_t p = 0; p < builders_.size(); p++) {
    if (builders_[p].num_rows() > 0) writer_->Write(static_cast<int>(p), builders_[p].Finish());
  }
  if (keys_) writer_->RecordKeySummary(std::move(*keys_));
}

void MapOutputWriter::Route(int p, const Batch& batch) {
  if (batch.num_rows() >= kBatchSize / 2) {
    if (builders_[p].num_rows() > 0) writer_->Write(p, builders_[p].Finish());
    writer_->Write(p, batch);
    return;
  }
  for (size_t done = 0; done < batch.num_rows();) {
    const size_t take = std::min(batch.num_rows() - done, Room(builders_[p]));
    builders_[p].Append(batch, done, take);
    done += take;
    if (builders_[p].Full()) writer_->Write(p, builders_[p].Finish());
  }
}

}  // namespace sluice
