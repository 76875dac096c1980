#include "exec/aggregate_states.h"

#include <algorithm>
#include <cstdlib>

#include "common/error.h"
#include "expr/aggregate_function.h"

namespace sluice {

void AggregateStates::FreeDeleter::operator()(uint8_t* p) const { std::free(p); }

AggregateStates::AggregateStates(std::vector<const AggregateFunction*> functions,
                                 MemoryManager* memory)
    : functions_(std::move(functions)), reservation_(memory, "hash aggregate states") {
  for (const AggregateFunction* fn : functions_) {
    const size_t align = std::max<size_t>(fn->state_align(), 1);
    row_width_ = (row_width_ + align - 1) / align * align;
    offsets_.push_back(row_width_);
    row_width_ += fn->state_size();
    row_align_ = std::max(row_align_, align);
  }
  row_width_ = std::max<size_t>((row_width_ + row_align_ - 1) / row_align_ * row_align_, 1);
}

AggregateStates::~AggregateStates() {
  for (size_t a = 0; a < functions_.size(); a++) {
    if (!functions_[a]->needs_destroy()) continue;
    for (size_t g = 0; g < num_groups_; g++) functions_[a]->Destroy(Row(g) + offsets_[a]);
  }
}

void AggregateStates::AddGroups(size_t count) {
  const size_t total = num_groups_ + count;
  while (chunks_.size() * kGroupsPerChunk < total) {
    const size_t bytes = kGroupsPerChunk * row_width_;
    reservation_.Grow(static_cast<int64_t>(bytes));
    auto* chunk = static_cast<uint8_t*>(std::aligned_alloc(row_align_, bytes));
    if (chunk == nullptr) throw OutOfMemoryError("could not allocate aggregate states");
    chunks_.emplace_back(chunk);
  }
  for (size_t g = num_groups_; g < total; g++) {
    uint8_t* row = Row(g);
    for (size_t a = 0; a < functions_.size(); a++) functions_[a]->Initialize(row + offsets_[a]);
  }
  num_groups_ = total;
}

bool AggregateStates::TryReserve(size_t groups) {
  while (chunks_.size() * kGroupsPerChunk < groups) {
    const size_t bytes = kGroupsPerChunk * row_width_;
    if (!reservation_.TryResize(reservation_.bytes() + static_cast<int64_t>(bytes))) return false;
    auto* chunk = static_cast<uint8_t*>(std::aligned_alloc(row_align_, bytes));
    if (chunk == nullptr) throw OutOfMemoryError("could not allocate aggregate states");
    chunks_.emplace_back(chunk);
  }
  return true;
}

void AggregateStates::Pointers(const uint32_t* groups, size_t n, size_t aggregate,
                               std::vector<uint8_t*>* out) const {
  out->resize(n);
  const size_t offset = offsets_[aggregate];
  uint8_t** p = out->data();
  for (size_t i = 0; i < n; i++) p[i] = Row(groups[i]) + offset;
}

void AggregateStates::RangePointers(size_t first, size_t n, size_t aggregate,
                                    std::vector<uint8_t*>* out) const {
  out->resize(n);
  const size_t offset = offsets_[aggregate];
  for (size_t i = 0; i < n; i++) (*out)[i] = Row(first + i) + offset;
}

}  // namespace sluice
