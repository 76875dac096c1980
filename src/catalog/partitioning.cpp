#include "catalog/partitioning.h"

#include <fmt/format.h>

#include <limits>
#include <map>

#include "common/error.h"
#include "common/strings.h"
#include "vector/iceberg_hash.h"

namespace sluice {

namespace {

namespace ib = iceberg;
using Kind = ib::Transform::Kind;

// Which column types each transform takes (the Iceberg spec's table, for the Sluice types
// the transforms are implemented for).
bool Applies(const ib::Transform& t, const LogicalType& type) {
  const TypeId id = type.id();
  switch (t.kind()) {
    case Kind::kIdentity:
      return id != TypeId::kList && id != TypeId::kStruct && id != TypeId::kMap &&
             id != TypeId::kInterval && id != TypeId::kNull;
    case Kind::kBucket:
      return type.IsInteger() || id == TypeId::kDate || id == TypeId::kTimestamp ||
             id == TypeId::kTime || id == TypeId::kVarchar || id == TypeId::kDecimal;
    case Kind::kTruncate:
      return id == TypeId::kInteger || id == TypeId::kBigInt || id == TypeId::kDecimal ||
             id == TypeId::kVarchar;
    case Kind::kYear:
    case Kind::kMonth:
    case Kind::kDay:
      return id == TypeId::kDate || id == TypeId::kTimestamp || id == TypeId::kTimestampTz;
    case Kind::kHour: return id == TypeId::kTimestamp || id == TypeId::kTimestampTz;
    case Kind::kVoid: return true;
  }
  return false;
}

std::string TakesWhat(const ib::Transform& t) {
  switch (t.kind()) {
    case Kind::kBucket: return "integer, DATE, TIME, TIMESTAMP, VARCHAR and DECIMAL columns";
    case Kind::kTruncate: return "INTEGER, BIGINT, DECIMAL and VARCHAR columns";
    case Kind::kYear:
    case Kind::kMonth:
    case Kind::kDay: return "DATE and TIMESTAMP columns";
    case Kind::kHour: return "TIMESTAMP columns";
    default: return "columns of a primitive type";
  }
}

// `column(...)`'s SQL spelling: day(ts), bucket(16, id), truncate(4, name), ts.
std::string SqlOf(const PartitionColumn& f) {
  try {
    const ib::Transform t = ib::Transform::Parse(f.transform);
    switch (t.kind()) {
      case Kind::kIdentity: return f.column;
      case Kind::kBucket:
      case Kind::kTruncate:
        return fmt::format("{}({}, {})", t.kind() == Kind::kBucket ? "bucket" : "truncate",
                           t.param(), f.column);
      default: return fmt::format("{}({})", t.ToString(), f.column);
    }
  } catch (const UserError&) {
    return fmt::format("{}({})", f.transform, f.column);
  }
}

}  // namespace

std::string PartitionKey(const std::vector<Value>& tuple) {
  std::string key;
  for (const auto& v : tuple) {
    if (v.is_null()) {
      key += "N;";
    } else {
      const std::string s = v.ToString();
      key += fmt::format("{}:{};", s.size(), s);
    }
  }
  return key;
}

std::string PartitionFieldError(const Schema& schema, const PartitionColumn& field) {
  const int i = schema.Find(field.column);
  if (i < 0) {
    return fmt::format("partition column \"{}\" is not a column of the table; columns are: {}",
                       field.column, Join(schema.Names(), ", "));
  }
  ib::Transform t = ib::Transform::Identity();
  try {
    t = ib::Transform::Parse(field.transform);
  } catch (const UserError&) {
    return fmt::format("bad partition transform {}: a bucket count and a truncate width must be "
                       "in [1, {}]",
                       SqlOf(field), std::numeric_limits<int32_t>::max());
  }
  const LogicalType& type = schema.field(static_cast<size_t>(i)).type;
  if (t.kind() == Kind::kVoid || !Applies(t, type)) {
    return fmt::format("cannot partition by {}: {} applies to {}, not {}", SqlOf(field),
                       t.kind() == Kind::kIdentity ? "identity" : ib::Transform(t).ToString(),
                       TakesWhat(t), type.ToString());
  }
  return "";
}

std::vector<PartitionColumn> ResolvePartitioning(const Schema& schema,
                                                 const std::vector<PartitionColumn>& fields) {
  std::vector<PartitionColumn> out;
  for (const auto& f : fields) {
    const int i = schema.Find(f.column);
    SLUICE_CHECK(i >= 0, "partition column {} not in {}", f.column, schema.ToString());
    out.push_back({schema.field(static_cast<size_t>(i)).name,
                   ib::Transform::Parse(f.transform).ToString()});
  }
  return out;
}

std::vector<PartitionColumn> KeptPartitioning(const std::vector<PartitionColumn>& current,
                                              const Schema& schema) {
  for (const auto& f : current) {
    if (schema.Find(f.column) < 0) return {};
  }
  return current;
}

std::string PartitionFieldName(const std::string& column, const ib::Transform& t) {
  switch (t.kind()) {
    case Kind::kIdentity: return column;
    case Kind::kBucket: return column + "_bucket";
    case Kind::kTruncate: return column + "_trunc";
    case Kind::kYear: return column + "_year";
    case Kind::kMonth: return column + "_month";
    case Kind::kDay: return column + "_day";
    case Kind::kHour: return column + "_hour";
    case Kind::kVoid: return column + "_null";
  }
  return column;
}

std::string DescribePartitioning(const std::vector<PartitionColumn>& fields) {
  std::vector<std::string> parts;
  for (const auto& f : fields) parts.push_back(SqlOf(f));
  return Join(parts, ", ");
}

PartitionLayout PartitionLayoutOf(const Schema& schema, const std::vector<PartitionColumn>& fields) {
  PartitionLayout layout;
  for (const auto& f : fields) {
    layout.columns.push_back(schema.Find(f.column));
    layout.transforms.push_back(ib::Transform::Parse(f.transform));
  }
  return layout;
}

std::vector<PartitionedRows> SplitIntoPartitions(const Schema& schema,
                                                 const PartitionLayout& layout,
                                                 const Batch& batch) {
  std::vector<PartitionedRows> out;
  std::vector<std::vector<uint32_t>> selections;
  const bool one_bucket_field = layout.columns.size() == 1 && layout.columns[0] >= 0 &&
                                layout.transforms[0].kind() == iceberg::Transform::Kind::kBucket;
  const Column* bucketed =
      one_bucket_field ? batch.column(static_cast<size_t>(layout.columns[0])).get() : nullptr;
  const bool fast = bucketed != nullptr && IcebergHashable(bucketed->type().id());
  if (fast) {
    // A bucketed table's layout: the buckets of a whole column at once, the same values
    // Transform::Apply gives (vector/iceberg_hash.h).
    const int n = layout.transforms[0].param();
    std::vector<int32_t> buckets;
    IcebergBuckets(*bucketed, batch.num_rows(), n, &buckets);
    std::vector<int> slot(static_cast<size_t>(n) + 1, -1);  // by bucket + 1 (NULL first)
    for (size_t r = 0; r < batch.num_rows(); r++) {
      int& s = slot[static_cast<size_t>(buckets[r] + 1)];
      if (s < 0) {
        s = static_cast<int>(out.size());
        out.push_back(
            {{buckets[r] < 0 ? Value::Null(TypeId::kInteger) : Value::Integer(buckets[r])},
             Batch{}});
        selections.emplace_back();
      }
      selections[static_cast<size_t>(s)].push_back(static_cast<uint32_t>(r));
    }
  }
  std::map<std::string, size_t> index;
  std::vector<Value> tuple(layout.columns.size());
  for (size_t r = 0; !fast && r < batch.num_rows(); r++) {
    for (size_t f = 0; f < layout.columns.size(); f++) {
      const int c = layout.columns[f];
      SLUICE_CHECK(c >= 0, "partition field {} has no column", f);
      tuple[f] = layout.transforms[f].Apply(batch.column(static_cast<size_t>(c))->GetValue(r));
    }
    auto [it, added] = index.emplace(PartitionKey(tuple), out.size());
    if (added) {
      out.push_back({tuple, Batch{}});
      selections.emplace_back();
    }
    selections[it->second].push_back(static_cast<uint32_t>(r));
  }
  for (size_t p = 0; p < out.size(); p++) {
    BatchBuilder builder(schema, selections[p].size());
    builder.AppendSelected(batch, selections[p].data(), selections[p].size());
    out[p].rows = builder.Finish();
  }
  return out;
}

}  // namespace sluice
