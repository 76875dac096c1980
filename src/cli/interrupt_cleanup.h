#pragma once

namespace sluice {

// Makes Ctrl-C (SIGINT), SIGTERM and SIGHUP remove the process's spill folders before the
// process dies of the signal. The signals are blocked in every thread and one watcher thread
// waits for them with sigwait, so the cleanup runs as ordinary code, not in a signal handler.
// Signals that the parent set to be ignored (nohup) stay ignored.
// REQUIRES: called from main before any other thread starts (threads inherit the mask), and
// nothing in the process spawns children (they would inherit the blocked signals).
void InstallInterruptCleanup();

}  // namespace sluice
