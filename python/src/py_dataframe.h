#pragma once

#include <memory>

#include <pybind11/pybind11.h>

#include "api/dataframe.h"
#include "api/session.h"

namespace sluice::python {

// A C++ DataFrame as Python holds it: with a share of its Session, so the session outlives
// every DataFrame made from it whatever order Python frees them in.
struct PyDataFrame {
  std::shared_ptr<Session> session;
  DataFrame df;
};

// Registers sluice._sluice.DataFrame: the engine's DataFrame operations and actions that
// the PySpark-shaped layer (sluice/dataframe.py) builds on.
void RegisterDataFrame(pybind11::module_& m);

// Registers sluice._sluice.Session.
void RegisterSession(pybind11::module_& m);

}  // namespace sluice::python
