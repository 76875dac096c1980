#pragma once

#include <vector>

#include "catalog/snapshot.h"
#include "iceberg/table_metadata.h"

namespace sluice {

// A warehouse table's hidden partitioning (Snapshot::buckets.partition_by) as the Iceberg
// partition specs of its metadata, and back.

// The partition spec of `fields` over columns `columns` (whose Iceberg field ids are
// `field_ids`): `spec_id`, each field named as Iceberg names it (partitioning.h), with the
// field id an equal field (same source and transform) has in one of `specs`, else the next
// one after `*last_partition_id` (which it advances), as Iceberg v2 keeps them.
// REQUIRES: fields resolved against columns.
iceberg::PartitionSpec PartitionSpecOf(const std::vector<PartitionColumn>& fields,
                                       const Schema& columns, const std::vector<int32_t>& field_ids,
                                       int spec_id, const std::vector<iceberg::PartitionSpec>& specs,
                                       int* last_partition_id);

// Makes the spec of `next`'s partitioning (next.buckets.partition_by over next.schema and
// next.field_ids) the default spec of `m`: an existing spec with the same fields, or a new one
// with the next spec id (partition evolution: the files written under older specs keep theirs).
void SetDefaultPartitionSpec(iceberg::TableMetadata& m, const Snapshot& next);

// The partitioning `spec` of table `m` describes, its source columns named as in the current
// schema ("" for a column no longer in it).
std::vector<PartitionColumn> PartitionColumnsOf(const iceberg::TableMetadata& m,
                                                const iceberg::PartitionSpec& spec);

}  // namespace sluice
