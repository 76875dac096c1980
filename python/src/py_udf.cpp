#include "py_udf.h"

#include <atomic>
#include <memory>

#include <fmt/format.h>

#include "input_columns.h"
#include "py_errors.h"
#include "result_columns.h"

namespace py = pybind11;

namespace sluice::python {

PythonCallable::~PythonCallable() {
  if (!Py_IsInitialized()) {
    function.release();
    return;
  }
  py::gil_scoped_acquire gil;
  function = py::object();
}

py::object ReadOnly(py::object values) {
  if (values.attr("dtype").attr("kind").cast<std::string>() != "O") {
    values.attr("flags").attr("writeable") = false;
  }
  return values;
}

py::tuple ArgumentToPython(const ColumnPtr& column, size_t rows) {
  ColumnPtr flat = column->Flatten(column);
  py::tuple pair = ColumnToPython(flat, flat->type(), rows);
  return py::make_tuple(flat->type().ToString(), ReadOnly(pair[0]), pair[1]);
}

std::string PythonErrorMessage(py::error_already_set& e, const std::string& name) {
  if (e.matches(py::module_::import("sluice.errors").attr("PythonUdfError"))) {
    return py::str(e.value()).cast<std::string>();
  }
  return fmt::format("Python function '{}' failed: {}", name, e.what());
}

namespace {

// Runs one batch through the runner. REQUIRES: the GIL is held.
ColumnPtr RunBatch(PythonCallable& callable, const std::string& name,
                   const LogicalType& result_type, const std::vector<ColumnPtr>& args,
                   size_t rows, int64_t first_row, int64_t batch) {
  py::list columns;
  for (const ColumnPtr& arg : args) columns.append(ArgumentToPython(arg, rows));
  py::object spec = callable.function(columns, rows, first_row, batch);
  ColumnPtr out = ColumnFromPython(spec);
  if (out->size() != rows || out->type() != result_type) {
    throw PythonUdfError(fmt::format("UDF '{}': its runner returned {} rows of {} for a batch of "
                                     "{} rows of {}", name, out->size(), out->type().ToString(),
                                     rows, result_type.ToString()));
  }
  return out;
}

}  // namespace

ScalarUdf MakePythonUdf(const std::string& name, const LogicalType& result_type,
                        py::object runner) {
  auto callable = std::make_shared<PythonCallable>(std::move(runner));
  ScalarUdf udf;
  udf.name = name;
  udf.result_type = result_type;
  udf.kernel = [callable, name, result_type](const std::vector<ColumnPtr>& args,
                                             size_t rows) -> ColumnPtr {
    const int64_t first_row = callable->rows_seen.fetch_add(static_cast<int64_t>(rows));
    const int64_t batch = callable->batches_seen.fetch_add(1);
    py::gil_scoped_acquire gil;
    try {
      return RunBatch(*callable, name, result_type, args, rows, first_row, batch);
    } catch (py::error_already_set& e) {
      throw PythonUdfError(PythonErrorMessage(e, name));
    } catch (const PythonUdfError&) {
      throw;
    } catch (const Error& e) {
      throw PythonUdfError(fmt::format("UDF '{}' returned values the engine cannot take: {}",
                                       name, e.what()));
    }
  };
  return udf;
}

}  // namespace sluice::python
