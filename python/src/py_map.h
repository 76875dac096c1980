#pragma once

#include <memory>
#include <string>

#include <pybind11/pybind11.h>

#include "vector/batch_mapper.h"
#include "vector/schema.h"

namespace sluice::python {

// A Python function as a per-partition BatchMapper (PySpark's mapInPandas), run by the
// engine's worker threads. Each task calls, with the GIL held,
//   runner(source, partition)
// once, and iterates what it returns. `source` is an iterator over the task's input: its
// __next__ releases the GIL, pulls the next input batch from the engine and returns
// (columns, rows), `columns` a list of ArgumentToPython's (type, values, nulls) in the
// input's column order. Each item the runner's iterator yields is a list of column specs
// (name, type, values, nulls) as ColumnFromPython reads them, one per field of `schema`, all
// of one length: an output batch. The GIL is held only while Python runs: never while the
// input is pulled, nor between the task's batches.
// Errors: a Python exception fails the query with a PythonUdfError holding its message; an
// engine error while pulling the input (bad data, a cancel) fails it with that error, even
// when the Python function catches what its iterator raised.
// REQUIRES: the GIL is held (the runner is kept as a Python reference).
std::shared_ptr<const BatchMapper> MakePythonMapper(const std::string& name, const Schema& schema,
                                                    pybind11::object runner);

// Registers the iterator class the runner receives. REQUIRES: called once, from the module's
// init.
void RegisterPartitionSource(pybind11::module_& m);

}  // namespace sluice::python
