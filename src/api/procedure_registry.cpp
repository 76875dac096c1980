#include "api/procedure_registry.h"

#include <fmt/format.h>

#include "api/feature_materialize.h"
#include "api/score_to_redis.h"
#include "catalog/file_table_store.h"
#include "common/error.h"
#include "common/memory.h"
#include "types/date_time.h"

namespace sluice {

bool ProcedureArgs::Has(const std::string& name) const {
  auto it = values_.find(name);
  return it != values_.end() && !it->second.is_null();
}

const Value& ProcedureArgs::Get(const std::string& name) const {
  auto it = values_.find(name);
  SLUICE_CHECK(it != values_.end() && !it->second.is_null(), "{}: no argument {}", procedure_,
               name);
  return it->second;
}

void ProcedureArgs::Fail(const std::string& name, const std::string& what) const {
  throw InvalidInputError(fmt::format("{}: argument {} must be {}, not {}", procedure_, name, what,
                                      Get(name).ToString()));
}

std::string ProcedureArgs::String(const std::string& name) const {
  const Value& v = Get(name);
  if (v.type().id() != TypeId::kVarchar) Fail(name, "a string");
  return v.GetString();
}

int64_t ProcedureArgs::Int(const std::string& name) const {
  const Value& v = Get(name);
  if (v.type().IsInteger()) return v.GetInt();
  if (v.type().id() == TypeId::kVarchar) {
    try {
      size_t used = 0;
      const int64_t n = std::stoll(v.GetString(), &used);
      if (used == v.GetString().size()) return n;
    } catch (const std::exception&) {
    }
  }
  Fail(name, "an integer");
}

bool ProcedureArgs::Bool(const std::string& name) const {
  const Value& v = Get(name);
  if (v.type().id() != TypeId::kBoolean) Fail(name, "a boolean");
  return v.GetBool();
}

int64_t ProcedureArgs::TimeMs(const std::string& name) const { return TimeMicros(name) / 1000; }

int64_t ProcedureArgs::TimeMicros(const std::string& name) const {
  const Value& v = Get(name);
  switch (v.type().id()) {
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:  // now() - INTERVAL ...
      return v.GetInt();
    case TypeId::kDate:
      return v.GetInt() * int64_t{86400000000};
    case TypeId::kVarchar:
      if (auto micros = ParseTimestamp(v.GetString())) return *micros;
      break;
    default:
      break;
  }
  Fail(name, "a timestamp");
}

int64_t ProcedureArgs::Bytes(const std::string& name) const {
  const Value& v = Get(name);
  int64_t bytes = 0;
  if (v.type().IsInteger()) {
    bytes = v.GetInt();
  } else if (v.type().id() == TypeId::kVarchar) {
    try {
      bytes = ParseMemorySize(v.GetString());
    } catch (const InvalidInputError&) {
      Fail(name, "a size ('128MB')");
    }
  } else {
    Fail(name, "a size");
  }
  if (bytes <= 0) Fail(name, "a positive size");
  return bytes;
}

void ProcedureRegistry::Register(Procedure procedure) {
  SLUICE_CHECK(procedures_.count(procedure.name) == 0, "procedure {} registered twice",
               procedure.name);
  std::string name = procedure.name;
  procedures_.emplace(std::move(name), std::move(procedure));
}

const Procedure* ProcedureRegistry::Find(const std::string& name) const {
  auto it = procedures_.find(name);
  return it == procedures_.end() ? nullptr : &it->second;
}

std::vector<std::string> ProcedureRegistry::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, p] : procedures_) names.push_back(name);
  return names;
}

const ProcedureRegistry& Procedures() {
  static const ProcedureRegistry registry = [] {
    ProcedureRegistry r;
    r.Register(RollbackToSnapshotProcedure());
    r.Register(RollbackToTimestampProcedure());
    r.Register(SetCurrentSnapshotProcedure());
    r.Register(ExpireSnapshotsProcedure());
    r.Register(RemoveOrphanFilesProcedure());
    r.Register(RewriteDataFilesProcedure());
    r.Register(ScoreToRedisProcedure());
    r.Register(ApplyFeatureViewsProcedure());
    r.Register(SetHighWaterMarkProcedure());
    return r;
  }();
  return registry;
}

std::shared_ptr<FileTableStore> IcebergTableOf(Session& session, const std::string& name) {
  std::shared_ptr<TableStore> store = session.FindStore(name);
  if (store == nullptr) {
    if (session.HasTable(name)) {
      throw InvalidInputError(fmt::format("\"{}\" is not a table", name));
    }
    throw InvalidInputError(fmt::format("Table with name {} does not exist!", name));
  }
  auto table = std::dynamic_pointer_cast<FileTableStore>(store);
  if (table == nullptr) {
    throw InvalidInputError(fmt::format(
        "table {} is not an Iceberg table: procedures work on the tables of a --db warehouse",
        name));
  }
  return table;
}

}  // namespace sluice
