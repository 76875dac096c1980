#include "exec/salt.h"

#include <fmt/format.h>

#include "common/error.h"
#include "common/hash.h"
#include "exec/exec_context.h"

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

}  // namespace

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
