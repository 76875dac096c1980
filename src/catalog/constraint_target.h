#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/error.h"
#include "expr/expr.h"
#include "io/data_source.h"
#include "io/data_writer.h"
#include "vector/schema.h"

namespace sluice {

// A row that breaks a table's NOT NULL or CHECK constraint (DuckDB's "Constraint Error").
class ConstraintError : public UserError {
 public:
  explicit ConstraintError(std::string message) : UserError("Constraint", std::move(message)) {}
};

// A write into a table that refuses rows breaking its constraints: each sink checks every
// batch (NOT NULL columns of `schema`, then each CHECK) before passing it on, so a statement
// with one bad row throws ConstraintError from its task and commits nothing. Immutable.
class ConstraintTarget : public DataTarget {
 public:
  // A CHECK: `violated` is TRUE for a row that breaks it (NOT of the CHECK, so NULL passes),
  // bound over the table's schema (the batches written); `sql` is the CHECK's text.
  struct Check {
    ExprPtr violated;
    std::string sql;
  };

  // A PRIMARY KEY or UNIQUE key: the indices of its columns in the table's schema.
  struct Key {
    std::vector<int> columns;
    bool primary = false;
  };

  // `table`: the name errors use; `schema`: the table's columns (the batches written).
  // With `keys`, the rows written must not repeat a key among themselves nor one of the rows
  // of `existing` (the table's rows the write keeps). `rewrite`: the rows written include
  // rows of the table (UPDATE, MERGE), so any repeat is reported as a clash with the table.
  ConstraintTarget(std::shared_ptr<const DataTarget> inner, std::string table, Schema schema,
                   std::vector<Check> checks, std::vector<Key> keys = {},
                   std::shared_ptr<const DataSource> existing = nullptr, bool rewrite = false);

  std::unique_ptr<DataWriter> Begin() const override;
  // Only without keys (WritableByEveryProcess): CHECK and NOT NULL need no state.
  std::unique_ptr<DataWriter> BeginJoined() const override;
  std::string Describe() const override { return inner_->Describe(); }
  bool InProcessMemory() const override { return inner_->InProcessMemory(); }
  // Keys are checked against the rows of one process's tasks only: such writes stay whole.
  bool WritableByEveryProcess() const override {
    return keys_.empty() && inner_->WritableByEveryProcess();
  }

  // Throws ConstraintError naming the first NOT NULL or CHECK constraint `batch` (of the
  // table's columns) breaks.
  void CheckRows(const Batch& batch) const;

  // The keys seen by one write: those of the existing rows and those written so far.
  // Thread-safe.
  class KeySet;
  // Throws ConstraintError when a row of `batch` repeats a key of `seen`; adds its keys.
  void CheckKeys(const Batch& batch, KeySet& seen) const;

 private:
  std::shared_ptr<const DataTarget> inner_;
  std::string table_;
  Schema schema_;
  std::vector<Check> checks_;
  std::vector<Key> keys_;
  std::shared_ptr<const DataSource> existing_;
  bool rewrite_ = false;
};

}  // namespace sluice
