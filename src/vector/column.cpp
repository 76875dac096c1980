#include "vector/column.h"

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include <sys/mman.h>

#include <fmt/format.h>

#include "common/error.h"
#include "types/interval.h"

namespace sluice {

namespace {

size_t ValidityWords(size_t capacity) { return (capacity + 63) / 64; }

constexpr size_t kHugePage = size_t{2} << 20;

// Whether large buffers ask for transparent huge pages (SLUICE_HUGE_PAGES=0 turns it off,
// for a system where THP compaction stalls).
bool HugePages() {
  static const bool enabled = [] {
    const char* value = std::getenv("SLUICE_HUGE_PAGES");
    return value == nullptr || std::string_view(value) != "0";
  }();
  return enabled;
}

// malloc-compatible memory (freed and grown with free / realloc). Large buffers are aligned
// to 2 MiB and marked for transparent huge pages: their first touch then faults once per
// 2 MiB instead of once per 4 KiB, which is most of the cost of filling fresh memory here.
void* AllocateBytes(size_t bytes) {
  if (bytes >= 4 * kHugePage && HugePages()) {
    void* p = nullptr;
    if (posix_memalign(&p, kHugePage, bytes) != 0) {
      throw OutOfMemoryError(fmt::format("could not allocate {} bytes", bytes));
    }
    madvise(p, bytes & ~(kHugePage - 1), MADV_HUGEPAGE);  // advice only: failure is harmless
    return p;
  }
  void* p = std::malloc(bytes == 0 ? 1 : bytes);
  if (p == nullptr) throw OutOfMemoryError(fmt::format("could not allocate {} bytes", bytes));
  return p;
}

}  // namespace

Column::Column(LogicalType type, size_t capacity)
    : type_(type), width_(type.PhysicalSize()), capacity_(capacity) {
  data_ = static_cast<uint8_t*>(AllocateBytes(capacity_ * width_));
  if (type_.HasListLayout()) {
    children_.push_back(std::make_shared<Column>(type_.ListChild(), 0));
  } else if (type_.id() == TypeId::kStruct) {
    for (const auto& field : type_.StructFields()) {
      children_.push_back(std::make_shared<Column>(field.type, capacity_));
      children_.back()->ZeroData(0);
    }
  }
}

void Column::ZeroData(size_t from) {
  if (from < capacity_) std::memset(data_ + from * width_, 0, (capacity_ - from) * width_);
}

void Column::SetFieldSizes() {
  for (auto& c : children_) {
    if (c->capacity_ < size_ && !constant_) c->Reserve(size_);
    c->size_ = constant_ ? std::min<size_t>(size_, 1) : size_;
    if (c->type_.id() == TypeId::kStruct) c->SetFieldSizes();
  }
}

template <typename RowOf>
void Column::AppendNested(const Column& other, size_t n, RowOf row_of) {
  Reserve(size_ + n);
  if (type_.HasListLayout()) {
    Column& elements = *children_[0];
    const Column& from = *other.children_[0];
    const ListEntry* src = other.list_entries();
    ListEntry* dst = list_entries() + size_;
    for (size_t i = 0; i < n; i++) {
      const ListEntry e = src[row_of(i)];
      dst[i] = ListEntry{elements.size(), e.length};
      if (e.length > 0) elements.Append(from, e.offset, e.length);
    }
  } else {
    std::vector<uint32_t> sel(n);
    for (size_t i = 0; i < n; i++) sel[i] = static_cast<uint32_t>(row_of(i));
    for (size_t f = 0; f < children_.size(); f++) {
      Column& field = *children_[f];
      field.size_ = size_;
      field.AppendSelected(*other.children_[f], sel.data(), n);
    }
  }
  for (size_t i = 0; i < n; i++) {
    if (other.IsValid(row_of(i))) {
      SetValid(size_ + i);
    } else {
      SetNull(size_ + i);
    }
  }
  size_ += n;
}

Column::~Column() {
  std::free(data_);
  std::free(validity_);
}

std::shared_ptr<Column> Column::MakeConstant(const LogicalType& type, const Value& value,
                                             size_t size) {
  auto column = std::make_shared<Column>(type, 1);
  column->SetValue(0, value);
  column->constant_ = true;
  column->size_ = size;
  if (type.id() == TypeId::kStruct) column->SetFieldSizes();
  return column;
}

void Column::Reserve(size_t capacity) {
  if (capacity <= capacity_) return;
  capacity = std::max(capacity, capacity_ * 2);
  if (type_.id() == TypeId::kStruct) {
    // Fields of rows not written yet read as zero (empty strings), never as garbage.
    for (auto& c : children_) {
      const size_t before = c->capacity_;
      c->Reserve(capacity);
      c->ZeroData(before);
    }
  }
  auto* grown = static_cast<uint8_t*>(std::realloc(data_, capacity * width_));
  if (grown == nullptr) throw OutOfMemoryError("could not grow a column");
  data_ = grown;
  if (validity_ != nullptr) {
    const size_t old_words = ValidityWords(capacity_);
    const size_t words = ValidityWords(capacity);
    auto* v = static_cast<uint64_t*>(std::realloc(validity_, words * 8));
    if (v == nullptr) throw OutOfMemoryError("could not grow a column");
    validity_ = v;
    std::fill(validity_ + old_words, validity_ + words, ~uint64_t{0});
  }
  capacity_ = capacity;
}

uint64_t* Column::MutableValidity() {
  if (validity_ == nullptr) {
    const size_t words = ValidityWords(std::max<size_t>(capacity_, 1));
    validity_ = static_cast<uint64_t*>(AllocateBytes(words * 8));
    std::fill(validity_, validity_ + words, ~uint64_t{0});
  }
  return validity_;
}

bool Column::HasNulls() const {
  if (validity_ == nullptr) return false;
  if (constant_) return !IsValid(0);
  const size_t full = size_ / 64;
  for (size_t w = 0; w < full; w++) {
    if (validity_[w] != ~uint64_t{0}) return true;
  }
  const size_t rest = size_ % 64;
  if (rest != 0) {
    const uint64_t mask = (uint64_t{1} << rest) - 1;
    if ((validity_[full] & mask) != mask) return true;
  }
  return false;
}

size_t Column::CountNulls() const {
  if (validity_ == nullptr) return 0;
  if (constant_) return IsValid(0) ? 0 : size_;
  size_t valid = 0;
  const size_t full = size_ / 64;
  for (size_t w = 0; w < full; w++) valid += std::popcount(validity_[w]);
  const size_t rest = size_ % 64;
  if (rest != 0) valid += std::popcount(validity_[full] & ((uint64_t{1} << rest) - 1));
  return size_ - valid;
}

StringHeap& Column::OwnHeap() {
  if (!own_heap_) own_heap_ = std::make_shared<StringHeap>();
  return *own_heap_;
}

StringView Column::AddString(std::string_view s) {
  if (s.size() <= StringView::kInlineSize) return StringView(s);
  if (s.size() > UINT32_MAX) {  // a view's length is 32 bits
    throw OutOfRangeError(fmt::format("a string of {} bytes is over the maximum string size "
                                      "({} bytes)", s.size(), UINT32_MAX));
  }
  return StringView(OwnHeap().Add(s), static_cast<uint32_t>(s.size()));
}

void Column::ShareHeapsOf(const Column& other) {
  if (other.own_heap_ && other.own_heap_ != own_heap_) shared_heaps_.push_back(other.own_heap_);
  for (const auto& heap : other.shared_heaps_) {
    if (std::find(shared_heaps_.begin(), shared_heaps_.end(), heap) == shared_heaps_.end()) {
      shared_heaps_.push_back(heap);
    }
  }
}

Value Column::GetValue(size_t row) const {
  if (constant_) row = 0;
  if (!IsValid(row)) return Value::Null(type_);
  switch (type_.id()) {
    case TypeId::kNull: return Value::Null(type_);
    case TypeId::kBoolean: return Value::Boolean(data<uint8_t>()[row] != 0);
    case TypeId::kTinyInt: return Value::TinyInt(data<int8_t>()[row]);
    case TypeId::kSmallInt: return Value::SmallInt(data<int16_t>()[row]);
    case TypeId::kInteger: return Value::Integer(data<int32_t>()[row]);
    case TypeId::kBigInt: return Value::BigInt(data<int64_t>()[row]);
    case TypeId::kDouble: return Value::Double(data<double>()[row]);
    case TypeId::kDecimal:
      if (type_.IsWideDecimal()) {
        return Value::Decimal(data<int128_t>()[row], type_.precision(), type_.scale());
      }
      return Value::Decimal(data<int64_t>()[row], type_.precision(), type_.scale());
    case TypeId::kVarchar: return Value::Varchar(data<StringView>()[row].str());
    case TypeId::kBlob: return Value::Blob(data<StringView>()[row].str());
    case TypeId::kDate: return Value::Date(data<int32_t>()[row]);
    case TypeId::kTimestamp: return Value::Timestamp(data<int64_t>()[row]);
    case TypeId::kTime: return Value::Time(data<int64_t>()[row]);
    case TypeId::kTimestampTz: return Value::TimestampTz(data<int64_t>()[row]);
    case TypeId::kInterval: return Value::IntervalValue(data<Interval>()[row]);
    case TypeId::kList:
    case TypeId::kMap: {
      const ListEntry e = list_entries()[row];
      std::vector<Value> elements;
      elements.reserve(e.length);
      for (uint64_t i = 0; i < e.length; i++) elements.push_back(children_[0]->GetValue(e.offset + i));
      return Value::List(type_, std::move(elements));
    }
    case TypeId::kStruct: {
      std::vector<Value> fields;
      for (const auto& c : children_) fields.push_back(c->GetValue(row));
      return Value::Struct(type_, std::move(fields));
    }
  }
  return Value::Null(type_);
}

void Column::SetValue(size_t row, const Value& value) {
  SLUICE_CHECK(row < capacity_, "row={} capacity={}", row, capacity_);
  if (value.is_null()) {
    std::memset(data_ + row * width_, 0, width_);
    SetNull(row);
    if (type_.id() == TypeId::kStruct) {
      for (size_t f = 0; f < children_.size(); f++) {
        children_[f]->SetValue(row, Value::Null(children_[f]->type_));
      }
    }
    return;
  }
  SetValid(row);
  switch (type_.id()) {
    case TypeId::kNull: break;
    case TypeId::kBoolean: data<uint8_t>()[row] = value.GetBool() ? 1 : 0; break;
    case TypeId::kTinyInt: data<int8_t>()[row] = static_cast<int8_t>(value.GetInt()); break;
    case TypeId::kSmallInt: data<int16_t>()[row] = static_cast<int16_t>(value.GetInt()); break;
    case TypeId::kInteger:
    case TypeId::kDate: data<int32_t>()[row] = static_cast<int32_t>(value.GetInt()); break;
    case TypeId::kBigInt:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
    case TypeId::kTime: data<int64_t>()[row] = value.GetInt(); break;
    case TypeId::kDouble: data<double>()[row] = value.GetDouble(); break;
    case TypeId::kDecimal:
      if (type_.IsWideDecimal()) {
        data<int128_t>()[row] = value.GetDecimal();
      } else {
        data<int64_t>()[row] = static_cast<int64_t>(value.GetDecimal());
      }
      break;
    case TypeId::kVarchar:
    case TypeId::kBlob: data<StringView>()[row] = AddString(value.GetString()); break;
    case TypeId::kInterval: data<Interval>()[row] = value.GetInterval(); break;
    case TypeId::kList:
    case TypeId::kMap: {
      Column& elements = *children_[0];
      const auto& values = value.GetChildren();
      const size_t offset = elements.size();
      elements.Reserve(offset + values.size());
      for (size_t i = 0; i < values.size(); i++) elements.SetValue(offset + i, values[i]);
      elements.set_size(offset + values.size());  // a STRUCT child sizes its fields too
      list_entries()[row] = ListEntry{offset, values.size()};
      break;
    }
    case TypeId::kStruct: {
      const auto& values = value.GetChildren();
      SLUICE_CHECK(values.size() == children_.size(), "struct value with {} fields for {}",
                   values.size(), type_.ToString());
      for (size_t f = 0; f < children_.size(); f++) children_[f]->SetValue(row, values[f]);
      break;
    }
  }
}

std::shared_ptr<Column> Column::Gather(const uint32_t* sel, size_t n) const {
  auto out = std::make_shared<Column>(type_, n);
  out->AppendSelected(*this, sel, n);
  return out;
}

void Column::AppendSelected(const Column& other, const uint32_t* sel, size_t n) {
  SLUICE_CHECK(!constant_, "append to a constant column");
  if (type_.IsNested()) [[unlikely]] {
    const bool c = other.constant_;
    return AppendNested(other, n, [&](size_t i) -> size_t { return c ? 0 : sel[i]; });
  }
  Reserve(size_ + n);
  uint8_t* base = data_ + size_ * width_;
  const uint8_t* src_data = other.data_;
  if (other.constant_) {
    for (size_t i = 0; i < n; i++) std::memcpy(base + i * width_, src_data, width_);
  } else {
    switch (width_) {
      case 1:
        for (size_t i = 0; i < n; i++) base[i] = src_data[sel[i]];
        break;
      case 2: {
        auto* dst = reinterpret_cast<uint16_t*>(base);
        const auto* src = other.data<uint16_t>();
        for (size_t i = 0; i < n; i++) dst[i] = src[sel[i]];
        break;
      }
      case 4: {
        auto* dst = reinterpret_cast<uint32_t*>(base);
        const auto* src = other.data<uint32_t>();
        for (size_t i = 0; i < n; i++) dst[i] = src[sel[i]];
        break;
      }
      case 8: {
        auto* dst = reinterpret_cast<uint64_t*>(base);
        const auto* src = other.data<uint64_t>();
        // Gathers from large columns (a join's build side) miss the cache: fetch ahead.
        constexpr size_t kAhead = 16;
        size_t i = 0;
        if (other.size_ > 32768) {
          for (; i + kAhead < n; i++) {
            __builtin_prefetch(src + sel[i + kAhead]);
            dst[i] = src[sel[i]];
          }
        }
        for (; i < n; i++) dst[i] = src[sel[i]];
        break;
      }
      default:
        for (size_t i = 0; i < n; i++) {
          std::memcpy(base + i * width_, src_data + sel[i] * width_, width_);
        }
    }
  }
  if (other.validity_ != nullptr) {
    for (size_t i = 0; i < n; i++) {
      if (other.IsValid(other.constant_ ? 0 : sel[i])) {
        SetValid(size_ + i);
      } else {
        SetNull(size_ + i);
      }
    }
  } else if (validity_ != nullptr) {
    for (size_t i = 0; i < n; i++) SetValid(size_ + i);
  }
  if (type_.IsStringLike()) ShareHeapsOf(other);
  size_ += n;
}

std::shared_ptr<Column> Column::Slice(size_t offset, size_t n) const {
  auto out = std::make_shared<Column>(type_, n);
  out->Append(*this, offset, n);
  return out;
}

ColumnPtr Column::Flatten(const ColumnPtr& self) const {
  if (!constant_) return self;
  std::vector<uint32_t> zeros(size_, 0);
  return Gather(zeros.data(), size_);
}

void Column::Append(const Column& other, size_t offset, size_t n) {
  SLUICE_CHECK(!constant_, "append to a constant column");
  if (type_.IsNested()) [[unlikely]] {
    const bool c = other.constant_;
    return AppendNested(other, n, [&](size_t i) -> size_t { return c ? 0 : offset + i; });
  }
  Reserve(size_ + n);
  if (other.constant_) {
    for (size_t i = 0; i < n; i++) std::memcpy(data_ + (size_ + i) * width_, other.data_, width_);
    if (!other.IsValid(0)) {
      for (size_t i = 0; i < n; i++) SetNull(size_ + i);
    }
  } else {
    std::memcpy(data_ + size_ * width_, other.data_ + offset * width_, n * width_);
    if (other.validity_ != nullptr) {
      for (size_t i = 0; i < n; i++) {
        if (other.IsValid(offset + i)) {
          SetValid(size_ + i);
        } else {
          SetNull(size_ + i);
        }
      }
    }
  }
  if (validity_ != nullptr && (other.validity_ == nullptr)) {
    for (size_t i = 0; i < n; i++) SetValid(size_ + i);
  }
  if (type_.IsStringLike()) ShareHeapsOf(other);
  size_ += n;
}

size_t Column::MemoryBytes() const {
  size_t bytes = capacity_ * width_;
  if (validity_ != nullptr) bytes += ValidityWords(capacity_) * 8;
  if (own_heap_) bytes += own_heap_->bytes();
  for (const auto& c : children_) bytes += c->MemoryBytes();
  return bytes;
}

}  // namespace sluice
