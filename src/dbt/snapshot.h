#pragma once

#include <string>

#include "dbt/materialization.h"

namespace sluice::dbt {

// Builds a snapshot (SCD type 2) from the rows of its query `sql`. Config: unique_key
// (a column or a list) and strategy 'timestamp' (updated_at: the column whose growth marks
// a change) or 'check' (check_cols: a list, or 'all'). The snapshot table holds the query's
// columns plus dbt_scd_id, dbt_updated_at, dbt_valid_from and dbt_valid_to (NULL on the
// current row of a key). A changed key's current row is closed (dbt_valid_to = the new
// row's dbt_valid_from) and a new current row added, in one commit, so a key never has two
// current rows. A key repeated in the query's rows is an error that names the key.
NodeOutcome BuildSnapshot(Materializer& materializer, const Node& node, const std::string& sql);

}  // namespace sluice::dbt
