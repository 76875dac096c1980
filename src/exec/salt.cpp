#include "exec/salt.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/error.h"
#include "common/hash.h"
#include "exec/exec_context.h"
#include "vector/column_hash.h"

namespace sluice {

namespace {

Schema WithSalt(const Schema& schema) {
  Schema out = schema;
  out.Add(Field{"__salt", LogicalType(TypeId::kBigInt), false, ""});
  return out;
}

class SaltColumnStream : public BatchStream {
 public:
  SaltColumnStream(std::unique_ptr<BatchStream> input, int partition, int buckets)
      : input_(std::move(input)),
        seed_(HashInt(static_cast<uint64_t>(partition))),
        buckets_(static_cast<uint64_t>(buckets)) {}

  bool Next(Batch* out) override {
    Batch batch;
    if (!input_->Next(&batch)) return false;
    const size_t n = batch.num_rows();
    auto salt = Column::Make(LogicalType(TypeId::kBigInt), n);
    int64_t* values = salt->data<int64_t>();
    for (size_t i = 0; i < n; i++) {
      values[i] = static_cast<int64_t>(HashCombine(seed_, position_++) % buckets_);
    }
    salt->set_size(n);
    std::vector<ColumnPtr> columns = batch.columns();
    columns.push_back(std::move(salt));
    *out = Batch(std::move(columns), n);
    return true;
  }

 private:
  std::unique_ptr<BatchStream> input_;
  uint64_t seed_;
  uint64_t buckets_;
  uint64_t position_ = 0;
};

class ReplicateSaltStream : public BatchStream {
 public:
  ReplicateSaltStream(std::unique_ptr<BatchStream> input, int buckets)
      : input_(std::move(input)), buckets_(buckets) {}

  bool Next(Batch* out) override {
    if (next_salt_ == buckets_ || !has_batch_) {
      if (!input_->Next(&batch_)) return false;
      has_batch_ = true;
      next_salt_ = 0;
    }
    const size_t n = batch_.num_rows();
    auto salt = Column::Make(LogicalType(TypeId::kBigInt), n);
    std::fill_n(salt->data<int64_t>(), n, static_cast<int64_t>(next_salt_++));
    salt->set_size(n);
    std::vector<ColumnPtr> columns = batch_.columns();
    columns.push_back(std::move(salt));
    *out = Batch(std::move(columns), n);
    return true;
  }

 private:
  std::unique_ptr<BatchStream> input_;
  int buckets_;
  Batch batch_;
  bool has_batch_ = false;
  int next_salt_ = 0;
};

class HotKeySaltStream : public BatchStream {
 public:
  HotKeySaltStream(std::unique_ptr<BatchStream> input, const std::vector<int>* key_columns,
                   int value_column, const std::vector<uint64_t>* hot_hashes, int salt,
                   int buckets)
      : input_(std::move(input)),
        key_columns_(key_columns),
        value_column_(value_column),
        hot_hashes_(hot_hashes),
        salt_(salt),
        buckets_(buckets) {}

  bool Next(Batch* out) override {
    Batch batch;
    while (input_->Next(&batch)) {
      const size_t n = batch.num_rows();
      keys_.resize(n);
      values_.resize(n);
      sel_.resize(n);
      for (size_t k = 0; k < key_columns_->size(); k++) {
        HashColumn(*batch.column((*key_columns_)[k]), n, keys_.data(), k > 0);
      }
      HashColumn(*batch.column(value_column_), n, values_.data(), false);
      size_t kept = 0;
      if (hot_hashes_->size() == 1) {
        const uint64_t hot = (*hot_hashes_)[0];
        for (size_t i = 0; i < n; i++) {
          const int salt = keys_[i] == hot ? ValueSalt(values_[i], buckets_) : 0;
          sel_[kept] = static_cast<uint32_t>(i);
          kept += salt == salt_ ? 1 : 0;
        }
      } else {
        for (size_t i = 0; i < n; i++) {
          const bool hot = std::find(hot_hashes_->begin(), hot_hashes_->end(), keys_[i]) !=
                           hot_hashes_->end();
          const int salt = hot ? ValueSalt(values_[i], buckets_) : 0;
          sel_[kept] = static_cast<uint32_t>(i);
          kept += salt == salt_ ? 1 : 0;
        }
      }
      if (kept == 0) continue;
      *out = kept == n ? std::move(batch) : batch.Gather(sel_.data(), kept);
      return true;
    }
    return false;
  }

 private:
  std::unique_ptr<BatchStream> input_;
  const std::vector<int>* key_columns_;
  int value_column_;
  const std::vector<uint64_t>* hot_hashes_;
  int salt_;
  int buckets_;
  std::vector<uint64_t> keys_;
  std::vector<uint64_t> values_;
  std::vector<uint32_t> sel_;
};

}  // namespace

int ValueSalt(uint64_t value_hash, int buckets) {
  // Multiply-shift rather than a division: the filter computes this for every hot row.
  const uint64_t mixed = HashMix(value_hash ^ 0x9e3779b97f4a7c15ULL);
  return static_cast<int>((static_cast<unsigned __int128>(mixed) * static_cast<uint64_t>(buckets)) >>
                          64);
}

HotKeySaltFilter::HotKeySaltFilter(PhysicalOperatorPtr child, std::vector<int> key_columns,
                                   int value_column, std::vector<uint64_t> hot_hashes,
                                   std::vector<int> task_salts, int buckets)
    : PhysicalOperator(std::move(child)),
      key_columns_(std::move(key_columns)),
      value_column_(value_column),
      hot_hashes_(std::move(hot_hashes)),
      task_salts_(std::move(task_salts)),
      buckets_(buckets) {
  SLUICE_CHECK(buckets_ >= 2, "salt buckets {}", buckets_);
  SLUICE_CHECK(static_cast<int>(task_salts_.size()) == this->child().num_partitions(),
               "{} task salts for {} partitions", task_salts_.size(),
               this->child().num_partitions());
}

std::string HotKeySaltFilter::details() const {
  return fmt::format("{} hot key{}, {} salts of {}", hot_hashes_.size(),
                     hot_hashes_.size() == 1 ? "" : "s", buckets_,
                     child().schema().field(value_column_).name);
}

std::unique_ptr<BatchStream> HotKeySaltFilter::Execute(int partition, ExecContext& ctx) const {
  auto input = ctx.Execute(child(), partition);
  const int salt = task_salts_[static_cast<size_t>(partition)];
  if (salt < 0) return input;
  return std::make_unique<HotKeySaltStream>(std::move(input), &key_columns_, value_column_,
                                            &hot_hashes_, salt, buckets_);
}

SaltColumn::SaltColumn(PhysicalOperatorPtr child, int buckets)
    // Braces: the schema is read before the child moves (list-initialization is ordered).
    : PhysicalOperator{WithSalt(child->schema()), std::move(child)}, buckets_(buckets) {
  SLUICE_CHECK(buckets_ >= 1, "salt buckets {}", buckets_);
}

std::string SaltColumn::details() const { return fmt::format("buckets={}", buckets_); }

std::unique_ptr<BatchStream> SaltColumn::Execute(int partition, ExecContext& ctx) const {
  return std::make_unique<SaltColumnStream>(ctx.Execute(child(), partition), partition, buckets_);
}

ReplicateSalt::ReplicateSalt(PhysicalOperatorPtr child, int buckets)
    // Braces: the schema is read before the child moves (list-initialization is ordered).
    : PhysicalOperator{WithSalt(child->schema()), std::move(child)}, buckets_(buckets) {
  SLUICE_CHECK(buckets_ >= 1, "salt buckets {}", buckets_);
}

std::string ReplicateSalt::details() const { return fmt::format("x{} salts", buckets_); }

std::unique_ptr<BatchStream> ReplicateSalt::Execute(int partition, ExecContext& ctx) const {
  return std::make_unique<ReplicateSaltStream>(ctx.Execute(child(), partition), buckets_);
}

}  // namespace sluice
