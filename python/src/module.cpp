// The extension module sluice._sluice: the engine's Session and DataFrame for the
// PySpark-shaped Python package around it (python/sluice/).
#include <pybind11/pybind11.h>

#include "py_dataframe.h"
#include "py_errors.h"
#include "py_map.h"
#include "result_columns.h"

PYBIND11_MODULE(_sluice, m) {
  m.doc() = "Sluice engine bindings; use the `sluice` package, not this module.";
  sluice::python::RegisterErrorTranslator();
  sluice::python::RegisterEngineBuffer(m);
  sluice::python::RegisterDataFrame(m);
  sluice::python::RegisterPartitionSource(m);
  sluice::python::RegisterSession(m);
}
