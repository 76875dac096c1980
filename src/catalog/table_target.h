#pragma once

#include <memory>
#include <optional>
#include <string>

#include "catalog/table_store.h"
#include "catalog/warehouse.h"
#include "io/data_writer.h"

namespace sluice {

// INSERT INTO a table: the rows written are appended in one commit. The target (held by
// the plan, which outlives the query's writer) keeps the store alive.
class AppendTarget : public DataTarget {
 public:
  AppendTarget(std::shared_ptr<TableStore> store, std::string display)
      : store_(std::move(store)), display_(std::move(display)) {}
  std::unique_ptr<DataWriter> Begin() const override { return store_->BeginAppend(); }
  std::string Describe() const override { return "INSERT INTO " + display_; }
  bool InProcessMemory() const override { return store_->InProcessMemory(); }
  bool WritableByEveryProcess() const override { return store_->WritableByEveryProcess(); }

 private:
  std::shared_ptr<TableStore> store_;
  std::string display_;
};

// CREATE [OR REPLACE] TABLE ... AS: the rows written become the table (Warehouse::
// BeginCreateTable: created, or an existing table's rows, schema and layout replaced).
class CreateTableTarget : public DataTarget {
 public:
  // REQUIRES: `buckets` resolved against `schema`; `warehouse` outlives the write.
  CreateTableTarget(Warehouse& warehouse, CatalogName name, Schema schema, BucketSpec buckets,
                    TableConstraints constraints = {})
      : warehouse_(warehouse),
        name_(std::move(name)),
        schema_(std::move(schema)),
        buckets_(std::move(buckets)),
        constraints_(std::move(constraints)) {}
  std::unique_ptr<DataWriter> Begin() const override {
    return warehouse_.BeginCreateTable(name_, schema_, buckets_, constraints_);
  }
  std::unique_ptr<DataWriter> BeginJoined() const override {
    return warehouse_.BeginCreateTable(name_, schema_, buckets_, constraints_, /*joined=*/true);
  }
  std::string Describe() const override { return "CREATE TABLE " + name_.Display() + " AS"; }
  bool InProcessMemory() const override { return !warehouse_.persistent(); }
  // A new table or one replaced: its data files (unpartitioned) are the store's.
  bool WritableByEveryProcess() const override {
    return warehouse_.persistent() && buckets_.partition_by.empty();
  }

 private:
  Warehouse& warehouse_;
  CatalogName name_;
  Schema schema_;
  BucketSpec buckets_;
  TableConstraints constraints_;
};

// DELETE, UPDATE, MERGE: with a rewrite (the table's PlanRewrite), the rows written replace
// the files it names (copy on write; WriteConflictError when another writer committed since
// its version); without one they are appended (a MERGE that only inserts). `statement`
// names the write for EXPLAIN: "DELETE FROM t".
class RewriteTarget : public DataTarget {
 public:
  RewriteTarget(std::shared_ptr<TableStore> store, std::optional<TableRewrite> rewrite,
                std::string statement)
      : store_(std::move(store)), rewrite_(std::move(rewrite)), statement_(std::move(statement)) {}
  std::unique_ptr<DataWriter> Begin() const override {
    return rewrite_ ? store_->BeginRewrite(*rewrite_) : store_->BeginAppend();
  }
  std::string Describe() const override { return statement_; }
  bool InProcessMemory() const override { return store_->InProcessMemory(); }

 private:
  std::shared_ptr<TableStore> store_;
  std::optional<TableRewrite> rewrite_;
  std::string statement_;
};

}  // namespace sluice
