#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "common/memory.h"
#include "exec/exec_context.h"
#include "exec/hash_table.h"
#include "vector/batch_stream.h"
#include "vector/schema.h"

namespace sluice {

// The build side of a hash join: all build rows concatenated into flat columns (in input
// order, or in key order for dense unique integer keys), a KeyHashTable over their distinct
// non-NULL keys, and for each key the build rows that carry it (in input order, as one
// contiguous run of a row list sorted by key).
//
// Built once (Build), then immutable: a broadcast join shares one among all probe tasks
// (a SharedState), so Probe is const and thread-safe with a caller-owned Scratch.
class JoinBuildTable : public SharedState {
 public:
  JoinBuildTable(const Schema& build_schema, std::vector<int> keys, MemoryManager* memory);

  // Drains `input` and builds the table. Rows with a NULL key are kept (an outer join emits
  // them) but never match.
  void Build(BatchStream* input);

  size_t num_rows() const { return num_rows_; }
  // Bytes the built table holds (columns, row lists, hash table), whether or not they are
  // reserved on a MemoryManager.
  int64_t memory_bytes() const {
    return reservation_.bytes() + static_cast<int64_t>(table_->MemoryBytes());
  }
  const std::vector<ColumnPtr>& columns() const { return columns_; }

  // groups[i] = the key group of row i < n of `probe_keys` (same types as the build keys),
  // or KeyHashTable::kNoGroup when no build row matches (always for NULL keys).
  // `scratch` holds the work buffers of one probing task.
  struct ProbeScratch {
    KeyHashTable::Scratch table;
    std::vector<uint32_t> sel;
    std::vector<uint32_t> dense_groups;
    std::vector<uint64_t> hashes;
  };
  void Probe(const std::vector<ColumnPtr>& probe_keys, size_t n, uint32_t* groups,
             ProbeScratch* scratch) const;

  // The build rows of `group`: rows()[offsets()[group] .. offsets()[group + 1]).
  const uint32_t* rows() const { return rows_.data(); }
  const uint32_t* offsets() const { return offsets_.data(); }
  // True when every key has exactly one build row: then rows()[group] is that row.
  bool unique_keys() const { return rows_.size() == offsets_.size() - 1; }
  // With unique integer keys in a dense range, rows[i] = the build row of probe row i (or
  // KeyHashTable::kNoGroup) straight from the key: one array lookup per probe row.
  bool CanProbeRows() const { return rows_are_keys_ || direct_is_rows_ || !direct_rows_.empty(); }
  void ProbeRows(const std::vector<ColumnPtr>& probe_keys, size_t n, uint32_t* rows) const;
  // True when probes of the hash table first test a bitmap of the build keys (see key_bits_).
  bool has_key_filter() const { return !key_bits_.empty(); }

 private:
  std::vector<LogicalType> types_;
  std::vector<int> keys_;
  std::vector<ColumnPtr> columns_;
  size_t num_rows_ = 0;
  std::unique_ptr<KeyHashTable> table_;
  std::vector<uint32_t> rows_;
  std::vector<uint32_t> offsets_;
  // Groups of the hashed path: distinct non-NULL keys in a KeyHashTable, in row order.
  void AssignHashedGroups(std::vector<uint32_t>& row_group);
  // Perfect hashing: for one integer key whose values fill a dense range (at most about 4
  // slots per row), direct_[key - direct_min_] is the key's group (kNoGroup for gaps),
  // filled straight from the rows with no hash table; probes then skip hashing and key
  // comparison. Returns false, setting nothing, when the keys do not qualify.
  bool AssignDirectGroups(std::vector<uint32_t>& row_group);
  template <typename T>
  bool AssignDirect(const Column& keys, std::vector<uint32_t>& row_group);
  void ComposeDirectRows();
  // Dense unique keys (a dimension's key 1..n, unfiltered): the rows are reordered by key,
  // so that a key's row is its offset from the smallest key and ProbeRows needs no lookup
  // (TPC-H's part, supplier, customer and nation by key). Build rows are then in key order.
  void OrderRowsByKey();
  bool rows_are_keys_ = false;
  size_t num_direct_groups_ = 0;
  std::vector<uint32_t> direct_;
  std::vector<uint32_t> direct_rows_;  // direct_ composed with rows_, when keys are unique
  bool direct_is_rows_ = false;        // direct_ itself maps keys to rows (direct_rows_ empty)
  const std::vector<uint32_t>& direct_rows() const {
    return direct_is_rows_ ? direct_ : direct_rows_;
  }
  int64_t direct_min_ = 0;
  // Key filter of the hashed path: for one integer key whose range is too sparse for
  // direct_ but at most kMaxKeyBits wide, bit (key - bits_min_) is set for each build key.
  // A probe hashes and looks up only the rows whose bit is set: a selective build side
  // (TPC-H q8's 1,344 parts of 200,000) turns most probes into one bit test.
  static constexpr uint64_t kMaxKeyBits = uint64_t{1} << 23;
  template <typename T>
  void SetKeyBits(const Column& keys, int64_t lo, uint64_t range);
  template <typename T>
  size_t SelectKeyBits(const Column& keys, size_t n, uint32_t* sel) const;
  size_t SelectProbeRows(const std::vector<ColumnPtr>& probe_keys, size_t n, uint32_t* sel) const;
  std::vector<uint64_t> key_bits_;
  int64_t bits_min_ = 0;
  MemoryReservation reservation_;
};

// Writes into sel the rows i < n where no column of `keys` is NULL; returns how many.
size_t SelectNonNullKeys(const std::vector<ColumnPtr>& keys, size_t n, uint32_t* sel);

// The joined rows (left_rows[i] of `left`, right_rows[i] of `right`) as one batch of the
// left columns then the right ones; `left` passes whole when left_rows is 0, 1, ..., n-1.
// REQUIRES: left_rows and right_rows of one size.
Batch GatherPairs(const Batch& left, const std::vector<std::shared_ptr<Column>>& right,
                  const std::vector<uint32_t>& left_rows, const std::vector<uint32_t>& right_rows);

// A flat column of n NULLs.
std::shared_ptr<Column> MakeNullColumn(const LogicalType& type, size_t n);

}  // namespace sluice
