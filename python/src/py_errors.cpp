#include "py_errors.h"

#include <exception>

#include <pybind11/pybind11.h>

namespace py = pybind11;

namespace sluice::python {

namespace {

// Sets the Python error to sluice.errors.<name>(message).
void Raise(const char* name, const char* message) {
  py::object cls = py::module_::import("sluice.errors").attr(name);
  PyErr_SetString(cls.ptr(), message);
}

}  // namespace

void RegisterErrorTranslator() {
  // Most derived first: a catch clause takes the first base that matches.
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const CollectTooLargeError& e) {
      Raise("CollectTooLargeError", e.what());
    } catch (const PythonUdfError& e) {
      Raise("PythonUdfError", e.what());
    } catch (const ParseError& e) {
      Raise("ParseError", e.what());
    } catch (const BindError& e) {
      Raise("BindError", e.what());
    } catch (const ConversionError& e) {
      Raise("ConversionError", e.what());
    } catch (const OutOfRangeError& e) {
      Raise("OutOfRangeError", e.what());
    } catch (const IOError& e) {
      Raise("IOError", e.what());
    } catch (const OutOfMemoryError& e) {
      Raise("OutOfMemoryError", e.what());
    } catch (const NotImplementedError& e) {
      Raise("NotImplementedError", e.what());
    } catch (const InvalidInputError& e) {
      Raise("InvalidInputError", e.what());
    } catch (const InterruptError& e) {
      Raise("InterruptError", e.what());
    } catch (const UserError& e) {
      Raise("UserError", e.what());
    } catch (const Error& e) {
      Raise("InternalError", e.what());
    }
  });
}

}  // namespace sluice::python
