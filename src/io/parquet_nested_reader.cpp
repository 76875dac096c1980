#include "io/parquet_nested_reader.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/error.h"
#include "io/json_tokenizer.h"
#include "io/json_writer.h"

namespace sluice {

namespace {

using Kind = ParquetNestedNode::Kind;

// Entries buffered per leaf at a time, at least.
constexpr size_t kChunkEntries = 4096;

size_t RowStarts(const std::vector<uint8_t>& reps, size_t from) {
  return static_cast<size_t>(
      std::count(reps.begin() + static_cast<std::ptrdiff_t>(from), reps.end(), 0));
}

}  // namespace

ParquetNestedReader::ParquetNestedReader(const FileReader& file, const ParquetColumn& column,
                                         const std::vector<ParquetLeaf>& leaves,
                                         const parquet::RowGroup& group)
    : file_(file), column_(column), rows_left_(group.num_rows) {
  entries_.resize(static_cast<size_t>(column.num_leaves));
  for (int l = 0; l < column.num_leaves; l++) {
    const int index = column.first_leaf + l;
    const parquet::ColumnMetaData& meta = *group.columns[index].meta_data;
    LeafEntries& e = entries_[l];
    e.leaf = &leaves[index];
    if (meta.num_values < 0)
      Fail(fmt::format("leaf '{}' has a negative value count", e.leaf->name));
    e.reader = std::make_unique<ParquetColumnReader>(file, *e.leaf, meta, meta.num_values);
    e.unread = meta.num_values;
  }
}

ParquetNestedReader::~ParquetNestedReader() = default;

void ParquetNestedReader::Fail(const std::string& message) const {
  throw IOError(
      fmt::format("Parquet file '{}' column '{}': {}", file_.path(), column_.name, message));
}

void ParquetNestedReader::Buffer(LeafEntries& e, size_t count) {
  auto values = Column::Make(e.leaf->type, count);
  const size_t at = e.reps.size();
  e.reps.resize(at + count);
  e.defs.resize(at + count);
  e.reader->ReadLevels(count, values.get(), e.reps.data() + at, e.defs.data() + at);
  if (column_.type.IsNested()) {
    for (size_t i = 0; i < count; i++) {
      e.values.push_back(e.defs[at + i] == e.leaf->max_def ? values->GetValue(i)
                                                           : Value::Null(e.leaf->type));
      e.ends.push_back(0);
    }
    e.unread -= static_cast<int64_t>(count);
    return;
  }
  for (size_t i = 0; i < count; i++) {
    if (e.defs[at + i] == e.leaf->max_def) AppendJsonValue(*values, i, &e.text);
    if (e.text.size() > UINT32_MAX) Fail("a row group's nested values exceed 4 GiB");
    e.ends.push_back(static_cast<uint32_t>(e.text.size()));
  }
  e.unread -= static_cast<int64_t>(count);
}

void ParquetNestedReader::Fill(LeafEntries& e, size_t rows) {
  size_t starts = RowStarts(e.reps, e.cursor);
  // Row `rows - 1` is complete once row `rows` starts (or the chunk ends).
  while (starts <= rows && e.unread > 0) {
    const size_t before = e.reps.size();
    Buffer(e, static_cast<size_t>(std::min<int64_t>(e.unread, std::max(kChunkEntries, rows))));
    starts += RowStarts(e.reps, before);
  }
}

void ParquetNestedReader::Compact(LeafEntries& e) {
  if (e.cursor == 0) return;
  const uint32_t consumed = e.ends[e.cursor - 1];
  const auto n = static_cast<std::ptrdiff_t>(e.cursor);
  e.reps.erase(e.reps.begin(), e.reps.begin() + n);
  e.defs.erase(e.defs.begin(), e.defs.begin() + n);
  e.ends.erase(e.ends.begin(), e.ends.begin() + n);
  if (!e.values.empty()) e.values.erase(e.values.begin(), e.values.begin() + n);
  for (uint32_t& end : e.ends) end -= consumed;
  e.text.erase(0, consumed);
  e.cursor = 0;
}

ParquetNestedReader::LeafEntries& ParquetNestedReader::First(const ParquetNestedNode& node) {
  LeafEntries& e = entries_[static_cast<size_t>(node.leaf_begin)];
  if (e.cursor >= e.reps.size())
    Fail(fmt::format("levels of leaf '{}' end inside a row", e.leaf->name));
  return e;
}

void ParquetNestedReader::Skip(const ParquetNestedNode& node) {
  for (int l = node.leaf_begin; l < node.leaf_end; l++) {
    LeafEntries& e = entries_[static_cast<size_t>(l)];
    if (e.cursor >= e.reps.size())
      Fail(fmt::format("levels of leaf '{}' end inside a row", e.leaf->name));
    e.cursor++;
  }
}

void ParquetNestedReader::Emit(const ParquetNestedNode& node, std::string* out) {
  LeafEntries& first = First(node);
  const int def = first.defs[first.cursor];
  if (def < node.def) {
    out->append("null");
    Skip(node);
    return;
  }
  switch (node.kind) {
    case Kind::kLeaf: {
      const uint32_t begin = first.cursor == 0 ? 0 : first.ends[first.cursor - 1];
      const uint32_t end = first.ends[first.cursor];
      if (begin == end) Fail(fmt::format("leaf '{}' has a value missing", first.leaf->name));
      out->append(first.text, begin, end - begin);
      first.cursor++;
      return;
    }
    case Kind::kStruct:
      out->push_back('{');
      for (size_t i = 0; i < node.children.size(); i++) {
        if (i > 0) out->push_back(',');
        AppendJsonString(node.children[i].name, out);
        out->push_back(':');
        Emit(node.children[i], out);
      }
      out->push_back('}');
      return;
    case Kind::kList:
    case Kind::kMap:
      break;
  }
  const bool map = node.kind == Kind::kMap;
  if (def < node.elements_def) {
    out->append(map ? "{}" : "[]");
    Skip(node);
    return;
  }
  out->push_back(map ? '{' : '[');
  for (bool first_element = true;; first_element = false) {
    if (!first_element) out->push_back(',');
    if (map) {
      // JSON keys are strings: a key that is not one is quoted as its JSON text.
      std::string key;
      Emit(node.children[0], &key);
      if (key.empty() || key[0] != '"') {
        AppendJsonString(key, out);
      } else {
        out->append(key);
      }
      out->push_back(':');
      if (node.children.size() > 1) {
        Emit(node.children[1], out);
      } else {
        out->append("null");
      }
    } else {
      Emit(node.children[0], out);
    }
    if (first.cursor >= first.reps.size() || first.reps[first.cursor] != node.rep) break;
  }
  out->push_back(map ? '}' : ']');
}

Value ParquetNestedReader::EmitValue(const ParquetNestedNode& node, const LogicalType& type) {
  LeafEntries& first = First(node);
  const int def = first.defs[first.cursor];
  if (def < node.def) {
    Skip(node);
    return Value::Null(type);
  }
  switch (node.kind) {
    case Kind::kLeaf: {
      Value v = std::move(first.values[first.cursor]);
      if (v.is_null() && def == first.leaf->max_def) {
        Fail(fmt::format("leaf '{}' has a value missing", first.leaf->name));
      }
      first.cursor++;
      return v;
    }
    case Kind::kStruct: {
      std::vector<Value> fields;
      for (size_t i = 0; i < node.children.size(); i++) {
        fields.push_back(EmitValue(node.children[i], type.StructFields()[i].type));
      }
      return Value::Struct(type, std::move(fields));
    }
    case Kind::kList:
    case Kind::kMap:
      break;
  }
  if (def < node.elements_def) {
    Skip(node);
    return Value::List(type, {});
  }
  std::vector<Value> elements;
  do {
    if (node.kind == Kind::kMap) {  // an entry: the key and value fields of the repeated group
      elements.push_back(Value::Struct(type.ListChild(),
                                       {EmitValue(node.children[0], type.MapKey()),
                                        EmitValue(node.children[1], type.MapValue())}));
    } else {
      elements.push_back(EmitValue(node.children[0], type.ListChild()));
    }
  } while (first.cursor < first.reps.size() && first.reps[first.cursor] == node.rep);
  return Value::List(type, std::move(elements));
}

void ParquetNestedReader::Read(size_t n, Column* out) {
  SLUICE_CHECK(static_cast<int64_t>(n) <= rows_left_, "n={} rows_left={}", n, rows_left_);
  for (LeafEntries& e : entries_) Fill(e, n);
  const ParquetNestedNode& root = *column_.nested;
  auto* dst = out->type().IsNested() ? nullptr : out->data<StringView>();
  for (size_t r = 0; r < n; r++) {
    for (const LeafEntries& e : entries_) {
      if (e.cursor >= e.reps.size()) {
        Fail(fmt::format("leaf '{}' ends {} rows before the row group does", e.leaf->name,
                         rows_left_ - static_cast<int64_t>(r)));
      }
      if (e.reps[e.cursor] != 0) {
        Fail(fmt::format("levels of leaf '{}' do not line up with the other leaves", e.leaf->name));
      }
    }
    LeafEntries& first = First(root);
    if (out->type().IsNested()) {
      out->SetValue(r, EmitValue(root, out->type()));
      continue;
    }
    if (first.defs[first.cursor] < root.def) {
      dst[r] = StringView();
      out->SetNull(r);
      Skip(root);
      continue;
    }
    row_.clear();
    Emit(root, &row_);
    dst[r] = out->AddString(row_);
  }
  for (LeafEntries& e : entries_) Compact(e);
  rows_left_ -= static_cast<int64_t>(n);
  if (rows_left_ == 0) {
    for (const LeafEntries& e : entries_) {
      if (e.cursor < e.reps.size() || e.unread > 0) {
        Fail(fmt::format("leaf '{}' has more levels than the row group has rows", e.leaf->name));
      }
    }
  }
  out->set_size(n);
}

}  // namespace sluice
