#include "shuffle/batch_serde.h"

#include <cstring>
#include <vector>

#include "common/error.h"

namespace sluice {

namespace {

size_t ValidityBytes(size_t rows) { return (rows + 63) / 64 * 8; }

template <typename T>
void Put(std::string* out, T v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof(T));
}

// Reads from a bounds-checked cursor over the encoded bytes.
class Reader {
 public:
  Reader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  const uint8_t* Take(size_t n) {
    SLUICE_CHECK(pos_ + n <= size_, "truncated batch encoding: need {} at {} of {}", n, pos_,
                 size_);
    const uint8_t* p = data_ + pos_;
    pos_ += n;
    return p;
  }
  template <typename T>
  T Get() {
    T v;
    std::memcpy(&v, Take(sizeof(T)), sizeof(T));
    return v;
  }
  bool done() const { return pos_ == size_; }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

void SerializeColumn(const Column& col, size_t rows, std::string* out) {
  const LogicalType& type = col.type();
  const size_t width = static_cast<size_t>(type.PhysicalSize());
  const bool nulls = col.validity() != nullptr && (col.is_constant() ? !col.IsValid(0)
                                                                       : col.HasNulls());
  Put<uint8_t>(out, static_cast<uint8_t>(type.id()));
  Put<uint8_t>(out, nulls ? 1 : 0);
  if (nulls) {
    if (col.is_constant()) {
      out->append(ValidityBytes(rows), '\0');  // a NULL constant: every row NULL
    } else {
      out->append(reinterpret_cast<const char*>(col.validity()), ValidityBytes(rows));
    }
  }
  auto row_of = [&](size_t i) { return col.is_constant() ? 0 : i; };
  if (type.HasListLayout()) {
    // Lengths, then the elements of every row in order as one child column.
    std::vector<uint32_t> sel;
    for (size_t i = 0; i < rows; i++) {
      const ListEntry e = col.list_entries()[row_of(i)];
      const uint64_t length = col.IsValid(row_of(i)) ? e.length : 0;
      Put<uint64_t>(out, length);
      for (uint64_t j = 0; j < length; j++) sel.push_back(static_cast<uint32_t>(e.offset + j));
    }
    SerializeColumn(*col.child(0).Gather(sel.data(), sel.size()), sel.size(), out);
    return;
  }
  if (type.id() == TypeId::kStruct) {
    std::vector<uint32_t> sel(rows);
    for (size_t i = 0; i < rows; i++) sel[i] = static_cast<uint32_t>(row_of(i));
    for (size_t f = 0; f < col.num_children(); f++) {
      SerializeColumn(*col.child(f).Gather(sel.data(), rows), rows, out);
    }
    return;
  }
  if (type.IsStringLike()) {
    const auto* views = col.data<StringView>();
    for (size_t i = 0; i < rows; i++) {
      Put<uint32_t>(out, col.IsValid(row_of(i)) ? views[row_of(i)].size() : 0);
    }
    for (size_t i = 0; i < rows; i++) {
      if (col.IsValid(row_of(i))) out->append(views[row_of(i)].view());
    }
    return;
  }
  if (!col.is_constant()) {
    out->append(reinterpret_cast<const char*>(col.raw_data()), rows * width);
    return;
  }
  for (size_t i = 0; i < rows; i++) {
    out->append(reinterpret_cast<const char*>(col.raw_data()), width);
  }
}

ColumnPtr DeserializeColumn(Reader* in, const LogicalType& type, size_t rows) {
  const auto id = in->Get<uint8_t>();
  SLUICE_CHECK(id == static_cast<uint8_t>(type.id()), "spilled column type {} expected {}",
               static_cast<int>(id), static_cast<int>(type.id()));
  const bool nulls = in->Get<uint8_t>() != 0;
  auto col = Column::Make(type, rows);
  col->set_size(rows);
  if (nulls) std::memcpy(col->MutableValidity(), in->Take(ValidityBytes(rows)), ValidityBytes(rows));
  if (type.HasListLayout()) {
    uint64_t offset = 0;
    for (size_t i = 0; i < rows; i++) {
      const auto length = in->Get<uint64_t>();
      col->list_entries()[i] = ListEntry{offset, length};
      offset += length;
    }
    col->set_child(0, std::const_pointer_cast<Column>(
                          DeserializeColumn(in, type.ListChild(), static_cast<size_t>(offset))));
    return col;
  }
  if (type.id() == TypeId::kStruct) {
    for (size_t f = 0; f < type.StructFields().size(); f++) {
      col->set_child(f, std::const_pointer_cast<Column>(
                            DeserializeColumn(in, type.StructFields()[f].type, rows)));
    }
    return col;
  }
  if (type.IsStringLike()) {
    const uint8_t* lengths = in->Take(rows * sizeof(uint32_t));
    size_t long_bytes = 0;
    for (size_t i = 0; i < rows; i++) {
      uint32_t len;
      std::memcpy(&len, lengths + i * 4, 4);
      if (len > StringView::kInlineSize) long_bytes += len;
    }
    // One heap allocation for all long strings of the column.
    char* heap = long_bytes > 0 ? col->OwnHeap().Allocate(long_bytes) : nullptr;
    auto* views = col->data<StringView>();
    for (size_t i = 0; i < rows; i++) {
      uint32_t len;
      std::memcpy(&len, lengths + i * 4, 4);
      const char* bytes = reinterpret_cast<const char*>(in->Take(len));
      if (len > StringView::kInlineSize) {
        std::memcpy(heap, bytes, len);
        views[i] = StringView(heap, len);
        heap += len;
      } else {
        views[i] = StringView(bytes, len);
      }
    }
    return col;
  }
  const size_t bytes = rows * static_cast<size_t>(type.PhysicalSize());
  std::memcpy(col->raw_data(), in->Take(bytes), bytes);
  return col;
}

}  // namespace

void SerializeBatch(const Batch& batch, std::string* out) {
  const size_t rows = batch.num_rows();
  Put<uint32_t>(out, static_cast<uint32_t>(rows));
  Put<uint32_t>(out, static_cast<uint32_t>(batch.num_columns()));
  for (const auto& c : batch.columns()) SerializeColumn(*c, rows, out);
}

Batch DeserializeBatch(const uint8_t* data, size_t size, const std::vector<LogicalType>& types) {
  Reader in(data, size);
  const auto rows = in.Get<uint32_t>();
  const auto columns = in.Get<uint32_t>();
  SLUICE_CHECK(columns == types.size(), "spilled batch has {} columns, expected {}", columns,
               types.size());
  std::vector<ColumnPtr> out;
  out.reserve(columns);
  for (const auto& t : types) out.push_back(DeserializeColumn(&in, t, rows));
  SLUICE_CHECK(in.done(), "trailing bytes after a spilled batch");
  return Batch(std::move(out), rows);
}

}  // namespace sluice
