#include "catalog/bucketed_source.h"

#include <fmt/format.h>

#include "catalog/bucketing.h"
#include "common/error.h"

namespace sluice {

namespace {

// Reads the splits of one bucket's source one after another, opening each when the
// previous one is exhausted.
class BucketStream : public BatchStream {
 public:
  BucketStream(std::shared_ptr<const DataSource> source, std::vector<int> columns)
      : source_(std::move(source)), columns_(std::move(columns)) {}

  bool Next(Batch* out) override {
    while (true) {
      if (current_ == nullptr) {
        if (next_split_ >= source_->num_splits()) return false;
        current_ = source_->Open(next_split_++, columns_);
      }
      if (current_->Next(out)) return true;
      current_.reset();
    }
  }

 private:
  std::shared_ptr<const DataSource> source_;
  std::vector<int> columns_;
  int next_split_ = 0;
  std::unique_ptr<BatchStream> current_;
};

}  // namespace

BucketedSource::BucketedSource(std::string name, Schema schema, BucketSpec spec,
                               std::vector<std::shared_ptr<const DataSource>> buckets,
                               PartitionHash hash)
    : name_(std::move(name)),
      schema_(std::move(schema)),
      spec_(std::move(spec)),
      columns_(BucketColumnIndices(schema_, spec_)),
      buckets_(std::move(buckets)),
      hash_(hash) {
  SLUICE_CHECK(static_cast<int>(buckets_.size()) == spec_.num_buckets,
               "table {}: {} bucket sources for {} buckets", name_, buckets_.size(),
               spec_.num_buckets);
}

std::unique_ptr<BatchStream> BucketedSource::Open(int split,
                                                  const std::vector<int>& columns) const {
  return std::make_unique<BucketStream>(buckets_.at(static_cast<size_t>(split)), columns);
}

std::string BucketedSource::Describe() const {
  const int64_t rows = EstimatedRows().value_or(0);
  std::string layout = DescribeBuckets(spec_, hash_);
  if (skipped_buckets_ > 0) {
    layout +=
        fmt::format(", {} bucket{} skipped", skipped_buckets_, skipped_buckets_ == 1 ? "" : "s");
  }
  if (name_.empty()) return fmt::format("memory table ({} rows, {})", rows, layout);
  return fmt::format("table {} ({} rows, {})", name_, rows, layout);
}

int64_t BucketedSource::EstimatedBytes() const {
  int64_t bytes = 0;
  for (const auto& b : buckets_) bytes += b->EstimatedBytes();
  return bytes;
}

std::optional<int64_t> BucketedSource::EstimatedRows() const {
  int64_t rows = 0;
  for (const auto& b : buckets_) rows += b->EstimatedRows().value_or(0);
  return rows;
}

std::shared_ptr<const DataSource> BucketedSource::WithFilters(
    const std::vector<ExprPtr>& conjuncts) const {
  std::vector<std::shared_ptr<const DataSource>> pruned;
  bool any = false;
  int skipped = skipped_buckets_;
  for (const auto& b : buckets_) {
    auto filtered = b->WithFilters(conjuncts);
    any |= filtered != nullptr;
    // A bucket left with no bytes to read was skipped whole (its split reads nothing).
    skipped += filtered != nullptr && filtered->EstimatedBytes() == 0 && b->EstimatedBytes() > 0;
    pruned.push_back(filtered != nullptr ? std::move(filtered) : b);
  }
  if (!any) return nullptr;
  auto out = std::make_shared<BucketedSource>(name_, schema_, spec_, std::move(pruned), hash_);
  out->skipped_buckets_ = skipped;
  return out;
}

}  // namespace sluice
