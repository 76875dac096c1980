#pragma once

#include <cstdint>
#include <vector>

#include <pybind11/pybind11.h>

#include "plan/logical_plan.h"
#include "vector/column.h"
#include "vector/schema.h"

namespace sluice {
class Session;
}

namespace sluice::python {

// A query's result as one flat engine Column per output column: the buffers that NumPy
// arrays view without copying. Batches are appended, as the query streams them, into one
// Column each that belongs to this result alone.
struct ResultColumns {
  Schema schema;
  std::vector<ColumnPtr> columns;
  size_t rows = 0;
};

// Runs `plan` (interruptible, GIL released) and gathers its result. `max_bytes` (>0) is the
// max_collect_bytes guard: CollectTooLargeError before the run when the estimate passes it,
// and as soon as the gathered bytes do (an estimate can be low).
// REQUIRES: the GIL is held.
ResultColumns GatherResult(Session& session, const LogicalPlanPtr& plan, int64_t max_bytes);

// Column `i` of `result` for Python, as a tuple (values, nulls):
//   values  a NumPy array: BOOLEAN, integers and DOUBLE view the engine buffer (the array's
//           base is a sluice._EngineBuffer holding the Column: zero copy); DATE is int32
//           days and TIMESTAMP int64 microseconds, also views; VARCHAR an object array of
//           str; DECIMAL of decimal.Decimal; INTERVAL of (months, days, micros) tuples.
//           Object arrays hold None at NULL rows; the values of NULL rows of the others
//           are unspecified.
//   nulls   a NumPy bool array (True: NULL), or None when the column has no NULLs.
// REQUIRES: the GIL is held.
pybind11::tuple ColumnToPython(const ResultColumns& result, size_t i);
// The same for a flat `column` (not constant) of `type` with `rows` rows.
pybind11::tuple ColumnToPython(const ColumnPtr& column, const LogicalType& type, size_t rows);

// Registers sluice._EngineBuffer, the owner object NumPy views keep alive.
void RegisterEngineBuffer(pybind11::module_& m);

}  // namespace sluice::python
