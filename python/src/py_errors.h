#pragma once

#include <string>
#include <utility>

#include "common/error.h"

namespace sluice::python {

// A collect whose result would pass max_collect_bytes (raised as sluice.CollectTooLargeError).
class CollectTooLargeError : public UserError {
 public:
  explicit CollectTooLargeError(std::string message) : UserError("Collect", std::move(message)) {}
};

// A Python function the engine ran (a UDF, mapInPandas) raised or returned what its
// declared type does not allow (raised as sluice.PythonUdfError); the message holds the
// Python traceback and the rows of the batch.
class PythonUdfError : public UserError {
 public:
  explicit PythonUdfError(std::string message) : UserError("Python", std::move(message)) {}
};

// Registers the translation of engine exceptions into the classes of sluice/errors.py
// (UserError and its subclasses, InternalError), keeping the engine's positioned message.
// REQUIRES: called once, from the module's init.
void RegisterErrorTranslator();

}  // namespace sluice::python
