#pragma once

#include <pybind11/pybind11.h>

#include "types/value.h"

namespace sluice::python {

// A value of any type as the Python object PySpark's collect() gives for it: a STRUCT as a
// sluice Row of its fields, a LIST as a list, a MAP as a dict, DATE / TIMESTAMP / TIME as
// datetime objects (TIMESTAMPTZ as its naive UTC time, as the top-level columns are),
// DECIMAL as decimal.Decimal, BLOB as bytes, INTERVAL as dateutil's relativedelta, NULL as
// None. For the columns that cannot cross as NumPy arrays (nested, TIME), value by value.
// Made once per column: it holds the Python classes it makes objects of.
// REQUIRES: the GIL is held while it is made, used and destroyed.
class PythonValues {
 public:
  PythonValues();
  pybind11::object operator()(const Value& value) const;

 private:
  pybind11::object datetime_, epoch_date_, epoch_, timedelta_, time_, decimal_, make_row_,
      interval_;
};

}  // namespace sluice::python
