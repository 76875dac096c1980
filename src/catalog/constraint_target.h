#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/error.h"
#include "expr/expr.h"
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

  // `table`: the name errors use; `schema`: the table's columns (the batches written).
  ConstraintTarget(std::shared_ptr<const DataTarget> inner, std::string table, Schema schema,
                   std::vector<Check> checks);

  std::unique_ptr<DataWriter> Begin() const override;
  std::string Describe() const override { return inner_->Describe(); }

  // Throws ConstraintError naming the first constraint `batch` (of the table's columns)
  // breaks.
  void CheckRows(const Batch& batch) const;

 private:
  std::shared_ptr<const DataTarget> inner_;
  std::string table_;
  Schema schema_;
  std::vector<Check> checks_;
};

}  // namespace sluice
