#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace sluice {

// An Iceberg SQL catalog in a SQLite file: the tables of Iceberg Java's JDBC catalog and
// PyIceberg's SqlCatalog, so that those engines open a Sluice warehouse unchanged:
//   iceberg_tables(catalog_name, table_namespace, table_name, metadata_location,
//                  previous_metadata_location)
//   iceberg_namespace_properties(catalog_name, namespace, property_key, property_value)
// A table's commit is the compare-and-swap of its metadata_location (Swap). Several
// processes may use one file: SQLite serializes their writes (a busy writer is waited for).
// Thread-safe: one connection, used under a mutex.
class SqlCatalog {
 public:
  // The name Sluice registers its tables under (the catalog's name in other engines).
  static constexpr const char* kCatalogName = "sluice";

  // Opens (creating the file and the tables if absent) the catalog at `path`. Throws IOError.
  explicit SqlCatalog(std::string path, std::string catalog_name = kCatalogName);
  ~SqlCatalog();
  SqlCatalog(const SqlCatalog&) = delete;
  SqlCatalog& operator=(const SqlCatalog&) = delete;

  const std::string& path() const { return path_; }

  // Namespaces: those with properties, and those some table uses.
  std::vector<std::string> Namespaces();
  // Records the namespace (property "exists" = "true", as PyIceberg does); no-op if present.
  void CreateNamespace(const std::string& ns);
  // Removes the namespace's properties and every table entry in it.
  void DropNamespace(const std::string& ns);

  // (namespace, table, metadata_location) of every table with a metadata location.
  std::vector<std::tuple<std::string, std::string, std::string>> Tables();
  // The table's metadata location, or nullopt when the catalog has no such table.
  std::optional<std::string> Load(const std::string& ns, const std::string& table);
  // The commit: sets the table's metadata location to `next` if it is `expected` now (nullopt:
  // the table must not exist, and is created). Returns false, changing nothing, otherwise.
  bool Swap(const std::string& ns, const std::string& table,
            const std::optional<std::string>& expected, const std::string& next);
  // Removes the table's entry; false when there was none.
  bool Drop(const std::string& ns, const std::string& table);

 private:
  // Runs `sql` with text parameters; returns the rows (every column as text, NULL as
  // nullopt) and sets *changes to the rows changed. Throws IOError.
  std::vector<std::vector<std::optional<std::string>>> Run(
      const std::string& sql, const std::vector<std::optional<std::string>>& params,
      int* changes = nullptr);

  std::string path_;
  std::string catalog_name_;
  std::mutex mutex_;
  sqlite3* db_ = nullptr;
  // Prepared statements by their SQL text, kept for the connection's life.
  std::map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace sluice
