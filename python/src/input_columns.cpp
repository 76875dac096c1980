#include "input_columns.h"

#include <cstring>

#include <fmt/format.h>

#include <pybind11/numpy.h>

#include "common/error.h"
#include "vector/batch.h"

namespace py = pybind11;

namespace sluice::python {

namespace {

// One input column, checked.
struct InputColumn {
  Field field;
  py::array fixed;          // fixed-width values (contiguous), or empty
  py::sequence objects;     // text values, when not fixed-width
  const bool* nulls = nullptr;
  py::object nulls_owner;
  size_t rows = 0;
};

bool IsFixedWidth(const LogicalType& t) {
  return t.id() != TypeId::kVarchar && t.id() != TypeId::kDecimal && t.id() != TypeId::kInterval;
}

InputColumn CheckColumn(const py::handle& spec) {
  auto t = spec.cast<py::tuple>();
  InputColumn c;
  c.field.name = t[0].cast<std::string>();
  c.field.type = ParseTypeName(t[1].cast<std::string>());
  if (IsFixedWidth(c.field.type)) {
    c.fixed = py::array::ensure(t[2], py::array::c_style);
    if (!c.fixed || c.fixed.ndim() != 1 ||
        c.fixed.itemsize() != c.field.type.PhysicalSize()) {
      throw InvalidInputError(fmt::format("column {}: values must be a 1-D array of {}-byte {}",
                                          c.field.name, c.field.type.PhysicalSize(),
                                          c.field.type.ToString()));
    }
    c.rows = static_cast<size_t>(c.fixed.shape(0));
  } else {
    c.objects = t[2].cast<py::sequence>();
    c.rows = static_cast<size_t>(py::len(c.objects));
  }
  if (!t[3].is_none()) {
    auto mask = py::array_t<bool, py::array::c_style | py::array::forcecast>::ensure(t[3]);
    if (!mask || static_cast<size_t>(mask.size()) != c.rows) {
      throw InvalidInputError(fmt::format("column {}: the null mask has the wrong length",
                                          c.field.name));
    }
    c.nulls = mask.data();
    c.nulls_owner = std::move(mask);
  }
  return c;
}

ColumnPtr Chunk(const InputColumn& c, size_t offset, size_t n) {
  auto column = Column::Make(c.field.type, n);
  column->set_size(n);
  if (IsFixedWidth(c.field.type)) {
    const auto* src = static_cast<const uint8_t*>(c.fixed.data());
    const size_t width = static_cast<size_t>(c.field.type.PhysicalSize());
    std::memcpy(column->raw_data(), src + offset * width, n * width);
  } else {
    for (size_t r = 0; r < n; r++) {
      py::handle v = c.objects[offset + r];
      if (v.is_none() || (c.nulls != nullptr && c.nulls[offset + r])) {
        column->SetNull(r);
      } else if (c.field.type.id() == TypeId::kVarchar) {
        column->data<StringView>()[r] = column->AddString(v.cast<std::string>());
      } else {
        column->SetValue(r, Value::Varchar(v.cast<std::string>()).CastTo(c.field.type));
      }
    }
  }
  if (c.nulls != nullptr) {
    for (size_t r = 0; r < n; r++) {
      if (c.nulls[offset + r]) column->SetNull(r);
    }
  }
  return column;
}

}  // namespace

ColumnPtr ColumnFromPython(const py::handle& spec) {
  InputColumn c = CheckColumn(spec);
  return Chunk(c, 0, c.rows);
}

LogicalPlanPtr MakeValuesFromPython(const py::list& columns) {
  std::vector<InputColumn> inputs;
  Schema schema;
  for (const py::handle& spec : columns) {
    inputs.push_back(CheckColumn(spec));
    if (inputs.back().rows != inputs.front().rows) {
      throw InvalidInputError(fmt::format("column {} has {} rows, column {} has {}",
                                          inputs.back().field.name, inputs.back().rows,
                                          inputs.front().field.name, inputs.front().rows));
    }
    schema.Add(inputs.back().field);
  }
  const size_t rows = inputs.empty() ? 0 : inputs.front().rows;
  std::vector<Batch> batches;
  for (size_t offset = 0; offset < rows; offset += kBatchSize) {
    const size_t n = std::min(kBatchSize, rows - offset);
    std::vector<ColumnPtr> cols;
    for (const InputColumn& c : inputs) cols.push_back(Chunk(c, offset, n));
    batches.emplace_back(std::move(cols), n);
  }
  return MakeValues(std::move(schema), std::move(batches));
}

}  // namespace sluice::python
