#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include <pybind11/pybind11.h>

#include "expr/scalar_udf.h"

namespace sluice::python {

// A Python callable shared by the copies of a kernel or mapper, which the engine frees on
// any thread: the reference is dropped with the GIL held (and leaked when the interpreter is
// gone). The counters number the rows and batches it was called on.
struct PythonCallable {
  explicit PythonCallable(pybind11::object f) : function(std::move(f)) {}
  ~PythonCallable();
  PythonCallable(const PythonCallable&) = delete;
  PythonCallable& operator=(const PythonCallable&) = delete;

  pybind11::object function;
  std::atomic<int64_t> rows_seen{0};
  std::atomic<int64_t> batches_seen{0};
};

// `values` (a NumPy array viewing an engine buffer) made read-only: the engine shares its
// columns between operators. Object arrays (copies) are left as they are.
// REQUIRES: the GIL is held.
pybind11::object ReadOnly(pybind11::object values);

// An engine column handed to Python code (a UDF's argument, a mapInPandas batch's column) as
// (type, values, nulls): the SQL type's name and the pair ColumnToPython makes, the values
// read-only (numeric ones view the engine's buffer); constant columns are expanded first.
// REQUIRES: the GIL is held.
pybind11::tuple ArgumentToPython(const ColumnPtr& column, size_t rows);

// The message of a Python exception a runner raised: a sluice.PythonUdfError's own text
// (which holds the traceback), else the exception with `name`. REQUIRES: the GIL is held.
std::string PythonErrorMessage(pybind11::error_already_set& e, const std::string& name);

// A Python function as a session's scalar function (a vectorized UDF), run batch by batch
// by the engine's worker threads. Per batch the kernel takes the GIL, hands the argument
// columns to `runner` and releases the GIL again, so no engine thread holds it between
// batches. The runner is called as
//   runner(columns, rows, first_row, batch)
// where `columns` is a list of ArgumentToPython's (type, values, nulls);
// `first_row` is the number of rows the function received before this batch and `batch`
// this batch's number (both counted over all tasks, in the order batches reach it). It returns a column spec
// (name, type, values, nulls) of `result_type` as ColumnFromPython reads it, with `rows`
// values. A Python exception from the runner fails the query with a PythonUdfError holding
// its message. REQUIRES: the GIL is held (the runner is kept as a Python reference).
ScalarUdf MakePythonUdf(const std::string& name, const LogicalType& result_type,
                        pybind11::object runner);

}  // namespace sluice::python
