#include "exec/join_build.h"

#include <algorithm>
#include <cstring>

namespace sluice {

size_t SelectNonNullKeys(const std::vector<ColumnPtr>& keys, size_t n, uint32_t* sel) {
  bool any_nulls = false;
  for (const auto& k : keys) {
    if (k->validity() != nullptr) any_nulls = true;
    if (k->is_constant() && !k->IsValid(0)) return 0;
  }
  if (!any_nulls) {
    for (size_t i = 0; i < n; i++) sel[i] = static_cast<uint32_t>(i);
    return n;
  }
  size_t count = 0;
  for (size_t i = 0; i < n; i++) {
    bool valid = true;
    for (const auto& k : keys) valid &= k->IsValid(i);
    sel[count] = static_cast<uint32_t>(i);
    count += valid ? 1 : 0;
  }
  return count;
}

std::shared_ptr<Column> MakeNullColumn(const LogicalType& type, size_t n) {
  auto col = Column::Make(type, n);
  col->set_size(n);
  std::memset(col->raw_data(), 0, n * static_cast<size_t>(type.PhysicalSize()));
  std::memset(col->MutableValidity(), 0, (n + 63) / 64 * 8);
  return col;
}

JoinBuildTable::JoinBuildTable(const Schema& build_schema, std::vector<int> keys,
                               MemoryManager* memory)
    : keys_(std::move(keys)), reservation_(memory, "hash join build") {
  for (const auto& f : build_schema.fields()) types_.push_back(f.type);
  std::vector<LogicalType> key_types;
  for (int k : keys_) key_types.push_back(types_[k]);
  // Created here so that an empty build side still has a (tiny) table to probe.
  table_ = std::make_unique<KeyHashTable>(std::move(key_types), memory);
}

void JoinBuildTable::Build(BatchStream* input) {
  std::vector<Batch> batches;
  Batch batch;
  int64_t bytes = 0;
  while (input->Next(&batch)) {
    num_rows_ += batch.num_rows();
    bytes += static_cast<int64_t>(batch.MemoryBytes());
    reservation_.Resize(bytes);  // a grace hash join would spill partitions here
    batches.push_back(std::move(batch));
  }
  SLUICE_CHECK(num_rows_ < KeyHashTable::kNoGroup, "build side too large: {} rows", num_rows_);
  // One flat column per build column, sized exactly, so that output rows are gathered by
  // a single row index.
  for (size_t c = 0; c < types_.size(); c++) {
    auto col = Column::Make(types_[c], num_rows_);
    for (const auto& b : batches) col->Append(*b.column(c), 0, b.num_rows());
    columns_.push_back(std::move(col));
  }
  batches.clear();
  int64_t column_bytes = 0;
  for (const auto& c : columns_) column_bytes += static_cast<int64_t>(c->MemoryBytes());
  reservation_.Resize(column_bytes);

  std::vector<ColumnPtr> key_columns;
  for (int k : keys_) key_columns.push_back(columns_[k]);
  std::vector<uint32_t> row_group(num_rows_, KeyHashTable::kNoGroup);
  std::vector<uint32_t> sel(kBatchSize);
  std::vector<uint64_t> hashes(kBatchSize);
  std::vector<uint32_t> groups(kBatchSize);
  for (size_t start = 0; start < num_rows_; start += kBatchSize) {
    const size_t n = std::min(kBatchSize, num_rows_ - start);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
      bool valid = true;
      for (const auto& k : key_columns) valid &= k->IsValid(start + i);
      sel[m] = static_cast<uint32_t>(start + i);
      m += valid ? 1 : 0;
    }
    HashKeyColumns(key_columns, sel.data(), m, hashes.data());
    table_->FindOrInsert(key_columns, sel.data(), m, hashes.data(), groups.data());
    for (size_t j = 0; j < m; j++) row_group[sel[j]] = groups[j];
  }

  // Counting sort of the rows by group; stable, so a key's rows keep their input order.
  const size_t num_groups = table_->num_groups();
  offsets_.assign(num_groups + 1, 0);
  for (uint32_t g : row_group) {
    if (g != KeyHashTable::kNoGroup) offsets_[g + 1]++;
  }
  for (size_t g = 0; g < num_groups; g++) offsets_[g + 1] += offsets_[g];
  rows_.resize(offsets_[num_groups]);
  std::vector<uint32_t> cursor(offsets_.begin(), offsets_.end() - 1);
  for (size_t r = 0; r < num_rows_; r++) {
    const uint32_t g = row_group[r];
    if (g != KeyHashTable::kNoGroup) rows_[cursor[g]++] = static_cast<uint32_t>(r);
  }
  BuildDirectIndex();
  reservation_.Resize(column_bytes + static_cast<int64_t>(
                                         (rows_.size() + offsets_.size() + direct_.size()) * 4));
}

namespace {

// Reads an integer key of any integer physical width as int64.
template <typename T>
int64_t KeyAt(const Column& c, size_t row) {
  return static_cast<int64_t>(c.data<T>()[row]);
}

bool IsDirectKeyType(const LogicalType& t) {
  return t.IsInteger() || t.id() == TypeId::kDate;
}

template <typename T>
void ProbeDirect(const Column& keys, size_t n, const std::vector<uint32_t>& direct, int64_t min,
                 uint32_t* groups) {
  const T* data = keys.data<T>();
  const uint64_t range = direct.size();
  const uint32_t* index = direct.data();
  const bool nulls = keys.validity() != nullptr;
  constexpr size_t kAhead = 16;
  for (size_t i = 0; i < n; i++) {
    if (i + kAhead < n) {
      const uint64_t ahead = static_cast<uint64_t>(static_cast<int64_t>(data[i + kAhead]) - min);
      if (ahead < range) __builtin_prefetch(index + ahead);
    }
    const uint64_t offset = static_cast<uint64_t>(static_cast<int64_t>(data[i]) - min);
    const uint32_t g = offset < range ? index[offset] : KeyHashTable::kNoGroup;
    groups[i] = (nulls && !keys.IsValid(i)) ? KeyHashTable::kNoGroup : g;
  }
}

}  // namespace

void JoinBuildTable::BuildDirectIndex() {
  const size_t groups = table_->num_groups();
  if (keys_.size() != 1 || groups == 0 || !IsDirectKeyType(types_[keys_[0]])) return;
  auto keys = table_->GetKeys(0, 0, groups);
  const int width = keys->type().PhysicalSize();
  auto key_at = [&](size_t g) {
    switch (width) {
      case 1: return KeyAt<int8_t>(*keys, g);
      case 2: return KeyAt<int16_t>(*keys, g);
      case 4: return KeyAt<int32_t>(*keys, g);
      default: return KeyAt<int64_t>(*keys, g);
    }
  };
  int64_t lo = key_at(0), hi = lo;
  for (size_t g = 1; g < groups; g++) {
    const int64_t v = key_at(g);
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  // Dense enough that the index costs at most a few words per key, and not huge.
  const unsigned __int128 range = static_cast<unsigned __int128>(static_cast<__int128>(hi) - lo) + 1;
  if (range > 4 * static_cast<unsigned __int128>(groups) + 1024 || range > (uint64_t{1} << 26)) {
    return;
  }
  direct_.assign(static_cast<size_t>(range), KeyHashTable::kNoGroup);
  direct_min_ = lo;
  for (size_t g = 0; g < groups; g++) direct_[static_cast<size_t>(key_at(g) - lo)] = static_cast<uint32_t>(g);
  if (unique_keys()) {
    direct_rows_.resize(direct_.size());
    for (size_t i = 0; i < direct_.size(); i++) {
      direct_rows_[i] = direct_[i] == KeyHashTable::kNoGroup ? KeyHashTable::kNoGroup : rows_[direct_[i]];
    }
  }
}

void JoinBuildTable::ProbeRows(const std::vector<ColumnPtr>& probe_keys, size_t n,
                               uint32_t* rows) const {
  const Column& keys = *probe_keys[0];
  if (keys.is_constant()) {
    const uint32_t r = keys.IsValid(0) ? [&] {
      std::vector<ColumnPtr> flat{keys.Flatten(probe_keys[0])};
      uint32_t out = KeyHashTable::kNoGroup;
      ProbeRows(flat, 1, &out);
      return out;
    }() : KeyHashTable::kNoGroup;
    std::fill(rows, rows + n, r);
    return;
  }
  switch (keys.type().PhysicalSize()) {
    case 1: return ProbeDirect<int8_t>(keys, n, direct_rows_, direct_min_, rows);
    case 2: return ProbeDirect<int16_t>(keys, n, direct_rows_, direct_min_, rows);
    case 4: return ProbeDirect<int32_t>(keys, n, direct_rows_, direct_min_, rows);
    default: return ProbeDirect<int64_t>(keys, n, direct_rows_, direct_min_, rows);
  }
}

void JoinBuildTable::Probe(const std::vector<ColumnPtr>& probe_keys, size_t n,
                           uint32_t* groups, ProbeScratch* scratch) const {
  if (!direct_.empty() && !probe_keys[0]->is_constant()) {
    const Column& keys = *probe_keys[0];
    switch (keys.type().PhysicalSize()) {
      case 1: return ProbeDirect<int8_t>(keys, n, direct_, direct_min_, groups);
      case 2: return ProbeDirect<int16_t>(keys, n, direct_, direct_min_, groups);
      case 4: return ProbeDirect<int32_t>(keys, n, direct_, direct_min_, groups);
      default: return ProbeDirect<int64_t>(keys, n, direct_, direct_min_, groups);
    }
  }
  scratch->sel.resize(n);
  scratch->hashes.resize(n);
  uint32_t* sel = scratch->sel.data();
  const size_t m = SelectNonNullKeys(probe_keys, n, sel);
  for (size_t i = 0; i < n; i++) groups[i] = KeyHashTable::kNoGroup;
  if (m == 0 || table_->num_groups() == 0) return;
  HashKeyColumns(probe_keys, sel, m, scratch->hashes.data());
  if (m == n) {
    table_->Find(probe_keys, sel, m, scratch->hashes.data(), groups, &scratch->table);
    return;
  }
  scratch->dense_groups.resize(m);
  uint32_t* dense = scratch->dense_groups.data();
  table_->Find(probe_keys, sel, m, scratch->hashes.data(), dense, &scratch->table);
  for (size_t j = 0; j < m; j++) groups[sel[j]] = dense[j];
}

}  // namespace sluice
