#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "common/memory.h"

namespace sluice {

class AggregateFunction;

// The aggregate states of the groups of one hash aggregation: one row per group holding
// every aggregate's state at a fixed, aligned offset. Rows live in fixed-size chunks, so a
// state never moves once created (aggregates may keep pointers in it, and growth copies
// nothing). Chunks are reserved on the MemoryManager. Not thread-safe: one task owns it.
class AggregateStates {
 public:
  // `functions` must outlive this object. `memory` may be null (no accounting).
  AggregateStates(std::vector<const AggregateFunction*> functions, MemoryManager* memory);
  ~AggregateStates();
  AggregateStates(const AggregateStates&) = delete;
  AggregateStates& operator=(const AggregateStates&) = delete;

  size_t num_groups() const { return num_groups_; }
  // Appends `count` groups with freshly initialized states.
  void AddGroups(size_t count);
  // Allocates room for `groups` groups in all, reserving the memory first; returns false
  // when the MemoryManager refuses (then AddGroups beyond the room would throw).
  bool TryReserve(size_t groups);

  // out[i] = state of aggregate `aggregate` for group groups[i], i < n.
  void Pointers(const uint32_t* groups, size_t n, size_t aggregate,
                std::vector<uint8_t*>* out) const;
  // The state of aggregate `aggregate` for group `group`.
  uint8_t* State(size_t group, size_t aggregate) const { return Row(group) + offsets_[aggregate]; }
  // out[i] = state of aggregate `aggregate` for group first + i, i < n.
  void RangePointers(size_t first, size_t n, size_t aggregate, std::vector<uint8_t*>* out) const;

 private:
  static constexpr size_t kGroupsPerChunk = 4096;
  struct FreeDeleter {
    void operator()(uint8_t* p) const;
  };

  uint8_t* Row(size_t group) const {
    return chunks_[group / kGroupsPerChunk].get() + (group % kGroupsPerChunk) * row_width_;
  }

  std::vector<const AggregateFunction*> functions_;
  std::vector<size_t> offsets_;
  size_t row_width_ = 0;
  size_t row_align_ = 8;
  size_t num_groups_ = 0;
  std::vector<std::unique_ptr<uint8_t, FreeDeleter>> chunks_;
  MemoryReservation reservation_;
};

}  // namespace sluice
