#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "api/session.h"
#include "sql/ast.h"

namespace sluice {
class SqlCatalog;
}

namespace sluice::stream {

// The warehouse tables a streaming job reads in temporal joins (`JOIN t FOR SYSTEM_TIME AS OF
// o.ts`, a lookup join): each step meets every such table's latest snapshot. The session
// keeps the state of a table as this process last saw it, so commits of other processes (a
// batch job updating the rates) are read here from the warehouse's catalog, and the table's
// name is bound to that snapshot as a view of the session. Not thread-safe.
class LookupTables {
 public:
  // The tables of `from` (a job's FROM tree) named by a temporal join.
  static std::vector<std::string> Find(const sql::TableRef* from);

  // REQUIRES: `session` has a warehouse (--db) and outlives this.
  LookupTables(Session& session, std::vector<std::string> names);
  ~LookupTables();

  // Binds each table's name to its latest snapshot for the queries bound next.
  void Refresh();

 private:
  Session& session_;
  std::vector<std::string> names_;
  std::unique_ptr<SqlCatalog> catalog_;
  std::map<std::string, std::string> locations_;  // name -> metadata file bound now
};

}  // namespace sluice::stream
