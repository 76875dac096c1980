#pragma once

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "types/logical_type.h"
#include "types/string_view.h"
#include "types/value.h"
#include "vector/string_heap.h"

namespace sluice {

class Column;

// One row of a LIST column: its elements are rows [offset, offset + length) of the child.
struct ListEntry {
  uint64_t offset = 0;
  uint64_t length = 0;
};

// Columns are immutable once published in a Batch, so they are shared, not copied.
using ColumnPtr = std::shared_ptr<const Column>;

// One column of values of one LogicalType: a typed data buffer (see LogicalType for the
// physical layout), a validity bitmap (bit set = valid; absent = no NULLs), and for VARCHAR
// the heaps that long strings point into.
//
// Nested types have child columns: a LIST column's data is one ListEntry per row into its one
// child column of elements; a STRUCT column has only validity and one child per field, each
// as long as the struct column (a NULL struct has NULL fields).
//
// A *constant* column holds one value that stands for all size() rows (a literal, a
// broadcast scalar); kernels treat it specially instead of expanding it.
class Column {
 public:
  // A flat column with room for `capacity` values, size 0, no NULLs.
  Column(LogicalType type, size_t capacity);
  ~Column();
  Column(const Column&) = delete;
  Column& operator=(const Column&) = delete;

  static std::shared_ptr<Column> Make(LogicalType type, size_t capacity) {
    return std::make_shared<Column>(type, capacity);
  }
  // A constant column of `size` rows all equal to `value` (which may be NULL).
  static std::shared_ptr<Column> MakeConstant(const LogicalType& type, const Value& value,
                                              size_t size);

  const LogicalType& type() const { return type_; }
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }
  bool is_constant() const { return constant_; }

  // Sets the row count. REQUIRES: size <= capacity() (or any size for a constant column).
  void set_size(size_t size) {
    SLUICE_CHECK(constant_ || size <= capacity_, "size={} capacity={}", size, capacity_);
    size_ = size;
    if (type_.id() == TypeId::kStruct) [[unlikely]] SetFieldSizes();
  }
  // Grows the buffers to hold at least `capacity` values (keeping contents).
  void Reserve(size_t capacity);

  template <typename T>
  T* data() {
    return reinterpret_cast<T*>(data_);
  }
  template <typename T>
  const T* data() const {
    return reinterpret_cast<const T*>(data_);
  }
  uint8_t* raw_data() { return data_; }
  const uint8_t* raw_data() const { return data_; }

  // Validity. For a constant column only row 0 is stored.
  const uint64_t* validity() const { return validity_; }
  bool IsValid(size_t row) const {
    if (validity_ == nullptr) return true;
    if (constant_) row = 0;
    return (validity_[row >> 6] >> (row & 63)) & 1;
  }
  bool IsNull(size_t row) const { return !IsValid(row); }
  // Allocates the bitmap (all valid) if absent and returns it.
  uint64_t* MutableValidity();
  void SetNull(size_t row) { MutableValidity()[row >> 6] &= ~(uint64_t{1} << (row & 63)); }
  void SetValid(size_t row) {
    if (validity_ != nullptr) validity_[row >> 6] |= uint64_t{1} << (row & 63);
  }
  // True when some row is NULL (scans the bitmap).
  bool HasNulls() const;
  size_t CountNulls() const;

  // VARCHAR: makes a view of `s`, copying bytes into this column's heap when longer than 12.
  StringView AddString(std::string_view s);
  // Keeps the heaps of `other` alive as long as this column, so views copied from `other`
  // stay valid.
  void ShareHeapsOf(const Column& other);
  StringHeap& OwnHeap();

  // Child columns of LIST (one: the elements) and STRUCT (one per field).
  size_t num_children() const { return children_.size(); }
  const Column& child(size_t i) const { return *children_[i]; }
  Column& mutable_child(size_t i) { return *children_[i]; }
  const std::shared_ptr<Column>& child_ptr(size_t i) const { return children_[i]; }
  // Replaces child i. REQUIRES: `column` has the child type (and for STRUCT, this size).
  void set_child(size_t i, std::shared_ptr<Column> column) { children_[i] = std::move(column); }
  // LIST: each row's entry into child(0). A builder appends elements to mutable_child(0) and
  // then writes the row's entry.
  ListEntry* list_entries() { return data<ListEntry>(); }
  const ListEntry* list_entries() const { return data<ListEntry>(); }

  // Slow-path element access (tests, literals, show()).
  Value GetValue(size_t row) const;
  // Writes `value` (already of this column's type, or NULL) at `row`. REQUIRES row < capacity.
  void SetValue(size_t row, const Value& value);

  // New flat columns with the rows sel[0..n) / [offset, offset+n) of this one.
  std::shared_ptr<Column> Gather(const uint32_t* sel, size_t n) const;
  std::shared_ptr<Column> Slice(size_t offset, size_t n) const;
  // A flat copy of a constant column (or this column itself if already flat).
  ColumnPtr Flatten(const ColumnPtr& self) const;
  // Appends rows [offset, offset+n) of `other` (same type) at the end of this column.
  void Append(const Column& other, size_t offset, size_t n);
  // Appends rows sel[0..n) of `other` (same type) at the end of this column.
  void AppendSelected(const Column& other, const uint32_t* sel, size_t n);

  // Bytes held (data, validity, own string heap), for memory accounting and statistics.
  size_t MemoryBytes() const;

 private:
  void SetFieldSizes();
  // Zeroes the data of rows [from, capacity()).
  void ZeroData(size_t from);
  // Append and AppendSelected for LIST and STRUCT: rows row_of(0..n) of `other`.
  template <typename RowOf>
  void AppendNested(const Column& other, size_t n, RowOf row_of);

  LogicalType type_;
  int width_;
  size_t size_ = 0;
  size_t capacity_ = 0;
  bool constant_ = false;
  uint8_t* data_ = nullptr;
  uint64_t* validity_ = nullptr;
  std::shared_ptr<StringHeap> own_heap_;
  std::vector<std::shared_ptr<StringHeap>> shared_heaps_;  // heaps of columns we point into
  std::vector<std::shared_ptr<Column>> children_;          // LIST and STRUCT only
};

}  // namespace sluice
