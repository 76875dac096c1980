#include "catalog/constraint_target.h"

#include <fmt/format.h>

#include <mutex>
#include <optional>
#include <unordered_set>

#include "expr/evaluator.h"

namespace sluice {

class ConstraintTarget::KeySet {
 public:
  explicit KeySet(size_t keys) : existing_(keys), written_(keys) {}

  // Where the key was seen before: 0 nowhere (it is now added), 1 in an existing row, 2 in a
  // row written earlier by this write.
  int Add(size_t key, const std::string& encoded) {
    std::lock_guard lock(mutex_);
    if (existing_[key].count(encoded)) return 1;
    return written_[key].insert(encoded).second ? 0 : 2;
  }
  void AddExisting(size_t key, std::string encoded) {
    existing_[key].insert(std::move(encoded));
  }

 private:
  std::mutex mutex_;
  std::vector<std::unordered_set<std::string>> existing_;
  std::vector<std::unordered_set<std::string>> written_;
};

namespace {

// The key of row `r` of `columns` (nullopt when a column is NULL: such rows never clash), and
// its text for messages: "v1, v2" and "c1: v1, c2: v2".
struct EncodedKey {
  std::string encoded;
  std::string values;
  std::string named;
};

std::optional<EncodedKey> KeyOf(const Batch& batch, const std::vector<int>& columns,
                                const std::vector<std::string>& names, size_t r) {
  EncodedKey key;
  for (size_t k = 0; k < columns.size(); k++) {
    const Value v = batch.column(static_cast<size_t>(columns[k]))->GetValue(r);
    if (v.is_null()) return std::nullopt;
    const std::string text = v.ToString();
    key.encoded += text;
    key.encoded += '\x1f';
    if (k > 0) {
      key.values += ", ";
      key.named += ", ";
    }
    key.values += text;
    key.named += names[k] + ": " + text;
  }
  return key;
}

// Checks each batch, then hands it to the table's own sink.
class CheckedSink : public DataSink {
 public:
  CheckedSink(const ConstraintTarget& target, ConstraintTarget::KeySet* keys,
              std::unique_ptr<DataSink> inner)
      : target_(target), keys_(keys), inner_(std::move(inner)) {}
  void Write(const Batch& batch) override {
    target_.CheckRows(batch);
    if (keys_ != nullptr) target_.CheckKeys(batch, *keys_);
    inner_->Write(batch);
  }
  void Close() override { inner_->Close(); }
  int64_t buffered_bytes() const override { return inner_->buffered_bytes(); }
  void Flush() override { inner_->Flush(); }

 private:
  const ConstraintTarget& target_;
  ConstraintTarget::KeySet* keys_;  // null: keys are not checked
  std::unique_ptr<DataSink> inner_;
};

// The table's writer with checked sinks. The target outlives the writer (the plan holds it).
class CheckedWriter : public DataWriter {
 public:
  CheckedWriter(const ConstraintTarget& target, std::unique_ptr<ConstraintTarget::KeySet> keys,
                std::unique_ptr<DataWriter> inner)
      : target_(target), keys_(std::move(keys)), inner_(std::move(inner)) {}
  std::unique_ptr<DataSink> OpenSink(int index) override {
    return std::make_unique<CheckedSink>(target_, keys_.get(), inner_->OpenSink(index));
  }
  void Commit() override { inner_->Commit(); }
  int64_t rows_written() const override { return inner_->rows_written(); }
  std::string ExportSinks() override { return inner_->ExportSinks(); }
  void ImportSinks(const std::string& exported) override { inner_->ImportSinks(exported); }

 private:
  const ConstraintTarget& target_;
  std::unique_ptr<ConstraintTarget::KeySet> keys_;
  std::unique_ptr<DataWriter> inner_;
};

}  // namespace

ConstraintTarget::ConstraintTarget(std::shared_ptr<const DataTarget> inner, std::string table,
                                   Schema schema, std::vector<Check> checks, std::vector<Key> keys,
                                   std::shared_ptr<const DataSource> existing, bool rewrite)
    : inner_(std::move(inner)),
      table_(std::move(table)),
      schema_(std::move(schema)),
      checks_(std::move(checks)),
      keys_(std::move(keys)),
      existing_(std::move(existing)),
      rewrite_(rewrite) {}

std::unique_ptr<DataWriter> ConstraintTarget::Begin() const {
  std::unique_ptr<KeySet> keys;
  if (!keys_.empty()) {
    keys = std::make_unique<KeySet>(keys_.size());
    // The table's keys now: a full read of the key columns (there is no index yet).
    for (size_t k = 0; existing_ != nullptr && k < keys_.size(); k++) {
      std::vector<int> positions(keys_[k].columns.size());
      std::vector<std::string> names(positions.size());
      for (size_t c = 0; c < positions.size(); c++) positions[c] = static_cast<int>(c);
      for (int split = 0; split < existing_->num_splits(); split++) {
        auto stream = existing_->Open(split, keys_[k].columns);
        Batch b;
        while (stream->Next(&b)) {
          for (size_t r = 0; r < b.num_rows(); r++) {
            if (auto key = KeyOf(b, positions, names, r)) keys->AddExisting(k, key->encoded);
          }
        }
      }
    }
  }
  return std::make_unique<CheckedWriter>(*this, std::move(keys), inner_->Begin());
}

std::unique_ptr<DataWriter> ConstraintTarget::BeginJoined() const {
  SLUICE_CHECK(keys_.empty(), "a write checking keys joined by another process");
  return std::make_unique<CheckedWriter>(*this, nullptr, inner_->BeginJoined());
}

void ConstraintTarget::CheckRows(const Batch& batch) const {
  if (batch.num_rows() == 0) return;
  for (size_t i = 0; i < schema_.size() && i < batch.num_columns(); i++) {
    if (schema_.field(i).nullable) continue;
    const Column& column = *batch.column(i);
    for (size_t r = 0; r < batch.num_rows(); r++) {
      if (column.IsNull(r)) {
        throw ConstraintError(
            fmt::format("NOT NULL constraint failed: {}.{}", table_, schema_.field(i).name));
      }
    }
  }
  std::vector<uint32_t> selected(batch.num_rows());
  for (const auto& check : checks_) {
    // A row fails when its CHECK is FALSE; NULL passes, as in SQL.
    if (EvaluateFilter(*check.violated, batch, selected.data()) > 0) {
      throw ConstraintError(fmt::format("CHECK constraint failed on table {} with expression CHECK({})",
                                        table_, check.sql));
    }
  }
}

void ConstraintTarget::CheckKeys(const Batch& batch, KeySet& seen) const {
  for (size_t k = 0; k < keys_.size(); k++) {
    std::vector<std::string> names;
    for (const int c : keys_[k].columns) names.push_back(schema_.field(static_cast<size_t>(c)).name);
    for (size_t r = 0; r < batch.num_rows(); r++) {
      const auto key = KeyOf(batch, keys_[k].columns, names, r);
      if (!key) continue;
      const int where = seen.Add(k, key->encoded);
      if (where == 1 || (where == 2 && rewrite_)) {
        throw ConstraintError(fmt::format("Duplicate key \"{}\" violates {} constraint.", key->named,
                                          keys_[k].primary ? "primary key" : "unique"));
      }
      if (where == 2) {
        throw ConstraintError(fmt::format(
            "PRIMARY KEY or UNIQUE constraint violation: duplicate key \"{}\"", key->values));
      }
    }
  }
}

}  // namespace sluice
