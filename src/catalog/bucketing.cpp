#include "catalog/bucketing.h"

#include <fmt/format.h>

#include "catalog/partitioning.h"
#include "common/error.h"
#include "common/strings.h"
#include "iceberg/transform.h"
#include "vector/column_hash.h"
#include "vector/iceberg_hash.h"

namespace sluice {

BucketSpec ResolveBucketSpec(const Schema& schema, const BucketSpec& spec,
                             const std::string& table) {
  if (spec.num_buckets < 1 || spec.num_buckets > kMaxBuckets) {
    throw InvalidInputError(fmt::format("table \"{}\": the bucket count must be in [1, {}], got {}",
                                        table, kMaxBuckets, spec.num_buckets));
  }
  if (spec.columns.empty()) {
    throw InvalidInputError(
        fmt::format("table \"{}\": bucketing needs at least one column", table));
  }
  BucketSpec resolved;
  resolved.num_buckets = spec.num_buckets;
  for (const auto& name : spec.columns) {
    const int i = schema.Find(name);
    if (i < 0) {
      throw BindError(
          fmt::format("bucket column \"{}\" is not a column of table \"{}\"; "
                      "columns are: {}",
                      name, table, Join(schema.Names(), ", ")));
    }
    const std::string& column = schema.field(static_cast<size_t>(i)).name;
    for (const auto& seen : resolved.columns) {
      if (seen == column) {
        throw BindError(
            fmt::format("bucket column \"{}\" of table \"{}\" is listed twice", column, table));
      }
    }
    resolved.columns.push_back(column);
  }
  return resolved;
}

std::vector<int> BucketColumnIndices(const Schema& schema, const BucketSpec& spec) {
  std::vector<int> indices;
  for (const auto& name : spec.columns) {
    const int i = schema.Find(name);
    SLUICE_CHECK(i >= 0, "bucket column {} not in schema {}", name, schema.ToString());
    indices.push_back(i);
  }
  return indices;
}

std::vector<std::vector<Batch>> SplitIntoBuckets(const Schema& schema, const BucketSpec& spec,
                                                 const std::vector<Batch>& rows) {
  SLUICE_CHECK(spec.bucketed(), "splitting rows of a table that has no buckets");
  const std::vector<int> keys = BucketColumnIndices(schema, spec);
  const int n = spec.num_buckets;
  std::vector<std::vector<Batch>> out(static_cast<size_t>(n));
  std::vector<BatchBuilder> builders;
  for (int b = 0; b < n; b++) builders.emplace_back(schema);
  std::vector<std::vector<uint32_t>> selections(static_cast<size_t>(n));
  std::vector<uint64_t> hashes;
  for (const Batch& batch : rows) {
    const size_t count = batch.num_rows();
    if (count == 0) continue;
    for (auto& s : selections) s.clear();
    SelectHashPartitions(batch, keys, &hashes, &selections);
    for (int b = 0; b < n; b++) {
      const auto& sel = selections[b];
      if (sel.empty()) continue;
      builders[b].AppendSelected(batch, sel.data(), sel.size());
      if (builders[b].Full()) out[b].push_back(builders[b].Finish());
    }
  }
  for (int b = 0; b < n; b++) {
    if (builders[b].num_rows() > 0) out[b].push_back(builders[b].Finish());
  }
  return out;
}

BucketSpec KeptBuckets(const BucketSpec& current, const Schema& schema) {
  BucketSpec out = current;
  for (const auto& c : current.columns) {
    if (schema.Find(c) < 0) {
      out.columns.clear();
      out.num_buckets = 0;
    }
  }
  out.partition_by = KeptPartitioning(current.partition_by, schema);
  return out;
}

BucketSpec WarehouseLayout(const Schema& schema, const BucketSpec& spec) {
  if (!spec.bucketed() || spec.columns.size() != 1) return spec;
  const int i = schema.Find(spec.columns[0]);
  if (i < 0 || !IcebergHashable(schema.field(static_cast<size_t>(i)).type.id())) return spec;
  BucketSpec out;
  out.partition_by = {{spec.columns[0], iceberg::Transform::Bucket(spec.num_buckets).ToString()}};
  return out;
}

BucketSpec IcebergBucketsOf(const Schema& schema,
                            const std::vector<PartitionColumn>& partition_by) {
  if (partition_by.size() != 1) return {};
  const iceberg::Transform transform = iceberg::Transform::Parse(partition_by[0].transform);
  // More buckets than a table may have would be as many scan tasks: read it unbucketed.
  if (transform.kind() != iceberg::Transform::Kind::kBucket || transform.param() > kMaxBuckets) {
    return {};
  }
  const int i = schema.Find(partition_by[0].column);
  if (i < 0 || !IcebergHashable(schema.field(static_cast<size_t>(i)).type.id())) return {};
  BucketSpec out;
  out.columns = {schema.field(static_cast<size_t>(i)).name};
  out.num_buckets = transform.param();
  return out;
}

std::string DescribeBuckets(const BucketSpec& spec, PartitionHash hash) {
  return fmt::format("{} {}bucket{} by ({})", spec.num_buckets,
                     hash == PartitionHash::kIcebergBucket ? "Iceberg " : "",
                     spec.num_buckets == 1 ? "" : "s", Join(spec.columns, ", "));
}

}  // namespace sluice
