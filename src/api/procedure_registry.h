#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "api/sql_runner.h"
#include "types/value.h"

namespace sluice {

class FileTableStore;

// One parameter of a stored procedure: CALL passes it by position (in this order) or by
// name (`name => value`).
struct ProcedureParameter {
  std::string name;
  bool required = false;
  std::string description;
};

// The arguments of one CALL, by parameter name, with conversions that name the parameter
// when a value does not fit (InvalidInputError).
class ProcedureArgs {
 public:
  ProcedureArgs(std::string procedure, std::map<std::string, Value> values)
      : procedure_(std::move(procedure)), values_(std::move(values)) {}

  bool Has(const std::string& name) const;
  std::string String(const std::string& name) const;
  int64_t Int(const std::string& name) const;
  bool Bool(const std::string& name) const;
  // A TIMESTAMP, DATE or timestamp text, in UTC milliseconds.
  int64_t TimeMs(const std::string& name) const;
  // The same in UTC microseconds.
  int64_t TimeMicros(const std::string& name) const;
  // A byte count: an integer or a size text ('512MB', '1GiB').
  int64_t Bytes(const std::string& name) const;

 private:
  const Value& Get(const std::string& name) const;
  [[noreturn]] void Fail(const std::string& name, const std::string& what) const;

  std::string procedure_;
  std::map<std::string, Value> values_;
};

// A stored procedure run by CALL: Iceberg's table maintenance, with the parameters and the
// result columns of Spark's procedures of the same name.
struct Procedure {
  std::string name;
  std::string description;
  std::vector<ProcedureParameter> parameters;
  // Runs the call; throws InvalidInputError for arguments that name nothing.
  std::function<StatementResult(Session&, const ProcedureArgs&)> run;
};

// Every procedure CALL knows, by name. Thread-safe after registration (Procedures() is
// filled once, on first use).
class ProcedureRegistry {
 public:
  void Register(Procedure procedure);
  // The procedure, or null.
  const Procedure* Find(const std::string& name) const;
  std::vector<std::string> Names() const;

 private:
  std::map<std::string, Procedure> procedures_;
};

// The registry with every built-in procedure (procedures.cpp: one line each).
const ProcedureRegistry& Procedures();

// The Iceberg table `name` of the session's warehouse, for a procedure's `table` argument.
// Throws InvalidInputError when there is none, or it is not an Iceberg table.
std::shared_ptr<FileTableStore> IcebergTableOf(Session& session, const std::string& name);

// The procedures, defined beside what they do (snapshot_procedures.cpp,
// file_procedures.cpp).
Procedure RollbackToSnapshotProcedure();
Procedure RollbackToTimestampProcedure();
Procedure SetCurrentSnapshotProcedure();
Procedure ExpireSnapshotsProcedure();
Procedure RemoveOrphanFilesProcedure();
Procedure RewriteDataFilesProcedure();
Procedure SetHighWaterMarkProcedure();  // lambda_view.cpp

}  // namespace sluice
