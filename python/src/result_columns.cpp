#include "result_columns.h"

#include <algorithm>

#include <fmt/format.h>

#include <pybind11/numpy.h>

#include "api/dataframe_sql.h"
#include "api/session.h"
#include "interruptible.h"
#include "nested_values.h"
#include "py_errors.h"
#include "types/decimal.h"
#include "vector/batch.h"

namespace py = pybind11;

namespace sluice::python {

namespace {

// Keeps an engine Column alive for as long as a NumPy array views its buffer.
struct EngineBuffer {
  ColumnPtr column;
};

std::string FormatBytes(int64_t bytes) {
  const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    u++;
  }
  return u == 0 ? fmt::format("{} bytes", bytes) : fmt::format("{:.1f} {}", v, units[u]);
}

[[noreturn]] void ThrowTooLarge(const char* what, int64_t bytes, int64_t max_bytes) {
  throw CollectTooLargeError(fmt::format(
      "the result to collect is {} {} (max_collect_bytes is {}): bringing it into this "
      "process could exhaust its memory. Write it out with df.write.parquet(path) (the "
      "engine writes in parallel), look at a part with df.limit(n), or raise the guard with "
      "session.conf.set(\"max_collect_bytes\", ...) (0 turns it off)",
      what, FormatBytes(bytes), FormatBytes(max_bytes)));
}

// A view of `column`'s data as a 1-D array of `dtype`, owned by an EngineBuffer.
py::array ViewOf(const ColumnPtr& column, const py::dtype& dtype, size_t rows) {
  py::object owner = py::cast(EngineBuffer{column});
  return py::array(dtype, std::vector<py::ssize_t>{static_cast<py::ssize_t>(rows)},
                   std::vector<py::ssize_t>{}, static_cast<const void*>(column->raw_data()),
                   owner);
}

py::object NullMask(const Column& column, size_t rows) {
  if (column.validity() == nullptr || !column.HasNulls()) return py::none();
  py::array_t<bool> mask(static_cast<py::ssize_t>(rows));
  bool* out = mask.mutable_data();
  for (size_t r = 0; r < rows; r++) out[r] = column.IsNull(r);
  return std::move(mask);
}

// An object array filled by `make(row)` at valid rows, None at NULL rows.
template <typename Make>
py::array ObjectArray(const Column& column, size_t rows, Make make) {
  py::array out(py::dtype("O"), std::vector<py::ssize_t>{static_cast<py::ssize_t>(rows)});
  auto** slots = static_cast<PyObject**>(out.mutable_data());
  for (size_t r = 0; r < rows; r++) {
    py::object v = column.IsNull(r) ? py::object(py::none()) : py::object(make(r));
    Py_XDECREF(slots[r]);
    slots[r] = v.release().ptr();
  }
  return out;
}

}  // namespace

ResultColumns GatherResult(Session& session, const LogicalPlanPtr& plan, int64_t max_bytes) {
  if (max_bytes > 0) {
    const int64_t estimate = EstimateResultBytes(*plan);
    if (estimate > max_bytes) ThrowTooLarge("estimated at", estimate, max_bytes);
  }
  ResultColumns result;
  result.schema = plan->schema;
  const size_t ncols = plan->schema.size();
  // The batches are kept as they stream, then copied once into columns of the exact size
  // (growing columns by doubling copied every value about twice, into fresh memory).
  // Always a private Column, even for a one-batch result: a batch may belong to a cache or
  // to createDataFrame's rows, and the arrays handed out are writable.
  std::vector<Batch> batches;
  int64_t bytes = 0;
  RunInterruptible(session, [&] {
    session.ExecuteInOrder(*plan, [&](const Batch& batch) {
      if (batch.num_rows() == 0) return;
      bytes += static_cast<int64_t>(batch.MemoryBytes());
      if (max_bytes > 0 && bytes > max_bytes) ThrowTooLarge("over", bytes, max_bytes);
      result.rows += batch.num_rows();
      batches.push_back(batch);
    });
  });
  std::vector<std::shared_ptr<Column>> gathered;
  for (size_t c = 0; c < ncols; c++) {
    auto column = Column::Make(plan->schema.field(c).type, std::max<size_t>(result.rows, 1));
    for (Batch& batch : batches) column->Append(*batch.column(c), 0, batch.num_rows());
    gathered.push_back(std::move(column));
  }
  for (auto& c : gathered) result.columns.push_back(std::move(c));
  return result;
}

py::tuple ColumnToPython(const ResultColumns& result, size_t i) {
  return ColumnToPython(result.columns[i], result.schema.field(i).type, result.rows);
}

py::tuple ColumnToPython(const ColumnPtr& column, const LogicalType& type, size_t rows) {
  py::object nulls = NullMask(*column, rows);
  py::object values;
  switch (type.id()) {
    case TypeId::kBoolean: values = ViewOf(column, py::dtype::of<bool>(), rows); break;
    case TypeId::kTinyInt: values = ViewOf(column, py::dtype::of<int8_t>(), rows); break;
    case TypeId::kSmallInt: values = ViewOf(column, py::dtype::of<int16_t>(), rows); break;
    case TypeId::kInteger:
    case TypeId::kDate: values = ViewOf(column, py::dtype::of<int32_t>(), rows); break;
    case TypeId::kBigInt:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz: values = ViewOf(column, py::dtype::of<int64_t>(), rows); break;
    case TypeId::kBlob: {
      const auto* views = column->data<StringView>();
      values = ObjectArray(*column, rows, [&](size_t r) {
        std::string_view s = views[r].view();
        return py::reinterpret_steal<py::object>(
            PyBytes_FromStringAndSize(s.data(), static_cast<py::ssize_t>(s.size())));
      });
      break;
    }
    case TypeId::kDouble: values = ViewOf(column, py::dtype::of<double>(), rows); break;
    case TypeId::kVarchar: {
      const auto* views = column->data<StringView>();
      values = ObjectArray(*column, rows, [&](size_t r) {
        std::string_view s = views[r].view();
        return py::reinterpret_steal<py::object>(
            PyUnicode_DecodeUTF8(s.data(), static_cast<py::ssize_t>(s.size()), "replace"));
      });
      break;
    }
    case TypeId::kDecimal: {
      py::object decimal = py::module_::import("decimal").attr("Decimal");
      values = ObjectArray(*column, rows, [&](size_t r) {
        return decimal(py::str(column->GetValue(r).ToString()));
      });
      break;
    }
    case TypeId::kInterval: {
      const auto* intervals = column->data<Interval>();
      values = ObjectArray(*column, rows, [&](size_t r) {
        return py::make_tuple(intervals[r].months, intervals[r].days, intervals[r].micros);
      });
      break;
    }
    case TypeId::kTime:
    case TypeId::kList:
    case TypeId::kStruct:
    case TypeId::kMap: {
      PythonValues convert;
      values = ObjectArray(*column, rows, [&](size_t r) { return convert(column->GetValue(r)); });
      break;
    }
    case TypeId::kNull:
      values = ObjectArray(*column, rows, [](size_t) { return py::none(); });
      nulls = py::array_t<bool>(static_cast<py::ssize_t>(rows));
      std::fill_n(nulls.cast<py::array_t<bool>>().mutable_data(), rows, true);
      break;
  }
  return py::make_tuple(values, nulls);
}

void RegisterEngineBuffer(py::module_& m) {
  py::class_<EngineBuffer>(m, "_EngineBuffer",
                           "An engine column buffer that NumPy arrays view without copying.")
      .def_property_readonly("nbytes", [](const EngineBuffer& b) {
        return b.column->size() * static_cast<size_t>(b.column->type().PhysicalSize());
      });
}

}  // namespace sluice::python
