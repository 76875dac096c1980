#include "py_map.h"

#include <exception>
#include <utility>

#include <fmt/format.h>

#include "input_columns.h"
#include "py_errors.h"
#include "py_udf.h"

namespace py = pybind11;

namespace sluice::python {

namespace {

// A task's input as its Python iterator sees it. Shared by the task's stream and the Python
// object, which may outlive the task (a function that keeps its iterator): the stream takes
// `input` back when it ends, after which the iterator is exhausted.
// Guarded by the GIL.
struct SourceState {
  std::unique_ptr<BatchStream> input;
  std::exception_ptr error;  // the engine's error while pulling, rethrown by the stream
};

// The iterator object handed to the runner.
struct PartitionSource {
  std::shared_ptr<SourceState> state;
};

// The next input batch as (columns, rows), or StopIteration. REQUIRES: the GIL is held.
py::object NextInput(PartitionSource& source) {
  SourceState& state = *source.state;
  if (state.input == nullptr || state.error) throw py::stop_iteration();
  Batch batch;
  bool more = false;
  {
    // The engine's operators below may run Python too (a UDF in another task).
    py::gil_scoped_release release;
    try {
      while ((more = state.input->Next(&batch)) && batch.num_rows() == 0) {
      }
    } catch (...) {
      state.error = std::current_exception();
    }
  }
  if (state.error) {
    // Raised into the function; the stream fails the task with the original error whatever
    // the function does with this one.
    std::rethrow_exception(state.error);
  }
  if (!more) throw py::stop_iteration();
  py::list columns;
  for (size_t c = 0; c < batch.num_columns(); c++) {
    columns.append(ArgumentToPython(batch.column(c), batch.num_rows()));
  }
  return py::make_tuple(std::move(columns), batch.num_rows());
}

// One task of a Python mapper: the runner's iterator, advanced one output batch per Next.
class PythonPartitionStream : public BatchStream {
 public:
  PythonPartitionStream(std::shared_ptr<PythonCallable> runner, std::string name,
                        std::shared_ptr<const Schema> schema, std::unique_ptr<BatchStream> input, int partition)
      : runner_(std::move(runner)),
        name_(std::move(name)),
        schema_(std::move(schema)),
        state_(std::make_shared<SourceState>()),
        partition_(partition) {
    state_->input = std::move(input);
  }

  ~PythonPartitionStream() override {
    std::unique_ptr<BatchStream> input;
    if (!Py_IsInitialized()) {
      output_.release();
      return;
    }
    {
      py::gil_scoped_acquire gil;
      input = std::move(state_->input);
      output_ = py::object();  // the function's generator is closed here
    }
    input.reset();  // without the GIL: the input's operators may wait for other tasks
  }

  bool Next(Batch* out) override {
    py::gil_scoped_acquire gil;
    try {
      if (!output_) {
        py::object source = py::cast(PartitionSource{state_});
        output_ = py::iter(runner_->function(source, partition_));
      }
      PyObject* item = PyIter_Next(output_.ptr());
      if (item == nullptr) {
        if (PyErr_Occurred()) throw py::error_already_set();
        RethrowInputError();
        return false;
      }
      py::list specs = py::reinterpret_steal<py::object>(item);
      RethrowInputError();
      *out = ToBatch(specs);
      return true;
    } catch (py::error_already_set& e) {
      RethrowInputError();
      throw PythonUdfError(PythonErrorMessage(e, name_));
    } catch (const PythonUdfError&) {
      throw;
    } catch (const Error& e) {
      RethrowInputError();
      throw PythonUdfError(fmt::format("mapInPandas function '{}' returned values the engine "
                                       "cannot take: {}", name_, e.what()));
    }
  }

 private:
  void RethrowInputError() const {
    if (state_->error) std::rethrow_exception(state_->error);
  }

  // One yielded item as a batch of the schema. REQUIRES: the GIL is held.
  Batch ToBatch(const py::list& specs) const {
    if (specs.size() != schema_->size()) {
      throw PythonUdfError(fmt::format("mapInPandas function '{}': {} columns for a schema of {}",
                                       name_, specs.size(), schema_->size()));
    }
    std::vector<ColumnPtr> columns;
    for (size_t c = 0; c < specs.size(); c++) {
      columns.push_back(ColumnFromPython(specs[c]));
      const size_t rows = columns.back()->size();
      if (columns.back()->type() != schema_->field(c).type || rows != columns.front()->size()) {
        throw PythonUdfError(fmt::format("mapInPandas function '{}': column {} came back as {} "
                                         "rows of {}, not {}", name_, schema_->field(c).name,
                                         rows, columns.back()->type().ToString(),
                                         schema_->field(c).type.ToString()));
      }
    }
    const size_t rows = columns.empty() ? 0 : columns.front()->size();
    return Batch(std::move(columns), rows);
  }

  std::shared_ptr<PythonCallable> runner_;
  std::string name_;
  std::shared_ptr<const Schema> schema_;
  std::shared_ptr<SourceState> state_;
  int partition_;
  py::object output_;  // the runner's iterator, once the task started
};

}  // namespace

void RegisterPartitionSource(py::module_& m) {
  py::class_<PartitionSource>(m, "PartitionSource",
                              "A mapInPandas task's input batches, pulled from the engine.")
      .def("__iter__", [](py::object self) { return self; })
      .def("__next__", &NextInput);
}

std::shared_ptr<const BatchMapper> MakePythonMapper(const std::string& name, const Schema& schema,
                                                    py::object runner) {
  auto callable = std::make_shared<PythonCallable>(std::move(runner));
  auto fields = std::make_shared<const Schema>(schema);
  auto mapper = std::make_shared<BatchMapper>();
  mapper->name = name;
  mapper->map_partition = [callable, name, fields](std::unique_ptr<BatchStream> input,
                                                   int partition) {
    return std::make_unique<PythonPartitionStream>(callable, name, fields, std::move(input),
                                                   partition);
  };
  return mapper;
}

}  // namespace sluice::python
