#include "catalog/partition_spec.h"

#include <algorithm>
#include <string>

#include "catalog/partitioning.h"
#include "common/error.h"

namespace sluice {

namespace ib = iceberg;

namespace {

bool SameFields(const ib::PartitionSpec& a, const ib::PartitionSpec& b) {
  if (a.fields.size() != b.fields.size()) return false;
  for (size_t i = 0; i < a.fields.size(); i++) {
    if (a.fields[i].source_id != b.fields[i].source_id || !(a.fields[i].transform == b.fields[i].transform)) {
      return false;
    }
  }
  return true;
}

}  // namespace

ib::PartitionSpec PartitionSpecOf(const std::vector<PartitionColumn>& fields, const Schema& columns,
                                  const std::vector<int32_t>& field_ids, int spec_id,
                                  const std::vector<ib::PartitionSpec>& specs, int* last_partition_id) {
  ib::PartitionSpec spec;
  spec.spec_id = spec_id;
  for (const auto& f : fields) {
    const int i = columns.Find(f.column);
    SLUICE_CHECK(i >= 0, "partition column {} is not in {}", f.column, columns.ToString());
    ib::PartitionField field;
    field.source_id = field_ids.at(static_cast<size_t>(i));
    field.transform = ib::Transform::Parse(f.transform);
    field.name = PartitionFieldName(columns.field(static_cast<size_t>(i)).name, field.transform);
    // Names are unique within a spec: bucket(4, id) beside bucket(8, id) is id_bucket_8.
    for (const auto& other : spec.fields) {
      if (other.name == field.name) field.name += "_" + std::to_string(field.transform.param());
    }
    for (const auto& s : specs) {
      for (const auto& old : s.fields) {
        if (old.source_id == field.source_id && old.transform == field.transform) field.field_id = old.field_id;
      }
    }
    if (field.field_id == 0) field.field_id = ++*last_partition_id;
    spec.fields.push_back(std::move(field));
  }
  return spec;
}

void SetDefaultPartitionSpec(ib::TableMetadata& m, const Snapshot& next) {
  int last = m.last_partition_id;
  ib::PartitionSpec wanted = PartitionSpecOf(next.buckets.partition_by, next.schema, next.field_ids,
                                             0, m.partition_specs, &last);
  if (SameFields(wanted, m.default_spec())) return;
  for (const auto& spec : m.partition_specs) {
    if (SameFields(wanted, spec)) {
      m.default_spec_id = spec.spec_id;
      return;
    }
  }
  int highest = 0;
  for (const auto& spec : m.partition_specs) highest = std::max(highest, spec.spec_id);
  wanted.spec_id = highest + 1;
  m.last_partition_id = last;
  m.default_spec_id = wanted.spec_id;
  m.partition_specs.push_back(std::move(wanted));
}

std::vector<PartitionColumn> PartitionColumnsOf(const ib::TableMetadata& m, const ib::PartitionSpec& spec) {
  std::vector<PartitionColumn> out;
  for (const auto& f : spec.fields) {
    const ib::NestedField* source = m.current_schema().FindField(f.source_id);
    out.push_back({source != nullptr ? source->name : "", f.transform.ToString()});
  }
  return out;
}

}  // namespace sluice
