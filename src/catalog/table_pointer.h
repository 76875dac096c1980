#pragma once

#include <memory>
#include <optional>
#include <string>

#include "catalog/sql_catalog.h"

namespace sluice {

// Where a table's current metadata file is recorded: swapping it is the table's commit.
// Thread-safe.
class TablePointer {
 public:
  virtual ~TablePointer() = default;
  // The current metadata file (an absolute path), or nullopt for a table not yet created.
  virtual std::optional<std::string> Load() const = 0;
  // Makes `next` current if `expected` is current now; false (changing nothing) otherwise.
  virtual bool Swap(const std::optional<std::string>& expected, const std::string& next) = 0;
  // What a conflict message names: "catalog 'x.db'" or "metadata/version-hint.text".
  virtual std::string Describe() const = 0;
  // The local directory whose flocks (CommitLock, DataFilesLock on its data/) serialize the
  // commits and garbage collection of the table at `table_dir`: the table directory itself
  // when it is local. An object store has no locks: a pointer that can give its tables a
  // local directory overrides this; the default throws NotImplementedError for s3:// tables.
  virtual std::string LockDirectory(const std::string& table_dir) const;
};

// A table of a directory alone (Iceberg's path-based "Hadoop" tables): the pointer is
// metadata/version-hint.text, replaced by an atomic rename. REQUIRES: Swap is called under the
// table directory's commit lock (FileTableStore holds it), which makes it a compare-and-swap.
class VersionHintPointer : public TablePointer {
 public:
  explicit VersionHintPointer(std::string table_dir) : table_dir_(std::move(table_dir)) {}
  std::optional<std::string> Load() const override;
  bool Swap(const std::optional<std::string>& expected, const std::string& next) override;
  std::string Describe() const override { return "metadata/version-hint.text"; }

 private:
  std::string table_dir_;
};

// A table of a SQL catalog (the warehouse's): the pointer is its iceberg_tables row.
class SqlCatalogPointer : public TablePointer {
 public:
  SqlCatalogPointer(std::shared_ptr<SqlCatalog> catalog, std::string ns, std::string table)
      : catalog_(std::move(catalog)), ns_(std::move(ns)), table_(std::move(table)) {}
  std::optional<std::string> Load() const override { return catalog_->Load(ns_, table_); }
  bool Swap(const std::optional<std::string>& expected, const std::string& next) override {
    return catalog_->Swap(ns_, table_, expected, next);
  }
  std::string Describe() const override { return "catalog '" + catalog_->path() + "'"; }
  // An s3:// table's: "<catalog file>.locks/<namespace>/<table>", created if absent, so that
  // every process sharing the catalog shares the table's locks.
  std::string LockDirectory(const std::string& table_dir) const override;

 private:
  std::shared_ptr<SqlCatalog> catalog_;
  std::string ns_;
  std::string table_;
};

// Writes metadata/version-hint.text naming `metadata_file` ("v<N>.metadata.json" -> "N"), for
// readers that open the table directory. `sync` when the hint is the table's commit point;
// beside a catalog row (the commit) it only helps path-based readers, and the atomic replace
// is enough. Throws IOError.
void WriteVersionHint(const std::string& table_dir, const std::string& metadata_file,
                      bool sync);

}  // namespace sluice
