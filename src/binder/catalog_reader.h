#pragma once

#include <string>
#include <vector>

#include "common/settings.h"
#include "plan/logical_plan.h"

namespace sluice {

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
  // The settings the statement is bound under (current_setting(), duckdb_settings(), the
  // table functions' context).
  virtual Settings settings() const { return Settings(); }
};

}  // namespace sluice
