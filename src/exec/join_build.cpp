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

Batch GatherPairs(const Batch& left, const std::vector<std::shared_ptr<Column>>& right,
                  const std::vector<uint32_t>& left_rows, const std::vector<uint32_t>& right_rows) {
  const size_t count = left_rows.size();
  std::vector<ColumnPtr> columns;
  bool identity = count == left.num_rows();
  for (size_t t = 0; identity && t < count; t++) identity = left_rows[t] == t;
  for (const auto& c : left.columns()) {
    columns.push_back(identity ? c : ColumnPtr(c->Gather(left_rows.data(), count)));
  }
  for (const auto& c : right) columns.push_back(c->Gather(right_rows.data(), count));
  return Batch(std::move(columns), count);
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

  std::vector<uint32_t> row_group(num_rows_, KeyHashTable::kNoGroup);
  const bool direct = AssignDirectGroups(row_group);
  if (!direct) AssignHashedGroups(row_group);
  // Counting sort of the rows by group; stable, so a key's rows keep their input order.
  const size_t num_groups = direct ? num_direct_groups_ : table_->num_groups();
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
  if (direct) {
    ComposeDirectRows();
    OrderRowsByKey();
  }
  reservation_.Resize(column_bytes +
                      static_cast<int64_t>((rows_.size() + offsets_.size() + direct_.size()) * 4 +
                                           key_bits_.size() * 8));
}

void JoinBuildTable::AssignHashedGroups(std::vector<uint32_t>& row_group) {
  std::vector<ColumnPtr> key_columns;
  for (int k : keys_) key_columns.push_back(columns_[k]);
  std::vector<uint32_t> sel(kBatchSize);
  std::vector<uint64_t> hashes(kBatchSize);
  std::vector<uint32_t> groups(kBatchSize);
  // After the first eighth of the rows the table is sized for the distinct keys they predict,
  // so that it does not rehash again and again while it grows.
  const size_t sample_end = std::max<size_t>(num_rows_ / 8, 16 * kBatchSize);
  bool sized = false;
  for (size_t start = 0; start < num_rows_; start += kBatchSize) {
    if (!sized && start >= sample_end) {
      sized = true;
      const double per_row = static_cast<double>(table_->num_groups()) / static_cast<double>(start);
      const auto expected = static_cast<size_t>(per_row * static_cast<double>(num_rows_) * 1.1);
      table_->TryReserve(std::min(expected, num_rows_));
    }
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
}

namespace {

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

bool JoinBuildTable::AssignDirectGroups(std::vector<uint32_t>& row_group) {
  if (keys_.size() != 1 || !IsDirectKeyType(types_[keys_[0]])) return false;
  const Column& keys = *columns_[keys_[0]];
  switch (keys.type().PhysicalSize()) {
    case 1: return AssignDirect<int8_t>(keys, row_group);
    case 2: return AssignDirect<int16_t>(keys, row_group);
    case 4: return AssignDirect<int32_t>(keys, row_group);
    default: return AssignDirect<int64_t>(keys, row_group);
  }
}

template <typename T>
bool JoinBuildTable::AssignDirect(const Column& keys, std::vector<uint32_t>& row_group) {
  const T* data = keys.data<T>();
  const bool nulls = keys.validity() != nullptr;
  const size_t n = num_rows_;
  int64_t lo = INT64_MAX, hi = INT64_MIN;
  for (size_t i = 0; i < n; i++) {
    if (nulls && !keys.IsValid(i)) continue;
    lo = std::min<int64_t>(lo, data[i]);
    hi = std::max<int64_t>(hi, data[i]);
  }
  if (lo > hi) return false;  // no non-NULL key
  // Dense enough that the index costs at most a few words per row, and not huge.
  const unsigned __int128 range = static_cast<unsigned __int128>(static_cast<__int128>(hi) - lo) + 1;
  if (range > 4 * static_cast<unsigned __int128>(n) + 1024 || range > (uint64_t{1} << 26)) {
    if (range <= kMaxKeyBits) SetKeyBits<T>(keys, lo, static_cast<uint64_t>(range));
    return false;
  }
  direct_.assign(static_cast<size_t>(range), KeyHashTable::kNoGroup);
  direct_min_ = lo;
  uint32_t groups = 0;
  uint32_t* index = direct_.data();
  for (size_t i = 0; i < n; i++) {
    if (nulls && !keys.IsValid(i)) continue;
    uint32_t& g = index[static_cast<size_t>(static_cast<int64_t>(data[i]) - lo)];
    if (g == KeyHashTable::kNoGroup) g = groups++;
    row_group[i] = g;
  }
  num_direct_groups_ = groups;
  return true;
}

template <typename T>
void JoinBuildTable::SetKeyBits(const Column& keys, int64_t lo, uint64_t range) {
  const T* data = keys.data<T>();
  const bool nulls = keys.validity() != nullptr;
  key_bits_.assign((range + 63) / 64, 0);
  bits_min_ = lo;
  for (size_t i = 0; i < num_rows_; i++) {
    if (nulls && !keys.IsValid(i)) continue;
    const auto bit = static_cast<uint64_t>(static_cast<int64_t>(data[i]) - lo);
    key_bits_[bit / 64] |= uint64_t{1} << (bit % 64);
  }
}

template <typename T>
size_t JoinBuildTable::SelectKeyBits(const Column& keys, size_t n, uint32_t* sel) const {
  const T* data = keys.data<T>();
  const uint64_t range = key_bits_.size() * 64;
  const uint64_t* bits = key_bits_.data();
  const bool nulls = keys.validity() != nullptr;
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    const auto bit = static_cast<uint64_t>(static_cast<int64_t>(data[i]) - bits_min_);
    const bool hit = bit < range && ((bits[bit / 64] >> (bit % 64)) & 1) != 0 &&
                     (!nulls || keys.IsValid(i));
    sel[m] = static_cast<uint32_t>(i);
    m += hit ? 1 : 0;
  }
  return m;
}

// The probe rows that may match: non-NULL keys, and keys whose bit is set when the build
// has a key filter.
size_t JoinBuildTable::SelectProbeRows(const std::vector<ColumnPtr>& probe_keys, size_t n,
                                       uint32_t* sel) const {
  if (key_bits_.empty() || probe_keys[0]->is_constant()) {
    return SelectNonNullKeys(probe_keys, n, sel);
  }
  const Column& keys = *probe_keys[0];
  switch (keys.type().PhysicalSize()) {
    case 1: return SelectKeyBits<int8_t>(keys, n, sel);
    case 2: return SelectKeyBits<int16_t>(keys, n, sel);
    case 4: return SelectKeyBits<int32_t>(keys, n, sel);
    default: return SelectKeyBits<int64_t>(keys, n, sel);
  }
}

void JoinBuildTable::ComposeDirectRows() {
  if (!unique_keys()) return;
  // Unique keys and no NULL key: group g was made by row g, so the index already holds rows.
  direct_is_rows_ = rows_.size() == num_rows_;
  if (direct_is_rows_) return;
  direct_rows_.resize(direct_.size());
  for (size_t i = 0; i < direct_.size(); i++) {
    direct_rows_[i] = direct_[i] == KeyHashTable::kNoGroup ? KeyHashTable::kNoGroup : rows_[direct_[i]];
  }
}

void JoinBuildTable::OrderRowsByKey() {
  // Unique keys, none NULL, filling their range: slot s of direct_rows() is the row of key
  // min + s, for every s.
  if (!unique_keys() || rows_.size() != num_rows_ || direct_.size() != num_rows_) return;
  const std::vector<uint32_t>& by_key = direct_rows();
  for (auto& c : columns_) c = c->Gather(by_key.data(), num_rows_);
  // Group g's one row is now the slot of its key.
  for (size_t slot = 0; slot < direct_.size(); slot++) rows_[direct_[slot]] = static_cast<uint32_t>(slot);
  direct_rows_.clear();
  direct_rows_.shrink_to_fit();
  direct_is_rows_ = false;
  rows_are_keys_ = true;
}

namespace {

template <typename T>
void ProbeOffsets(const Column& keys, size_t n, uint64_t range, int64_t min, uint32_t* rows) {
  const T* data = keys.data<T>();
  for (size_t i = 0; i < n; i++) {
    const auto offset = static_cast<uint64_t>(static_cast<int64_t>(data[i]) - min);
    rows[i] = offset < range ? static_cast<uint32_t>(offset) : KeyHashTable::kNoGroup;
  }
  if (keys.validity() != nullptr) {
    for (size_t i = 0; i < n; i++) {
      if (!keys.IsValid(i)) rows[i] = KeyHashTable::kNoGroup;
    }
  }
}

}  // namespace

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
  if (rows_are_keys_) {
    const uint64_t range = num_rows_;
    switch (keys.type().PhysicalSize()) {
      case 1: return ProbeOffsets<int8_t>(keys, n, range, direct_min_, rows);
      case 2: return ProbeOffsets<int16_t>(keys, n, range, direct_min_, rows);
      case 4: return ProbeOffsets<int32_t>(keys, n, range, direct_min_, rows);
      default: return ProbeOffsets<int64_t>(keys, n, range, direct_min_, rows);
    }
  }
  switch (keys.type().PhysicalSize()) {
    case 1: return ProbeDirect<int8_t>(keys, n, direct_rows(), direct_min_, rows);
    case 2: return ProbeDirect<int16_t>(keys, n, direct_rows(), direct_min_, rows);
    case 4: return ProbeDirect<int32_t>(keys, n, direct_rows(), direct_min_, rows);
    default: return ProbeDirect<int64_t>(keys, n, direct_rows(), direct_min_, rows);
  }
}

void JoinBuildTable::Probe(const std::vector<ColumnPtr>& probe_keys, size_t n,
                           uint32_t* groups, ProbeScratch* scratch) const {
  if (!direct_.empty()) {
    if (probe_keys[0]->is_constant()) {
      const std::vector<ColumnPtr> flat{probe_keys[0]->Flatten(probe_keys[0])};
      return Probe(flat, n, groups, scratch);
    }
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
  const size_t m = SelectProbeRows(probe_keys, n, sel);
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
