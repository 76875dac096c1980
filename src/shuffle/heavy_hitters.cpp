#include "shuffle/heavy_hitters.h"

#include <algorithm>

#include "common/error.h"

namespace sluice {

namespace {

bool Heavier(const HeavyHitters::Entry& a, const HeavyHitters::Entry& b) {
  return a.count != b.count ? a.count > b.count : a.hash < b.hash;
}

}  // namespace

HeavyHitters::HeavyHitters(int capacity) : capacity_(capacity) {
  SLUICE_CHECK(capacity_ >= 1 && capacity_ <= 4096, "heavy hitters capacity {}", capacity_);
  entries_.reserve(static_cast<size_t>(capacity_));
  size_t slots = 4;
  while (slots < static_cast<size_t>(capacity_) * 2) slots *= 2;
  index_.assign(slots, -1);
  mask_ = slots - 1;
}

HeavyHitters HeavyHitters::FromEntries(int capacity, std::vector<Entry> entries, int64_t total) {
  HeavyHitters summary(capacity);
  SLUICE_CHECK(entries.size() <= static_cast<size_t>(capacity), "{} counters for capacity {}",
               entries.size(), capacity);
  summary.entries_ = std::move(entries);
  summary.total_ = total;
  summary.Reindex();
  return summary;
}

size_t HeavyHitters::Find(uint64_t hash) const {
  size_t i = static_cast<size_t>((hash * 0x9e3779b97f4a7c15ULL) >> 40) & mask_;
  while (index_[i] >= 0 && entries_[static_cast<size_t>(index_[i])].hash != hash) {
    i = (i + 1) & mask_;
  }
  return i;
}

void HeavyHitters::Reindex() {
  std::fill(index_.begin(), index_.end(), int16_t{-1});
  for (size_t e = 0; e < entries_.size(); e++) index_[Find(entries_[e].hash)] = static_cast<int16_t>(e);
}

void HeavyHitters::Add(const uint64_t* hashes, size_t n) {
  size_t i = 0;
  for (; i < n && added_ + static_cast<int64_t>(i) < kExactRows; i++) AddOne(hashes[i], 1);
  // Sampled: gaps drawn uniformly from 1 .. 2 x kSampleEvery - 1 (mean kSampleEvery).
  const int64_t end = added_ + static_cast<int64_t>(n);
  while (next_sample_ < end) {
    AddOne(hashes[next_sample_ - added_], kSampleEvery);
    gap_state_ ^= gap_state_ << 13;
    gap_state_ ^= gap_state_ >> 7;
    gap_state_ ^= gap_state_ << 17;
    next_sample_ += 1 + static_cast<int64_t>(gap_state_ % (2 * kSampleEvery - 1));
  }
  added_ = end;
  total_ += static_cast<int64_t>(n);
}

void HeavyHitters::AddOne(uint64_t hash, int64_t weight) {
  const size_t slot = Find(hash);
  if (index_[slot] >= 0) {
    entries_[static_cast<size_t>(index_[slot])].count += weight;
    return;
  }
  if (entries_.size() < static_cast<size_t>(capacity_)) {
    index_[slot] = static_cast<int16_t>(entries_.size());
    entries_.push_back(Entry{hash, weight});
    return;
  }
  // Every counter is taken: `cut` rows of this key and as many of each counted key cancel
  // out (one row of each when weights are 1). Each such step removes (capacity + 1) x cut
  // rows of mass, so it runs at most total / (capacity + 1) times.
  int64_t cut = weight;
  for (const Entry& e : entries_) cut = std::min(cut, e.count);
  size_t kept = 0;
  for (const Entry& e : entries_) {
    if (e.count > cut) entries_[kept++] = Entry{e.hash, e.count - cut};
  }
  entries_.resize(kept);
  Reindex();
  if (weight > cut) {
    index_[Find(hash)] = static_cast<int16_t>(entries_.size());
    entries_.push_back(Entry{hash, weight - cut});
  }
}

void HeavyHitters::Merge(const HeavyHitters& other) {
  total_ += other.total_;
  for (const Entry& e : other.entries_) {
    auto it = std::find_if(entries_.begin(), entries_.end(),
                           [&](const Entry& mine) { return mine.hash == e.hash; });
    if (it != entries_.end()) {
      it->count += e.count;
    } else {
      entries_.push_back(e);  // up to 2 x capacity: index_ is rebuilt below
    }
  }
  std::sort(entries_.begin(), entries_.end(), Heavier);
  if (entries_.size() > static_cast<size_t>(capacity_)) {
    const int64_t cut = entries_[static_cast<size_t>(capacity_)].count;
    entries_.resize(static_cast<size_t>(capacity_));
    size_t kept = 0;
    for (const Entry& e : entries_) {
      if (e.count > cut) entries_[kept++] = Entry{e.hash, e.count - cut};
    }
    entries_.resize(kept);
  }
  Reindex();
}

std::vector<HeavyHitters::Entry> HeavyHitters::Top() const {
  std::vector<Entry> top = entries_;
  std::sort(top.begin(), top.end(), Heavier);
  return top;
}

}  // namespace sluice
