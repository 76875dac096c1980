#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "plan/logical_plan.h"

namespace sluice {

class DataFrame;
class Session;

// Binds query `sql` in which the names of `relations` (case-insensitive) stand for those
// plans, hiding tables and views of the same name; other names resolve in the session's
// catalog. Runs nothing. The Python DataFrame API renders its column expressions as SQL over
// the DataFrames they refer to, so every engine function and the binder's positioned errors
// are there. Throws ParseError, BindError or NotImplementedError (a statement that is not a
// query) with the SQL line:column and a caret.
DataFrame SqlOverPlans(Session& session, const std::string& sql,
                       const std::map<std::string, LogicalPlanPtr>& relations);

// Estimated bytes of `plan`'s result once collected: the optimizer's row estimate times the
// width of a row (fixed-size values, 32 bytes for a string). A guess, never a run: the
// max_collect_bytes guard compares it before a collect starts.
int64_t EstimateResultBytes(const LogicalPlan& plan);

}  // namespace sluice
