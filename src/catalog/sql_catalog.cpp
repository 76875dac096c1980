#include "catalog/sql_catalog.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <tuple>

#include "common/error.h"

namespace sluice {

namespace {

// The schema of Iceberg Java's JdbcCatalog (its "V0" layout, which PyIceberg's SqlCatalog
// also uses).
constexpr const char* kCreateTables = R"(
CREATE TABLE IF NOT EXISTS iceberg_tables (
  catalog_name VARCHAR(255) NOT NULL,
  table_namespace VARCHAR(255) NOT NULL,
  table_name VARCHAR(255) NOT NULL,
  metadata_location VARCHAR(1000),
  previous_metadata_location VARCHAR(1000),
  PRIMARY KEY (catalog_name, table_namespace, table_name));
CREATE TABLE IF NOT EXISTS iceberg_namespace_properties (
  catalog_name VARCHAR(255) NOT NULL,
  namespace VARCHAR(255) NOT NULL,
  property_key VARCHAR(255),
  property_value VARCHAR(1000),
  PRIMARY KEY (catalog_name, namespace, property_key));
)";

// How long a statement waits for another process's write to finish.
constexpr int kBusyTimeoutMs = 60000;

}  // namespace

SqlCatalog::SqlCatalog(std::string path, std::string catalog_name)
    : path_(std::move(path)), catalog_name_(std::move(catalog_name)) {
  if (sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    const std::string why = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw IOError(fmt::format("cannot open the Iceberg catalog '{}': {}", path_, why));
  }
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  char* error = nullptr;
  // Write-ahead logging: a commit appends to the log instead of journaling pages, and with
  // synchronous=NORMAL it syncs at checkpoints only; a killed process loses nothing committed.
  sqlite3_exec(db_, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", nullptr, nullptr,
               nullptr);
  if (sqlite3_exec(db_, kCreateTables, nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string why = error != nullptr ? error : "unknown error";
    sqlite3_free(error);
    sqlite3_close(db_);
    throw IOError(fmt::format("cannot create the tables of the Iceberg catalog '{}': {}", path_, why));
  }
}

SqlCatalog::~SqlCatalog() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

std::vector<std::vector<std::optional<std::string>>> SqlCatalog::Run(
    const std::string& sql, const std::vector<std::optional<std::string>>& params, int* changes) {
  // Each statement is prepared once per connection (preparing costs more than running).
  sqlite3_stmt*& stmt = statements_[sql];
  auto fail = [&](const char* what) -> IOError {
    const std::string why = sqlite3_errmsg(db_);
    if (stmt != nullptr) sqlite3_reset(stmt);
    return IOError(fmt::format("Iceberg catalog '{}': {} failed: {}", path_, what, why));
  };
  if (stmt == nullptr && sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    statements_.erase(sql);
    const std::string why = sqlite3_errmsg(db_);
    throw IOError(fmt::format("Iceberg catalog '{}': prepare failed: {}", path_, why));
  }
  sqlite3_clear_bindings(stmt);
  for (size_t i = 0; i < params.size(); i++) {
    const int slot = static_cast<int>(i) + 1;
    const int rc = params[i] ? sqlite3_bind_text(stmt, slot, params[i]->c_str(),
                                                 static_cast<int>(params[i]->size()),
                                                 SQLITE_TRANSIENT)
                             : sqlite3_bind_null(stmt, slot);
    if (rc != SQLITE_OK) throw fail("bind");
  }
  std::vector<std::vector<std::optional<std::string>>> rows;
  while (true) {
    const int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) break;
    if (rc == SQLITE_CONSTRAINT) {
      // A primary key taken: the caller's insert lost (Swap reports it).
      sqlite3_reset(stmt);
      if (changes != nullptr) *changes = 0;
      return rows;
    }
    if (rc != SQLITE_ROW) throw fail("a statement");
    std::vector<std::optional<std::string>> row;
    for (int c = 0; c < sqlite3_column_count(stmt); c++) {
      const auto* text = sqlite3_column_text(stmt, c);
      if (text == nullptr) {
        row.emplace_back();
      } else {
        row.emplace_back(std::string(reinterpret_cast<const char*>(text),
                                     static_cast<size_t>(sqlite3_column_bytes(stmt, c))));
      }
    }
    rows.push_back(std::move(row));
  }
  if (changes != nullptr) *changes = sqlite3_changes(db_);
  sqlite3_reset(stmt);
  return rows;
}

std::vector<std::string> SqlCatalog::Namespaces() {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& row :
       Run("SELECT namespace FROM iceberg_namespace_properties WHERE catalog_name = ?1 UNION "
           "SELECT table_namespace FROM iceberg_tables WHERE catalog_name = ?1 ORDER BY 1",
           {catalog_name_})) {
    if (row[0]) out.push_back(*row[0]);
  }
  return out;
}

void SqlCatalog::CreateNamespace(const std::string& ns) {
  std::lock_guard lock(mutex_);
  Run("INSERT OR IGNORE INTO iceberg_namespace_properties VALUES (?1, ?2, 'exists', 'true')",
      {catalog_name_, ns});
}

void SqlCatalog::DropNamespace(const std::string& ns) {
  std::lock_guard lock(mutex_);
  Run("DELETE FROM iceberg_tables WHERE catalog_name = ?1 AND table_namespace = ?2",
      {catalog_name_, ns});
  Run("DELETE FROM iceberg_namespace_properties WHERE catalog_name = ?1 AND namespace = ?2",
      {catalog_name_, ns});
}

std::vector<std::tuple<std::string, std::string, std::string>> SqlCatalog::Tables() {
  std::lock_guard lock(mutex_);
  std::vector<std::tuple<std::string, std::string, std::string>> out;
  for (const auto& row : Run("SELECT table_namespace, table_name, metadata_location FROM "
                             "iceberg_tables WHERE catalog_name = ?1 ORDER BY 1, 2",
                             {catalog_name_})) {
    if (row[0] && row[1] && row[2]) out.emplace_back(*row[0], *row[1], *row[2]);
  }
  return out;
}

std::optional<std::string> SqlCatalog::Load(const std::string& ns, const std::string& table) {
  std::lock_guard lock(mutex_);
  const auto rows = Run(
      "SELECT metadata_location FROM iceberg_tables WHERE catalog_name = ?1 AND "
      "table_namespace = ?2 AND table_name = ?3",
      {catalog_name_, ns, table});
  if (rows.empty() || !rows[0][0]) return std::nullopt;
  return rows[0][0];
}

bool SqlCatalog::Swap(const std::string& ns, const std::string& table,
                      const std::optional<std::string>& expected, const std::string& next) {
  std::lock_guard lock(mutex_);
  int changes = 0;
  if (!expected) {
    Run("INSERT INTO iceberg_tables VALUES (?1, ?2, ?3, ?4, NULL)",
        {catalog_name_, ns, table, next}, &changes);
  } else {
    Run("UPDATE iceberg_tables SET metadata_location = ?4, previous_metadata_location = ?5 "
        "WHERE catalog_name = ?1 AND table_namespace = ?2 AND table_name = ?3 AND "
        "metadata_location = ?5",
        {catalog_name_, ns, table, next, *expected}, &changes);
  }
  return changes == 1;
}

bool SqlCatalog::Drop(const std::string& ns, const std::string& table) {
  std::lock_guard lock(mutex_);
  int changes = 0;
  Run("DELETE FROM iceberg_tables WHERE catalog_name = ?1 AND table_namespace = ?2 AND "
      "table_name = ?3",
      {catalog_name_, ns, table}, &changes);
  return changes == 1;
}

}  // namespace sluice
