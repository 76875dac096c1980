#pragma once

#include <functional>

namespace sluice {

// Makes Ctrl-C (SIGINT), SIGTERM and SIGHUP remove the process's spill folders before the
// process dies of the signal. The signals are blocked in every thread and one watcher thread
// waits for them with sigwait, so the cleanup runs as ordinary code, not in a signal handler.
// Signals that the parent set to be ignored (nohup) stay ignored.
// REQUIRES: called from main before any other thread starts (threads inherit the mask), and
// nothing in the process spawns children (they would inherit the blocked signals).
void InstallInterruptCleanup();

// While alive, SIGINT calls `on_interrupt` instead of ending the process: the interactive
// shell cancels the running query and carries on. SIGTERM and SIGHUP still clean up and end
// the process. `on_interrupt` runs on the watcher thread, once per signal, and must return
// quickly; the destructor waits for a call under way. Without InstallInterruptCleanup (or
// when the parent ignores SIGINT) it is never called.
// REQUIRES: at most one alive at a time.
class InterruptHandlerScope {
 public:
  explicit InterruptHandlerScope(std::function<void()> on_interrupt);
  ~InterruptHandlerScope();
  InterruptHandlerScope(const InterruptHandlerScope&) = delete;
  InterruptHandlerScope& operator=(const InterruptHandlerScope&) = delete;
};

}  // namespace sluice
