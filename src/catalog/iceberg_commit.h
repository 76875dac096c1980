#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "catalog/partition_spec.h"
#include "catalog/snapshot.h"
#include "iceberg/manifest.h"
#include "iceberg/table_metadata.h"
#include "io/parquet_statistics.h"

namespace sluice {

// How a warehouse table is stored as an Apache Iceberg v2 table (spec:
// https://iceberg.apache.org/spec/), under its directory:
//   data/part-<id>.parquet                 data files, columns carrying the field ids (a
//                                          bucketed table's: part-<id>-b<bucket>.parquet)
//   metadata/v<N>.metadata.json            table metadata N (format-version 2)
//   metadata/snap-<snapshot>-<uuid>.avro   a snapshot's manifest list
//   metadata/<uuid>-m<i>.avro              manifests
//   metadata/version-hint.text             "N", for readers that open the directory
// Sluice's own facts ride in table properties: the exact column types (Iceberg has no
// TINYINT, SMALLINT or INTERVAL) and the bucket layout.

// A table's committed state as a store keeps it: the metadata file, the metadata, and the
// current snapshot's data files and manifests.
struct CommittedTable {
  std::optional<std::string> location;  // the metadata file; nullopt before the first commit
  iceberg::TableMetadata metadata;
  Snapshot snapshot;  // version N of metadata/v<N>.metadata.json, schema, files, buckets
  std::vector<iceberg::ManifestFile> manifests;
};

// The N of ".../v<N>.metadata.json" (or "<N>-<uuid>.metadata.json"); 0 for nullopt.
int64_t MetadataVersionOf(const std::optional<std::string>& location);

// Reads the table committed at `location` (a metadata file of the table in `table_dir`).
// Throws IOError or InvalidInputError naming the file at fault.
CommittedTable LoadCommittedTable(const std::string& table_dir, const std::string& location);

// The Iceberg field id of each column of `schema`: a column that `base` has by name keeps its
// id, a new one gets the next unused id.
std::vector<int32_t> AssignFieldIds(const Schema& schema, const CommittedTable& base);

// The files of the commit turning `base` into `next` (its files: those of base it keeps, by
// path, and new ones), written but not yet made current: the manifests, the manifest list
// and metadata/v<base version + 1>.metadata.json. The caller makes it current (the catalog's
// compare-and-swap) or removes `written`. `properties` are set on the table too.
// REQUIRES: next.field_ids match next.schema.
struct PreparedCommit {
  CommittedTable table;              // the state after the commit
  std::vector<std::string> written;  // every file written (absolute paths)
};
PreparedCommit WriteCommit(const std::string& table_dir, const CommittedTable& base,
                           Snapshot next, int64_t now_ms,
                           const std::map<std::string, std::string>& properties = {});

// The commit of a change to `base`'s metadata alone (refs, properties, the snapshots kept, the
// current snapshot: `metadata`, edited from base.metadata), written but not yet made current:
// metadata/v<base version + 1>.metadata.json. When `main` moved, current-snapshot-id and the
// snapshot log follow it. Base's file joins the metadata log (trimmed to
// write.metadata.previous-versions-max). The caller makes it current or removes `written`.
// REQUIRES: base.location; every ref names a snapshot of `metadata`.
PreparedCommit WriteMetadataCommit(const std::string& table_dir, const CommittedTable& base,
                                   iceberg::TableMetadata metadata, int64_t now_ms);

// The files of the table directory that the committed state still needs: its metadata file
// and the previous ones its metadata log keeps, the manifest lists and manifests of the
// snapshots it keeps, and their data files (paths relative to `table_dir`). The files of a
// kept snapshot that is `known`'s current one come from `known` (a state this process read or
// committed before, e.g. the base of a commit) instead of its manifests (null: read them all).
std::set<std::string> ReferencedFiles(const std::string& table_dir, const CommittedTable& table,
                                      const CommittedTable* known = nullptr);

// The manifest metrics of a data file of `rows` rows with columns `schema` (Iceberg field ids
// `field_ids`) whose Parquet footer gave `stats` per column (io/parquet_statistics.h): value
// and null counts of every primitive column, and bounds where the footer knows them, but
// none for DOUBLE (a NaN lies outside Parquet's min and max, and Sluice orders it above every
// number) nor for types without an Iceberg single-value form (INTERVAL). String and binary
// bounds keep 16 characters (bytes), the upper one incremented, as Iceberg's truncate(16).
FileMetrics MetricsOf(const Schema& schema, const std::vector<int32_t>& field_ids,
                      const std::vector<ParquetColumnStats>& stats, int64_t rows);

// The bucket of a data file named "part-<id>-b<bucket>.parquet", or -1.
int BucketOfDataFile(const std::string& path);

}  // namespace sluice
