#include "io/parquet_nested_writer.h"

#include "common/error.h"
#include "io/parquet_schema.h"

namespace sluice {

namespace {

using parquet::Repetition;

// The schema element of a primitive column of `type` (what ParquetSchemaFor writes).
parquet::SchemaElement LeafElement(const std::string& name, const LogicalType& type) {
  Schema one;
  one.Add(Field{name, type});
  return ParquetSchemaFor(one)[1];
}

int LeafCount(const LogicalType& type) {
  if (type.id() == TypeId::kList) return LeafCount(type.ListChild());
  if (type.id() == TypeId::kMap) return LeafCount(type.MapKey()) + LeafCount(type.MapValue());
  if (type.id() == TypeId::kStruct) {
    int n = 0;
    for (const auto& f : type.StructFields()) n += LeafCount(f.type);
    return n;
  }
  return 1;
}

// Makes the leaves of `type` (a column or a field at `path`) with their level maxima.
// Every node is optional but a map's key (`required`).
void MakeLeaves(const LogicalType& type, std::vector<std::string> path, int16_t def,
                int16_t rep, std::vector<ParquetShreddedLeaf>* out, bool required = false) {
  const int16_t d = static_cast<int16_t>(required ? def : def + 1);
  if (type.id() == TypeId::kMap) {  // group (MAP) / repeated group key_value / key, value
    path.push_back("key_value");
    const auto d1 = static_cast<int16_t>(d + 1);
    const auto r1 = static_cast<int16_t>(rep + 1);
    std::vector<std::string> key = path, value = path;
    key.push_back("key");
    value.push_back("value");
    MakeLeaves(type.MapKey(), key, d1, r1, out, true);
    MakeLeaves(type.MapValue(), value, d1, r1, out);
    return;
  }
  if (type.id() == TypeId::kList) {
    path.push_back("list");
    path.push_back("element");
    MakeLeaves(type.ListChild(), path, static_cast<int16_t>(d + 1),
               static_cast<int16_t>(rep + 1), out);
    return;
  }
  if (type.id() == TypeId::kStruct) {
    for (const auto& f : type.StructFields()) {
      std::vector<std::string> p = path;
      p.push_back(f.name);
      MakeLeaves(f.type, p, d, rep, out);
    }
    return;
  }
  ParquetShreddedLeaf leaf;
  leaf.element = LeafElement(path.back(), type);
  leaf.path = std::move(path);
  leaf.max_def = d;
  leaf.max_rep = rep;
  leaf.values = Column::Make(type, 64);
  out->push_back(std::move(leaf));
}

// Walks nested values row by row and appends each leaf's (repetition, definition, value)
// entries: Dremel's striping.
class Shredder {
 public:
  explicit Shredder(std::vector<ParquetShreddedLeaf>* leaves) : leaves_(*leaves) {}

  // Row `row` of `c`, whose ancestors are present up to definition level `def`; `rep` is
  // the repetition level of this entry, `depth` the number of repeated ancestors.
  // A `required` node (a map's key) adds no definition level.
  void Emit(const Column& c, size_t row, uint32_t rep, uint32_t def, uint32_t depth,
            size_t first_leaf, bool required = false) {
    const LogicalType& type = c.type();
    if (!c.IsValid(row)) return Absent(type, rep, def, first_leaf);
    const uint32_t d = required ? def : def + 1;
    switch (type.id()) {
      case TypeId::kMap: {
        const ListEntry e = c.list_entries()[row];
        if (e.length == 0) return Absent(type, rep, d, first_leaf);
        const Column& entries = c.child(0);
        const size_t value_leaf = first_leaf + static_cast<size_t>(LeafCount(type.MapKey()));
        for (uint64_t j = 0; j < e.length; j++) {
          const uint32_t r = j == 0 ? rep : depth + 1;
          Emit(entries.child(0), e.offset + j, r, d + 1, depth + 1, first_leaf, true);
          Emit(entries.child(1), e.offset + j, r, d + 1, depth + 1, value_leaf);
        }
        return;
      }
      case TypeId::kList: {
        const ListEntry e = c.list_entries()[row];
        if (e.length == 0) return Absent(type, rep, d, first_leaf);
        for (uint64_t j = 0; j < e.length; j++) {
          Emit(c.child(0), e.offset + j, j == 0 ? rep : depth + 1, d + 1, depth + 1, first_leaf);
        }
        return;
      }
      case TypeId::kStruct: {
        size_t leaf = first_leaf;
        for (size_t f = 0; f < c.num_children(); f++) {
          Emit(c.child(f), row, rep, d, depth, leaf);
          leaf += static_cast<size_t>(LeafCount(c.child(f).type()));
        }
        return;
      }
      default: {
        ParquetShreddedLeaf& leaf = leaves_[first_leaf];
        leaf.reps.push_back(rep);
        leaf.defs.push_back(d);
        leaf.values->Append(c, row, 1);
        return;
      }
    }
  }

 private:
  // A NULL (or empty list) at definition level `def`: one entry in each leaf beneath.
  void Absent(const LogicalType& type, uint32_t rep, uint32_t def, size_t first_leaf) {
    const int n = LeafCount(type);
    for (int l = 0; l < n; l++) {
      ParquetShreddedLeaf& leaf = leaves_[first_leaf + static_cast<size_t>(l)];
      leaf.reps.push_back(rep);
      leaf.defs.push_back(def);
      const size_t at = leaf.values->size();
      leaf.values->Reserve(at + 1);
      leaf.values->SetValue(at, Value::Null(leaf.values->type()));
      leaf.values->set_size(at + 1);
    }
  }

  std::vector<ParquetShreddedLeaf>& leaves_;
};

}  // namespace

void AppendNestedSchemaElements(const std::string& name, const LogicalType& type,
                                std::optional<int32_t> field_id,
                                std::vector<parquet::SchemaElement>* out) {
  if (!type.IsNested()) {
    parquet::SchemaElement e = LeafElement(name, type);
    e.field_id = field_id;
    out->push_back(std::move(e));
    return;
  }
  parquet::SchemaElement group;
  group.name = name;
  group.repetition = Repetition::kOptional;
  group.field_id = field_id;
  if (type.id() == TypeId::kList) {
    group.num_children = 1;
    group.converted_type = parquet::ConvertedType::kList;
    group.logical_type.kind = parquet::LogicalTypeInfo::kList;
    out->push_back(std::move(group));
    parquet::SchemaElement repeated;
    repeated.name = "list";
    repeated.repetition = Repetition::kRepeated;
    repeated.num_children = 1;
    out->push_back(std::move(repeated));
    AppendNestedSchemaElements("element", type.ListChild(), std::nullopt, out);
    return;
  }
  if (type.id() == TypeId::kMap) {  // the standard layout DuckDB, Spark and Arrow write
    group.num_children = 1;
    group.converted_type = parquet::ConvertedType::kMap;
    group.logical_type.kind = parquet::LogicalTypeInfo::kMap;
    out->push_back(std::move(group));
    parquet::SchemaElement key_value;
    key_value.name = "key_value";
    key_value.repetition = Repetition::kRepeated;
    key_value.num_children = 2;
    out->push_back(std::move(key_value));
    const size_t key_at = out->size();
    AppendNestedSchemaElements("key", type.MapKey(), std::nullopt, out);
    (*out)[key_at].repetition = Repetition::kRequired;
    AppendNestedSchemaElements("value", type.MapValue(), std::nullopt, out);
    return;
  }
  group.num_children = static_cast<int32_t>(type.StructFields().size());
  out->push_back(std::move(group));
  for (const auto& f : type.StructFields()) {
    AppendNestedSchemaElements(f.name, f.type, std::nullopt, out);
  }
}

std::vector<ParquetShreddedLeaf> ShredNestedColumn(const std::vector<Batch>& batches,
                                                   int column, const std::string& name) {
  const LogicalType& type = batches.at(0).column(column)->type();
  std::vector<ParquetShreddedLeaf> leaves;
  MakeLeaves(type, {name}, 0, 0, &leaves);
  Shredder shredder(&leaves);
  for (const Batch& batch : batches) {
    const ColumnPtr& ptr = batch.column(column);
    const ColumnPtr flat = ptr->Flatten(ptr);
    for (size_t r = 0; r < batch.num_rows(); r++) shredder.Emit(*flat, r, 0, 0, 0, 0);
  }
  return leaves;
}

}  // namespace sluice
