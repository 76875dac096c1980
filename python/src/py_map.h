#pragma once

#include <memory>
#include <string>

#include <pybind11/pybind11.h>

#include "vector/batch_mapper.h"
#include "vector/schema.h"

namespace sluice::python {

// A Python function as a BatchMapper (mapInPandas), run by the engine's worker threads:
// per input batch the mapper takes the GIL, calls
//   runner(columns, rows, partition)
// with `columns` a list of (None, type, values, nulls) in the input's column order (values
// and nulls as ColumnToPython makes them; numeric values are read-only views of the
// engine's buffers), and releases the GIL again. The runner returns a list of column specs
// (name, type, values, nulls) as ColumnFromPython reads them, one per field of `schema`,
// all of one length. A Python exception fails the query with a PythonUdfError holding its
// message.
// REQUIRES: the GIL is held (the runner is kept as a Python reference).
std::shared_ptr<const BatchMapper> MakePythonMapper(const std::string& name, const Schema& schema,
                                                    pybind11::object runner);

}  // namespace sluice::python
