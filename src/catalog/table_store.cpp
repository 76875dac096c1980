#include "catalog/table_store.h"

#include "catalog/bucketing.h"

namespace sluice {

Schema UnqualifiedSchema(Schema schema) {
  for (auto& f : schema.mutable_fields()) f.qualifier.clear();
  return schema;
}

BucketSpec RenamedBuckets(const BucketSpec& buckets, const Schema& before, const Schema& after) {
  BucketSpec out = buckets;
  for (auto& column : out.columns) {
    const int i = before.Find(column);
    if (i >= 0 && static_cast<size_t>(i) < after.size()) column = after.field(i).name;
  }
  for (auto& field : out.partition_by) {
    const int i = before.Find(field.column);
    if (i >= 0 && static_cast<size_t>(i) < after.size()) field.column = after.field(i).name;
  }
  return out;
}

std::unique_ptr<DataWriter> TableStore::BeginOverwrite(const Schema& schema) {
  const Snapshot current = Current();
  return BeginReplace(schema, KeptBuckets(current.buckets, UnqualifiedSchema(schema)),
                      current.constraints);
}

// A store without data files rewrites every row; in memory the later commit wins.
std::unique_ptr<DataWriter> TableStore::BeginRewrite(const TableRewrite& rewrite) {
  (void)rewrite;
  return BeginOverwrite(Current().schema);
}

void TableStore::Append(const std::vector<Batch>& rows) { WriteAndCommit(*BeginAppend(), rows); }

void TableStore::Overwrite(const Schema& schema, const std::vector<Batch>& rows) {
  WriteAndCommit(*BeginOverwrite(schema), rows);
}

void TableStore::Replace(const Schema& schema, const BucketSpec& buckets,
                         const std::vector<Batch>& rows) {
  WriteAndCommit(*BeginReplace(schema, buckets), rows);
}

void TableStore::Rewrite(const TableRewrite& rewrite, const std::vector<Batch>& rows) {
  WriteAndCommit(*BeginRewrite(rewrite), rows);
}

}  // namespace sluice
