#pragma once

#include <functional>

namespace sluice {
class Session;
}

namespace sluice::python {

// Runs `work` (engine code that touches no Python object) on a thread of its own while the
// calling thread waits with the GIL released, waking every 50 ms to let Python check for
// signals. On Ctrl-C (KeyboardInterrupt, or any exception a signal handler raises) it calls
// session.Interrupt(), waits for `work` to stop, and rethrows that Python exception; else
// it returns when `work` does, rethrowing what `work` threw.
// REQUIRES: the GIL is held by the caller.
void RunInterruptible(Session& session, const std::function<void()>& work);

}  // namespace sluice::python
