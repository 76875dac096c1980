#pragma once

#include <pybind11/pybind11.h>

#include "plan/logical_plan.h"

namespace sluice::python {

// createDataFrame's last step: Python columns become a kValues plan of batches of up to
// kBatchSize rows. `columns` is a list of (name, type, values, nulls) where `type` is SQL
// type text and
//   values  for BOOLEAN, integers, DOUBLE, DATE (int32 days) and TIMESTAMP (int64 micros): a
//           NumPy array of exactly that physical dtype, copied in with memcpy; for VARCHAR,
//           DECIMAL (exact text) and INTERVAL (text): a sequence of str (None for NULL);
//   nulls   a NumPy bool array (True: NULL) or None.
// Every column has the same length. Throws InvalidInputError on a mismatch; a bad decimal
// or interval text is a ConversionError.
// REQUIRES: the GIL is held.
LogicalPlanPtr MakeValuesFromPython(const pybind11::list& columns);

// One column spec of MakeValuesFromPython, (name, type, values, nulls), as one engine
// Column of all its rows. Throws InvalidInputError when the values are not of the type.
// REQUIRES: the GIL is held.
ColumnPtr ColumnFromPython(const pybind11::handle& spec);

}  // namespace sluice::python
