#pragma once

#include <string>
#include <vector>

namespace sluice::dbt {

class Materializer;

// A column of a warehouse relation: its name and SQL type ("INTEGER", "VARCHAR", ...).
struct RelationColumn {
  std::string name;
  std::string type;
};

// Applies an incremental model's `on_schema_change` before its new rows (in `temp`) are
// merged into `target`:
//   ignore             new columns are left out, target columns missing from the new rows
//                      get NULL;
//   fail               any difference in the column names throws, naming the columns;
//   append_new_columns the target is rebuilt with the new columns added (NULL on old rows);
//   sync_all_columns   the target is rebuilt with the new rows' columns exactly: new ones
//                      added, removed ones dropped, changed types cast.
// A rebuild is one CREATE OR REPLACE TABLE from a projection of the target: one commit, no
// ALTER. Returns the columns the incremental step writes (present in both relations after
// the change), in the target's order.
std::vector<std::string> ApplyOnSchemaChange(Materializer& materializer, const std::string& mode,
                                             const std::string& target, const std::string& temp);

}  // namespace sluice::dbt
