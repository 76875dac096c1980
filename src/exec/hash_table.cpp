#include "exec/hash_table.h"

#include "types/physical_dispatch.h"
#include "vector/nested_key.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "common/hash.h"
#include "types/interval.h"
#include "types/string_view.h"

namespace sluice {

namespace {

constexpr size_t kMinSlots = 1024;
constexpr size_t kPrefetchDistance = 16;

// Calls fn.template operator()<T>() with T the physical type of `type`.

template <typename T>
uint64_t HashValue(const T& v) {
  if constexpr (std::is_same_v<T, double>) {
    double d = v == 0.0 ? 0.0 : v;  // -0.0 groups with 0.0
    if (std::isnan(d)) d = std::numeric_limits<double>::quiet_NaN();
    return HashInt(std::bit_cast<uint64_t>(d));
  } else if constexpr (std::is_same_v<T, int128_t>) {
    return HashCombine(HashInt(static_cast<uint64_t>(v)), static_cast<uint64_t>(v >> 64));
  } else if constexpr (std::is_same_v<T, StringView>) {
    if (v.IsInline()) {
      // Inline views are zero padded (StringView's equality compares all 16 bytes too), so
      // the two words are the value: no byte loop for short keys. Tables only compare these
      // hashes with each other, never with column_hash.h's partitioning hash.
      uint64_t words[2];
      std::memcpy(words, &v, sizeof(words));
      return HashMix(words[0] ^ (words[1] * 0x9e3779b97f4a7c15ULL));
    }
    return HashBytes(v.data(), v.size());
  } else if constexpr (std::is_same_v<T, Interval>) {
    return HashCombine(HashInt((static_cast<uint64_t>(static_cast<uint32_t>(v.months)) << 32) |
                               static_cast<uint32_t>(v.days)),
                       static_cast<uint64_t>(v.micros));
  } else {
    return HashInt(static_cast<uint64_t>(static_cast<int64_t>(v)));
  }
}

template <typename T>
bool KeyEquals(const T& a, const T& b) {
  if constexpr (std::is_same_v<T, double>) {
    return a == b || (std::isnan(a) && std::isnan(b));
  } else {
    return a == b;
  }
}

template <typename T>
void HashColumn(const Column& col, const uint32_t* sel, size_t n, bool first, uint64_t* hashes) {
  const T* data = col.data<T>();
  if (col.is_constant()) {
    const uint64_t h = col.IsValid(0) ? HashValue(data[0]) : kNullHash;
    for (size_t i = 0; i < n; i++) hashes[i] = first ? h : HashCombine(hashes[i], h);
    return;
  }
  // One loop per case, so that the common one (no selection, no NULLs) has no branches.
  auto loop = [&]<bool kSel, bool kNulls, bool kFirst>() {
    for (size_t i = 0; i < n; i++) {
      const size_t row = kSel ? sel[i] : i;
      const uint64_t h = (kNulls && !col.IsValid(row)) ? kNullHash : HashValue(data[row]);
      hashes[i] = kFirst ? h : HashCombine(hashes[i], h);
    }
  };
  auto with_first = [&]<bool kSel, bool kNulls>() {
    if (first) {
      loop.template operator()<kSel, kNulls, true>();
    } else {
      loop.template operator()<kSel, kNulls, false>();
    }
  };
  auto with_nulls = [&]<bool kSel>() {
    if (col.validity() != nullptr) {
      with_first.template operator()<kSel, true>();
    } else {
      with_first.template operator()<kSel, false>();
    }
  };
  if (sel != nullptr) {
    with_nulls.template operator()<true>();
  } else {
    with_nulls.template operator()<false>();
  }
}

void* Grow(void* p, size_t bytes) {
  void* grown = std::realloc(p, bytes == 0 ? 1 : bytes);
  if (grown == nullptr) throw OutOfMemoryError("could not grow a hash table");
  return grown;
}

// LIST and STRUCT keys are compared and stored as their order-preserving byte keys
// (vector/nested_key.h); other columns pass through.
ColumnPtr StorageKey(const ColumnPtr& c) {
  if (!c->type().IsNested()) return c;
  if (c->is_constant()) {
    auto one = EncodeNestedKeys(*c, 1);
    return Column::MakeConstant(TypeId::kVarchar, one->GetValue(0), c->size());
  }
  return EncodeNestedKeys(*c, c->size());
}

std::vector<ColumnPtr> StorageKeys(const std::vector<ColumnPtr>& keys) {
  std::vector<ColumnPtr> out;
  out.reserve(keys.size());
  for (const auto& k : keys) out.push_back(StorageKey(k));
  return out;
}

}  // namespace

void HashKeyColumns(const std::vector<ColumnPtr>& keys, const uint32_t* sel, size_t n,
                    uint64_t* hashes) {
  if (keys.empty()) {
    for (size_t i = 0; i < n; i++) hashes[i] = kNullHash;
    return;
  }
  for (size_t k = 0; k < keys.size(); k++) {
    if (keys[k]->type().IsNested()) [[unlikely]] {
      HashColumn<StringView>(*StorageKey(keys[k]), sel, n, k == 0, hashes);
      continue;
    }
    VisitPhysicalType(keys[k]->type(), [&]<typename T>() {
      HashColumn<T>(*keys[k], sel, n, k == 0, hashes);
    });
  }
}

void KeyHashTable::Scratch::Reserve(size_t n) {
  if (remaining.size() >= n) return;
  remaining.resize(n);
  position.resize(n);
  candidate_rows.resize(n);
  candidate_groups.resize(n);
  new_rows.resize(n);
  match.resize(n);
}

KeyHashTable::KeyHashTable(std::vector<LogicalType> key_types, MemoryManager* memory,
                           size_t expected_groups)
    : key_types_(std::move(key_types)),
      string_arena_(Column::Make(TypeId::kVarchar, 0)),
      reservation_(memory, "hash table") {
  for (const auto& t : key_types_) {
    KeyColumn c;
    c.type = t.IsNested() ? LogicalType(TypeId::kVarchar) : t;
    c.width = c.type.PhysicalSize();
    has_nested_ |= t.IsNested();
    key_columns_.push_back(c);
  }
  Reserve(expected_groups, 0, false);
}

KeyHashTable::~KeyHashTable() {
  for (auto& c : key_columns_) {
    std::free(c.data);
    std::free(c.nulls);
  }
}

size_t KeyHashTable::MemoryBytes() const {
  size_t bytes = slots_.capacity() * sizeof(Slot) + group_hashes_.capacity() * 8;
  for (const auto& c : key_columns_) bytes += key_capacity_ * (c.width + 1);
  return bytes + string_arena_->MemoryBytes();
}

bool KeyHashTable::TryReserve(size_t groups, size_t string_bytes) {
  return Reserve(groups, string_bytes, true);
}

bool KeyHashTable::Reserve(size_t groups, size_t string_bytes, bool may_fail) {
  // At most half the slots in use keeps linear probe sequences short.
  size_t slots = slots_.empty() ? kMinSlots : slots_.size();
  while (groups * 2 > slots) slots *= 2;
  const bool rehash = slots != slots_.size();
  size_t key_capacity = key_capacity_ == 0 ? 1024 : key_capacity_;
  while (key_capacity < groups) key_capacity *= 2;

  // Reserve before touching new memory (during a rehash the old slots live on briefly).
  size_t future =
      slots * sizeof(Slot) + key_capacity * 8 + string_arena_->MemoryBytes() + string_bytes;
  for (const auto& c : key_columns_) future += key_capacity * (c.width + 1);
  if (!rehash && key_capacity == key_capacity_ &&
      static_cast<int64_t>(future) <= reservation_.bytes()) {
    return true;
  }
  const auto peak = static_cast<int64_t>(future + (rehash ? slots_.size() * sizeof(Slot) : 0));
  if (may_fail) {
    if (!reservation_.TryResize(std::max(peak, reservation_.bytes()))) return false;
  } else {
    reservation_.Resize(std::max(peak, reservation_.bytes()));
  }

  if (key_capacity != key_capacity_) {
    for (auto& c : key_columns_) {
      c.data = static_cast<uint8_t*>(Grow(c.data, key_capacity * c.width));
      c.nulls = static_cast<uint8_t*>(Grow(c.nulls, key_capacity));
    }
    group_hashes_.reserve(key_capacity);
    key_capacity_ = key_capacity;
  }
  if (rehash) Rehash(slots);
  reservation_.Resize(static_cast<int64_t>(MemoryBytes() + string_bytes));
  return true;
}

void KeyHashTable::Rehash(size_t slot_count) {
  std::vector<Slot> slots(slot_count, Slot{0, kNoGroup});
  slots_.swap(slots);
  mask_ = slot_count - 1;
  shift_ = 64 - std::countr_zero(slot_count);
  // Reinserting in group order keeps the layout a function of the input alone.
  for (uint32_t g = 0; g < num_groups_; g++) {
    const uint64_t h = group_hashes_[g];
    uint64_t p = h >> shift_;
    while (slots_[p].group != kNoGroup) p = (p + 1) & mask_;
    slots_[p] = Slot{static_cast<uint32_t>(h), g};
  }
}

void KeyHashTable::FindOrInsert(const std::vector<ColumnPtr>& keys, const uint32_t* sel,
                                size_t n, const uint64_t* hashes, uint32_t* groups) {
  Reserve(num_groups_ + n, 0, false);  // a no-op after a sufficient TryReserve
  if (has_nested_) [[unlikely]] {
    Lookup<true>(StorageKeys(keys), sel, n, hashes, groups, &scratch_);
  } else {
    Lookup<true>(keys, sel, n, hashes, groups, &scratch_);
  }
  reservation_.Resize(static_cast<int64_t>(MemoryBytes()));
}

void KeyHashTable::Find(const std::vector<ColumnPtr>& keys, const uint32_t* sel, size_t n,
                        const uint64_t* hashes, uint32_t* groups, Scratch* scratch) const {
  // Lookup<false> writes only to `scratch` and `groups`, never to the table.
  auto* self = const_cast<KeyHashTable*>(this);
  if (has_nested_) [[unlikely]] {
    self->Lookup<false>(StorageKeys(keys), sel, n, hashes, groups, scratch);
  } else {
    self->Lookup<false>(keys, sel, n, hashes, groups, scratch);
  }
}

template <bool kInsert>
void KeyHashTable::Lookup(const std::vector<ColumnPtr>& keys, const uint32_t* sel, size_t n,
                          const uint64_t* hashes, uint32_t* groups, Scratch* scratch) {
  scratch->Reserve(n);
  uint32_t* remaining = scratch->remaining.data();
  uint64_t* position = scratch->position.data();
  uint32_t* cand_rows = scratch->candidate_rows.data();
  uint32_t* cand_groups = scratch->candidate_groups.data();
  uint32_t* new_rows = scratch->new_rows.data();
  uint8_t* match = scratch->match.data();
  const Slot* slots = slots_.data();
  for (size_t i = 0; i < n; i++) {
    remaining[i] = static_cast<uint32_t>(i);
    position[i] = hashes[i] >> shift_;
  }
  size_t num_remaining = n;
  while (num_remaining > 0) {
    // Place every remaining row: at an empty slot (new group or miss) or at a slot whose hash
    // matches (a candidate whose keys are compared below).
    size_t num_cand = 0;
    size_t num_new = 0;
    for (size_t k = 0; k < num_remaining; k++) {
      // The slot array is far larger than the cache for many groups: fetch ahead.
      if (k + kPrefetchDistance < num_remaining) {
        __builtin_prefetch(&slots[position[remaining[k + kPrefetchDistance]]]);
      }
      const uint32_t i = remaining[k];
      const uint64_t h = hashes[i];
      uint64_t p = position[i];
      for (;;) {
        const Slot& slot = slots[p];
        if (slot.group == kNoGroup) {
          if constexpr (kInsert) {
            const auto g = static_cast<uint32_t>(num_groups_++);
            slots_[p] = Slot{static_cast<uint32_t>(h), g};
            group_hashes_.push_back(h);
            new_rows[num_new++] = i;
            groups[i] = g;
          } else {
            groups[i] = kNoGroup;
          }
          break;
        }
        if (slot.tag == static_cast<uint32_t>(h)) {
          cand_rows[num_cand] = i;
          cand_groups[num_cand++] = slot.group;
          break;
        }
        p = (p + 1) & mask_;
      }
      position[i] = p;
    }
    if constexpr (kInsert) {
      if (num_new > 0) AppendKeys(keys, sel, new_rows, num_new);
    }
    std::memset(match, 1, num_cand);
    CompareKeys(keys, sel, cand_rows, cand_groups, num_cand, match);
    num_remaining = 0;
    for (size_t j = 0; j < num_cand; j++) {
      const uint32_t i = cand_rows[j];
      if (match[j]) {
        groups[i] = cand_groups[j];
      } else {
        position[i] = (position[i] + 1) & mask_;
        remaining[num_remaining++] = i;
      }
    }
  }
}

void KeyHashTable::AppendKeys(const std::vector<ColumnPtr>& keys, const uint32_t* sel,
                              const uint32_t* rows, size_t n) {
  // The new groups are the last n, in the order of `rows`.
  const size_t base = num_groups_ - n;
  for (size_t k = 0; k < keys.size(); k++) {
    const Column& col = *keys[k];
    KeyColumn& dst = key_columns_[k];
    VisitPhysicalType(dst.type, [&]<typename T>() {
      T* out = reinterpret_cast<T*>(dst.data) + base;
      const T* in = col.data<T>();
      uint8_t* nulls = dst.nulls + base;
      const bool constant = col.is_constant();
      for (size_t j = 0; j < n; j++) {
        const size_t row = constant ? 0 : (sel != nullptr ? sel[rows[j]] : rows[j]);
        const bool valid = col.IsValid(row);
        nulls[j] = valid ? 0 : 1;
        if constexpr (std::is_same_v<T, StringView>) {
          if (!valid) {
            out[j] = StringView();
          } else if (in[row].IsInline()) {
            out[j] = in[row];
          } else {
            out[j] = string_arena_->AddString(in[row].view());
          }
        } else {
          out[j] = valid ? in[row] : T{};
        }
      }
    });
  }
}

void KeyHashTable::CompareKeys(const std::vector<ColumnPtr>& keys, const uint32_t* sel,
                               const uint32_t* rows, const uint32_t* groups, size_t n,
                               uint8_t* match) const {
  if (n == 0) return;
  for (size_t k = 0; k < keys.size(); k++) {
    const Column& col = *keys[k];
    const KeyColumn& stored = key_columns_[k];
    VisitPhysicalType(stored.type, [&]<typename T>() {
      const T* in = col.data<T>();
      const T* groups_data = reinterpret_cast<const T*>(stored.data);
      const bool constant = col.is_constant();
      if (!constant && col.validity() == nullptr) {
        // No NULLs in the batch: a group with a NULL key never matches.
        for (size_t j = 0; j < n; j++) {
          if (j + kPrefetchDistance < n) {
            __builtin_prefetch(&groups_data[groups[j + kPrefetchDistance]]);
          }
          const size_t row = sel != nullptr ? sel[rows[j]] : rows[j];
          const uint32_t g = groups[j];
          match[j] &= static_cast<uint8_t>(stored.nulls[g] == 0 &&
                                           KeyEquals(in[row], groups_data[g]));
        }
        return;
      }
      for (size_t j = 0; j < n; j++) {
        const size_t row = constant ? 0 : (sel != nullptr ? sel[rows[j]] : rows[j]);
        const uint32_t g = groups[j];
        const bool in_null = !col.IsValid(row);
        const bool group_null = stored.nulls[g] != 0;
        const bool eq = (in_null || group_null) ? (in_null && group_null)
                                                : KeyEquals(in[row], groups_data[g]);
        match[j] &= static_cast<uint8_t>(eq);
      }
    });
  }
}

std::shared_ptr<Column> KeyHashTable::GetKeys(size_t key, size_t first, size_t n) const {
  const KeyColumn& src = key_columns_[key];
  auto out = Column::Make(src.type, n);
  out->set_size(n);
  std::memcpy(out->raw_data(), src.data + first * src.width, n * src.width);
  for (size_t i = 0; i < n; i++) {
    if (src.nulls[first + i] != 0) out->SetNull(i);
  }
  if (src.type.IsStringLike()) out->ShareHeapsOf(*string_arena_);
  if (key_types_[key].IsNested()) [[unlikely]] return DecodeNestedKeys(*out, key_types_[key], n);
  return out;
}

}  // namespace sluice
