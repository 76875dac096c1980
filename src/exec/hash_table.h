#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "common/memory.h"
#include "types/logical_type.h"
#include "vector/column.h"

namespace sluice {

// Hashes rows of key columns: hashes[i] = hash of row sel[i] (row i when `sel` is null),
// combining the columns with HashCombine. NULL hashes as kNullHash; -0.0 and NaN are
// canonicalized so that equal keys hash equally. Constant columns are handled.
void HashKeyColumns(const std::vector<ColumnPtr>& keys, const uint32_t* sel, size_t n,
                    uint64_t* hashes);

// Maps tuples of key values (any types, several columns, NULLs) to dense group ids 0, 1, 2,
// ... in insertion order. Used for GROUP BY (FindOrInsert) and for join builds (distinct
// build keys become groups; probes use Find).
//
// Open addressing with linear probing; a slot holds the full 64-bit hash and a group id, so
// most mismatches are rejected without touching the keys. The slot index comes from the
// *high* bits of the hash: a hash-partitioned input has equal low bits in a partition.
// Keys are copied column-wise into buffers owned by the table (VARCHAR bytes into an arena),
// so input batches can be released. Lookups are vectorized: all rows of a batch are placed,
// then candidates are compared one key column at a time.
//
// Memory (slots, keys, strings) is reserved on the MemoryManager before the table grows;
// a refused reservation throws OutOfMemoryError, unless the caller made room with
// TryReserve first: a caller that can spill (hash aggregation) does, and spills on false.
// Not thread-safe for writes; Find with a caller-owned Scratch may run concurrently.
class KeyHashTable {
 public:
  static constexpr uint32_t kNoGroup = UINT32_MAX;

  // Per-call work buffers, so that concurrent Finds (a broadcast join) share no state.
  struct Scratch {
    std::vector<uint32_t> remaining;
    std::vector<uint64_t> position;
    std::vector<uint32_t> candidate_rows;
    std::vector<uint32_t> candidate_groups;
    std::vector<uint32_t> new_rows;
    std::vector<uint8_t> match;
    void Reserve(size_t n);
  };

  // `memory` may be null (no accounting). `expected_groups` sizes the first allocation.
  KeyHashTable(std::vector<LogicalType> key_types, MemoryManager* memory,
               size_t expected_groups = 0);
  ~KeyHashTable();
  KeyHashTable(const KeyHashTable&) = delete;
  KeyHashTable& operator=(const KeyHashTable&) = delete;

  size_t num_groups() const { return num_groups_; }
  const std::vector<LogicalType>& key_types() const { return key_types_; }

  // Makes room for `groups` groups in all, plus `string_bytes` more bytes of long VARCHAR
  // keys, reserving the memory first. Returns false, changing nothing, when the
  // MemoryManager refuses; after true, inserting up to that many groups (with at most that
  // many new key bytes) needs no more memory.
  bool TryReserve(size_t groups, size_t string_bytes = 0);

  // For each i < n, sets groups[i] to the group of row sel[i] (row i when `sel` is null) of
  // `keys`, creating a group for new keys. NULL equals NULL here (GROUP BY semantics).
  // `hashes[i]` must be HashKeyColumns of the same row.
  void FindOrInsert(const std::vector<ColumnPtr>& keys, const uint32_t* sel, size_t n,
                    const uint64_t* hashes, uint32_t* groups);
  // Like FindOrInsert but never inserts: absent keys get kNoGroup. Thread-safe against other
  // Finds. Callers that want SQL join semantics drop rows with NULL keys first.
  void Find(const std::vector<ColumnPtr>& keys, const uint32_t* sel, size_t n,
            const uint64_t* hashes, uint32_t* groups, Scratch* scratch) const;

  // A new flat column with key column `key` of groups [first, first + n).
  std::shared_ptr<Column> GetKeys(size_t key, size_t first, size_t n) const;
  uint64_t group_hash(uint32_t group) const { return group_hashes_[group]; }

  size_t MemoryBytes() const;

 private:
  // 8 bytes: the low half of the group's hash (the slot position comes from the high bits,
  // so the two are independent) and the group. A full hash match is checked by comparing
  // keys anyway; group_hashes_ keeps the whole hash for rehashing.
  struct Slot {
    uint32_t tag;
    uint32_t group;
  };
  // Group keys of one column: fixed-width values plus one NULL flag byte per group.
  struct KeyColumn {
    LogicalType type;
    int width = 0;
    uint8_t* data = nullptr;
    uint8_t* nulls = nullptr;
  };

  // Makes room for `groups` groups at the maximum load factor (doubling) and
  // `string_bytes` more key bytes. A refused reservation returns false when `may_fail`,
  // else throws OutOfMemoryError.
  bool Reserve(size_t groups, size_t string_bytes, bool may_fail);
  void Rehash(size_t slot_count);
  void AppendKeys(const std::vector<ColumnPtr>& keys, const uint32_t* sel,
                  const uint32_t* rows, size_t n);
  // Clears match[j] where row sel[rows[j]] of `keys` differs from group groups[j].
  void CompareKeys(const std::vector<ColumnPtr>& keys, const uint32_t* sel,
                   const uint32_t* rows, const uint32_t* groups, size_t n,
                   uint8_t* match) const;
  template <bool kInsert>
  void Lookup(const std::vector<ColumnPtr>& keys, const uint32_t* sel, size_t n,
              const uint64_t* hashes, uint32_t* groups, Scratch* scratch);

  std::vector<LogicalType> key_types_;
  std::vector<KeyColumn> key_columns_;
  bool has_nested_ = false;  // some key is a LIST or STRUCT, stored as its byte key
  std::vector<Slot> slots_;
  uint64_t mask_ = 0;
  int shift_ = 64;
  std::vector<uint64_t> group_hashes_;
  size_t num_groups_ = 0;
  size_t key_capacity_ = 0;
  // Owns the bytes of long VARCHAR keys; output key columns share its heap.
  std::shared_ptr<Column> string_arena_;
  MemoryReservation reservation_;
  Scratch scratch_;
};

}  // namespace sluice
