#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "catalog/sql_catalog.h"
#include "catalog/table_pointer.h"
#include "catalog/table_store.h"

namespace sluice {

// A name in the warehouse: schema and object, lower-case ("main" when not written).
struct CatalogName {
  std::string schema;
  std::string name;

  // "t" for the default schema, "s.t" otherwise.
  std::string Display() const;
  friend bool operator<(const CatalogName& a, const CatalogName& b) {
    return std::tie(a.schema, a.name) < std::tie(b.schema, b.name);
  }
};

// Parses "t", "s.t" or "db.s.t" (the database part is ignored), case-insensitively.
CatalogName ParseCatalogName(const std::string& text);

inline constexpr const char* kDefaultSchema = "main";

// A view as stored: its query as SQL text, re-bound each time the view is used.
struct ViewDefinition {
  std::string sql;
  std::vector<std::string> column_aliases;  // renames the first output columns
  // A table over a stream (connector DDL): its SourceDefinition as JSON
  // (catalog/source_definition.h); `sql` is then the CREATE TABLE statement, for display.
  std::string source = {};
  // A Lambda serving view (CREATE LAMBDA VIEW): its batch table, speed table and time column
  // as JSON ({"batch", "speed", "time"}); `sql` is then the CREATE statement, for display.
  std::string lambda = {};
};

// The schemas, tables and views of one database, in memory or persisted under a root
// directory (`sluice sql --db DIR`):
//   DIR/catalog.db                   the Iceberg SQL catalog (SQLite; catalog name "sluice"):
//                                    a namespace per schema, a row per table naming its
//                                    current metadata file
//   DIR/<schema>/                    one directory per schema
//   DIR/<schema>/<table>/            an Iceberg v2 table (see FileTableStore)
//   DIR/<schema>/_views/<view>.json  a view's SQL text
// A table's commit is the compare-and-swap of its catalog row, so another process (or engine:
// Iceberg Java's JDBC catalog, PyIceberg's SqlCatalog) opening DIR sees each table either
// before or after a change. Opening DIR removes what interrupted writes left behind, and
// converts the tables of a warehouse written before tables were Iceberg tables. Thread-safe: one mutex guards the catalog; table writes run outside it (a table's
// store serializes its own commits), so writes to different tables proceed in parallel.
// Drop removes the name at once; a query that found the table before keeps its store (and,
// in memory, its rows). With a root, Drop deletes the files at once, and a running scan that
// opens a data file afterwards fails with IOError: scans open data files by path.
//
// The root may be an object store prefix, `s3://bucket/prefix`: the tables' files (data,
// manifests, metadata) and the views' JSON files are objects under it, same layout, and every
// path in the metadata is a full s3:// URL. SQLite cannot live in a bucket, so the catalog is
// a local file (`catalog_path`: the s3_catalog setting, by default CatalogPathFor(root)), and
// the tables' flocks live beside it (`<catalog>.locks/`): the catalog's compare-and-swap stays
// the commit, as with PyIceberg's SqlCatalog over an s3 warehouse. Processes sharing such a
// warehouse share that file (so run on one machine, or share it through a file system that
// SQLite and flock trust). Schemas are the catalog's namespaces (no directory to create).
class Warehouse {
 public:
  // An empty in-memory warehouse with the schema "main".
  Warehouse();
  // Opens (creating if absent) the warehouse at `root`, a directory or an `s3://` prefix whose
  // catalog is the local file `catalog_path` (empty: CatalogPathFor(root)); a local
  // warehouse's catalog is always root/catalog.db (a `catalog_path` is an error). Throws
  // IOError.
  explicit Warehouse(std::string root, std::string catalog_path = {});
  ~Warehouse();
  Warehouse(const Warehouse&) = delete;
  Warehouse& operator=(const Warehouse&) = delete;

  bool persistent() const { return !root_.empty(); }
  // The directory or s3:// prefix (no final '/'); empty in memory.
  const std::string& root() const { return root_; }
  // Where this process keeps the warehouse's local files (models, feature views, stream
  // jobs): root() when it is a directory, the catalog's directory for an s3:// warehouse.
  const std::string& local_root() const { return local_root_; }
  // The SQLite file of the Iceberg SQL catalog; empty in memory.
  std::string catalog_path() const { return catalog_ ? catalog_->path() : std::string(); }
  // The default local catalog of the warehouse at s3:// URL `root`:
  // $XDG_CACHE_HOME (else $HOME/.cache)/sluice/warehouses/<endpoint>/<bucket>/<prefix>/catalog.db
  // with the s3_endpoint this process uses, so that one bucket name on two servers is two
  // warehouses.
  static std::string CatalogPathFor(const std::string& root);

  // Throws InvalidInputError when the schema exists (unless if_not_exists) or the name is
  // not usable as a directory name.
  void CreateSchema(const std::string& schema, bool if_not_exists);
  // Throws InvalidInputError when absent (unless if_exists) or not empty (unless cascade).
  void DropSchema(const std::string& schema, bool if_exists, bool cascade);
  bool HasSchema(const std::string& schema) const;

  bool HasTable(const CatalogName& name) const;
  bool HasView(const CatalogName& name) const;
  // The table's store, or null. Shared: a query that found the table keeps the store alive
  // until it finishes, even when a concurrent Drop or DropSchema removes the name meanwhile
  // (a CREATE OR REPLACE commits a new snapshot to the same store instead).
  std::shared_ptr<TableStore> FindTable(const CatalogName& name) const;
  // Throws InvalidInputError when there is no such view (dropped since HasView(name)).
  ViewDefinition View(const CatalogName& name) const;

  // A write that creates the table with the rows written, or replaces the rows, schema and
  // bucket layout of an existing table, in one commit. A new table's name stays reserved
  // (a second create of it waits) until the writer commits or is destroyed; a writer
  // destroyed without Commit leaves no table. Throws InvalidInputError when the schema does
  // not exist or a view has the name. REQUIRES: `buckets` resolved against `schema`
  // (ResolveBucketSpec).
  // `joined`: another process of a cluster began the same create first (its directory is
  // prepared and may be written into).
  std::unique_ptr<DataWriter> BeginCreateTable(const CatalogName& name, const Schema& schema,
                                               const BucketSpec& buckets,
                                               const TableConstraints& constraints = {},
                                               bool joined = false);
  // BeginCreateTable with `rows`, committed.
  void CreateTable(const CatalogName& name, const Schema& schema, const std::vector<Batch>& rows,
                   const BucketSpec& buckets = {}, const TableConstraints& constraints = {});
  // Commits `rows` appended to the table's rows; a bucketed table keeps its layout.
  // REQUIRES: HasTable(name).
  void Append(const CatalogName& name, const std::vector<Batch>& rows);
  // Writes start a new data file after `rows` rows (the `target_file_rows` setting).
  void SetTargetFileRows(int64_t rows);
  // Creates or replaces a view. Throws InvalidInputError when a table has the name.
  void CreateView(const CatalogName& name, const ViewDefinition& view);
  // Drops a table or view; returns false when there is none.
  bool Drop(const CatalogName& name);

  // Reads the catalog again from the root directory, for changes another process made (an
  // MPI rank's DDL or commit): schemas, views, and tables; a table whose catalog row still
  // names the metadata file its opened store knows keeps that store, the others are opened
  // again when next used. Nothing to do in memory. REQUIRES: no write of this warehouse in
  // flight in this process.
  void Reload();

  // Every table and view, sorted.
  std::vector<CatalogName> Names() const;
  // Every schema, sorted.
  std::vector<std::string> SchemaNames() const;

 private:
  void Load();
  // Load for an s3:// root: the schemas and tables from the catalog, the views from the
  // bucket.
  void LoadFromObjectStore();
  bool object_store() const;
  // Removes a table's or schema's directory (every object under an s3:// prefix).
  void RemoveTree(const std::string& dir) const;
  void CheckSchema(const std::string& schema) const;
  std::string SchemaDir(const std::string& schema) const;
  std::string TableDir(const CatalogName& name) const;
  std::string ViewPath(const CatalogName& name) const;
  // The catalog row that records the table's current metadata file.
  std::unique_ptr<TablePointer> Pointer(const CatalogName& name) const;
  // The table's store, shared so that a write outlives a concurrent DROP. Throws
  // InvalidInputError when there is none (dropped since the caller looked).
  std::shared_ptr<TableStore> Store(const CatalogName& name) const;
  // The store of the table at `it`, opened now if it was not yet. REQUIRES: mutex_ is held.
  std::shared_ptr<TableStore> Opened(
      std::map<CatalogName, std::shared_ptr<TableStore>>::iterator it) const;
  class CreateWriter;
  // Ends the reservation of a name in creating_; registers `store` under it when given.
  void FinishCreate(const CatalogName& name, std::shared_ptr<TableStore> store);

  std::string root_;  // empty: in memory
  std::string local_root_;
  std::shared_ptr<SqlCatalog> catalog_;  // null in memory
  static constexpr int64_t kTargetFileRowsDefault = 0;  // 0: the stores' default
  mutable std::mutex mutex_;
  std::set<std::string> schemas_;
  // A table found on disk is opened (its metadata read, its leftovers collected) when first
  // used: null until then. Use Opened().
  mutable std::map<CatalogName, std::shared_ptr<TableStore>> tables_;
  // Tables whose first commit is being written (outside mutex_): a second CreateTable of the
  // same name waits on created_ for it.
  std::set<CatalogName> creating_;
  std::condition_variable created_;
  std::atomic<int64_t> target_file_rows_ = 0;  // 0: the stores' default
  std::map<CatalogName, ViewDefinition> views_;
};

}  // namespace sluice
