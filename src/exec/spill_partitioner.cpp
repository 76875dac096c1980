#include "exec/spill_partitioner.h"

namespace sluice {

namespace {

Schema SchemaOf(const std::vector<LogicalType>& types) {
  Schema schema;
  for (size_t i = 0; i < types.size(); i++) {
    Field f;
    f.name = "c" + std::to_string(i);
    f.type = types[i];
    schema.Add(f);
  }
  return schema;
}

}  // namespace

SpillPartitioner::SpillPartitioner(TempDirectory* temp, std::string tag,
                                   std::vector<LogicalType> types, int level)
    : temp_(temp), tag_(std::move(tag)), types_(std::move(types)), level_(level) {
  const Schema schema = SchemaOf(types_);
  for (int p = 0; p < kFanout; p++) builders_.emplace_back(schema);
  files_.resize(kFanout);
  selections_.resize(kFanout);
}

void SpillPartitioner::Append(const Batch& batch, const uint64_t* hashes) {
  for (auto& s : selections_) s.clear();
  for (size_t i = 0; i < batch.num_rows(); i++) {
    selections_[PartitionOf(hashes[i], level_)].push_back(static_cast<uint32_t>(i));
  }
  for (int p = 0; p < kFanout; p++) {
    const auto& sel = selections_[p];
    if (sel.empty()) continue;
    builders_[p].AppendSelected(batch, sel.data(), sel.size());
    if (builders_[p].Full()) Flush(p);
  }
}

void SpillPartitioner::Flush(int partition) {
  if (builders_[partition].num_rows() == 0) return;
  auto& file = files_[partition];
  if (file == nullptr) file = std::make_unique<SpillFile>(temp_->NewPath(tag_), types_);
  bytes_written_ += file->Write(builders_[partition].Finish());
}

std::vector<std::unique_ptr<SpillFile>> SpillPartitioner::Finish() {
  for (int p = 0; p < kFanout; p++) Flush(p);
  return std::move(files_);
}

}  // namespace sluice
