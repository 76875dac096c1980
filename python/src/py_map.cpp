#include "py_map.h"

#include <fmt/format.h>

#include "input_columns.h"
#include "py_errors.h"
#include "py_udf.h"
#include "result_columns.h"

namespace py = pybind11;

namespace sluice::python {

namespace {

// One batch through the runner. REQUIRES: the GIL is held.
std::vector<Batch> MapBatch(const py::object& runner, const std::string& name,
                            const Schema& schema, const Batch& batch, int partition) {
  py::list columns;
  for (size_t c = 0; c < batch.num_columns(); c++) {
    const ColumnPtr& column = batch.column(c);
    ColumnPtr flat = column->Flatten(column);
    py::tuple pair = ColumnToPython(flat, flat->type(), batch.num_rows());
    columns.append(py::make_tuple(py::none(), flat->type().ToString(), ReadOnly(pair[0]), pair[1]));
  }
  py::list specs = runner(columns, batch.num_rows(), partition);
  if (specs.size() != schema.size()) {
    throw PythonUdfError(fmt::format("mapInPandas function '{}': {} columns for a schema of {}",
                                     name, specs.size(), schema.size()));
  }
  std::vector<ColumnPtr> out;
  size_t rows = 0;
  for (size_t c = 0; c < specs.size(); c++) {
    out.push_back(ColumnFromPython(specs[c]));
    rows = out.back()->size();
    if (out.back()->type() != schema.field(c).type || rows != out.front()->size()) {
      throw PythonUdfError(fmt::format("mapInPandas function '{}': column {} came back as {} "
                                       "rows of {}, not {}", name, schema.field(c).name, rows,
                                       out.back()->type().ToString(),
                                       schema.field(c).type.ToString()));
    }
  }
  std::vector<Batch> batches;
  batches.emplace_back(std::move(out), rows);
  return batches;
}

}  // namespace

std::shared_ptr<const BatchMapper> MakePythonMapper(const std::string& name, const Schema& schema,
                                                    py::object runner) {
  auto callable = std::make_shared<PythonCallable>(std::move(runner));
  auto mapper = std::make_shared<BatchMapper>();
  mapper->name = name;
  mapper->map = [callable, name, schema](const Batch& batch, int partition) {
    py::gil_scoped_acquire gil;
    try {
      return MapBatch(callable->function, name, schema, batch, partition);
    } catch (py::error_already_set& e) {
      throw PythonUdfError(PythonErrorMessage(e, name));
    } catch (const PythonUdfError&) {
      throw;
    } catch (const Error& e) {
      throw PythonUdfError(fmt::format("mapInPandas function '{}' returned values the engine "
                                       "cannot take: {}", name, e.what()));
    }
  };
  return mapper;
}

}  // namespace sluice::python
