#include "interruptible.h"

#include <chrono>
#include <exception>
#include <future>
#include <thread>

#include <pybind11/pybind11.h>

#include "api/session.h"

namespace py = pybind11;

namespace sluice::python {

void RunInterruptible(Session& session, const std::function<void()>& work) {
  std::packaged_task<void()> task(work);
  std::future<void> done = task.get_future();
  std::thread runner(std::move(task));
  bool interrupted = false;
  while (true) {
    std::future_status status;
    {
      py::gil_scoped_release release;
      status = done.wait_for(std::chrono::milliseconds(50));
    }
    if (status == std::future_status::ready) break;
    // Runs the Python-level signal handlers (main thread only); -1 means one raised.
    if (PyErr_CheckSignals() != 0) {
      interrupted = true;
      session.Interrupt();
      break;
    }
  }
  {
    py::gil_scoped_release release;
    runner.join();
  }
  if (interrupted) {
    // The query stopped with an InterruptError (or finished just before): what Python
    // raised wins either way.
    try {
      done.get();
    } catch (const std::exception&) {
    }
    throw py::error_already_set();
  }
  done.get();
}

}  // namespace sluice::python
