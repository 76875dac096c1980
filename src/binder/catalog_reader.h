#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/settings.h"
#include "expr/scalar_udf.h"
#include "ml/model.h"
#include "online/feature_view.h"
#include "plan/logical_plan.h"

namespace sluice {

// One named relation of the catalog, as information_schema lists it.
struct RelationInfo {
  std::string schema;  // "main" unless created in another schema
  std::string name;
  bool view = false;       // a view (its SQL in `sql`), else a table
  bool temporary = false;  // a temporary view or a cached relation of this session
  std::string sql;         // a view's defining query, when known
};

// Which snapshot of an Iceberg table a query reads (FOR VERSION / TIMESTAMP AS OF): exactly
// one member is set.
struct SnapshotChoice {
  std::optional<int64_t> snapshot_id;
  // A branch or tag; when the table has none of that name and `ref` is all digits, the
  // snapshot of that id (Spark's VERSION AS OF '123').
  std::optional<std::string> ref;
  std::optional<int64_t> as_of_ms;  // the snapshot current at this time (UTC milliseconds)
};

// What the SQL binder may read of the catalog: named relations as bound plans. The binder
// holds one of these instead of a Session, so binding neither executes nor changes anything;
// the Session implements it, tests use a fake. Implementations must be safe to call from
// several threads at once (each binds its own statement).
class CatalogReader {
 public:
  virtual ~CatalogReader() = default;

  // The plan of the table, view or cached relation `name` ("t", or "s.t" in schema s;
  // case-insensitive), or null when there is none. A view comes back bound; binding it may
  // throw BindError (a view that refers to itself).
  virtual LogicalPlanPtr FindRelation(const std::string& name) = 0;
  // Every relation name, for "Did you mean" suggestions.
  virtual std::vector<std::string> TableNames() const = 0;
  // Every relation with its schema and kind (information_schema.tables); by default the
  // TableNames as tables of "main" (or of the schema their name gives).
  virtual std::vector<RelationInfo> Relations() const;
  // Every schema, sorted (information_schema.schemata); by default those of Relations()
  // and "main".
  virtual std::vector<std::string> SchemaNames() const;
  // The database's name in information_schema's *_catalog columns.
  virtual std::string DatabaseName() const { return "memory"; }
  // The settings the statement is bound under (current_setting(), duckdb_settings(), the
  // table functions' context).
  virtual Settings settings() const { return Settings(); }
  // The plan of stored table `name` as of snapshot `at`, or null when there is no table of
  // that name. Throws InvalidInputError when the table is not an Iceberg table (of a --db
  // warehouse) or has no such snapshot.
  virtual LogicalPlanPtr FindRelationAt(const std::string& name, const SnapshotChoice& at);
  // Runs `plan` now and returns its rows. Binding executes nothing but for one thing: a PIVOT
  // without IN lists reads the distinct values of its ON columns, because they name the
  // output's columns (as in DuckDB). By default throws NotImplementedError.
  virtual std::vector<Batch> RunQuery(const LogicalPlan& plan);
  // The current metadata file of the Iceberg table `name` (a table of a --db warehouse), or
  // nullopt when there is none (iceberg_snapshots('t'), t$snapshots).
  // The latest version of model `name` (CREATE MODEL; case-insensitive), or null.
  virtual ml::ModelPtr FindModel(const std::string& name) const {
    (void)name;
    return nullptr;
  }
  virtual std::optional<std::string> IcebergMetadataLocation(const std::string& name) const {
    (void)name;
    return std::nullopt;
  }
  // The scalar function `name` the session registered (a Python UDF; case-insensitive), or
  // nullopt. Such a function is found before a built-in of the same name.
  virtual std::optional<ScalarUdf> FindScalarUdf(const std::string& name) const {
    (void)name;
    return std::nullopt;
  }
  // The feature views applied to this session or warehouse (get_historical_features), or
  // nullopt when none were.
  virtual std::optional<online::FeatureRegistry> FeatureViews() const { return std::nullopt; }
};

}  // namespace sluice
