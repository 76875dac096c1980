#include "cli/interrupt_cleanup.h"

#include <pthread.h>
#include <unistd.h>

#include <csignal>
#include <mutex>
#include <thread>

#include "common/error.h"
#include "shuffle/temp_directory.h"

namespace sluice {

namespace {

// The handler of the live InterruptHandlerScope; the mutex also keeps a call under way from
// outliving its scope.
std::mutex handler_mutex;
std::function<void()> interrupt_handler;  // empty: no scope alive

// Calls the scope's handler for a SIGINT; false when there is none.
bool HandleInterrupt() {
  std::lock_guard lock(handler_mutex);
  if (!interrupt_handler) return false;
  interrupt_handler();
  return true;
}

}  // namespace

InterruptHandlerScope::InterruptHandlerScope(std::function<void()> on_interrupt) {
  std::lock_guard lock(handler_mutex);
  SLUICE_CHECK(!interrupt_handler && on_interrupt, "interrupt handler scopes do not nest");
  interrupt_handler = std::move(on_interrupt);
}

InterruptHandlerScope::~InterruptHandlerScope() {
  std::lock_guard lock(handler_mutex);
  interrupt_handler = nullptr;
}

void InstallInterruptCleanup() {
  sigset_t signals;
  sigemptyset(&signals);
  for (const int signal : {SIGINT, SIGTERM, SIGHUP}) {
    // A signal the parent ignores stays ignored (nohup, a background job of a script).
    struct sigaction current {};
    if (sigaction(signal, nullptr, &current) == 0 && current.sa_handler != SIG_IGN) {
      sigaddset(&signals, signal);
    }
  }
  if (sigisemptyset(&signals) || pthread_sigmask(SIG_BLOCK, &signals, nullptr) != 0) return;
  std::thread([signals] {
    int signal = 0;
    do {
      if (sigwait(&signals, &signal) != 0) return;
    } while (signal == SIGINT && HandleInterrupt());
    TempDirectory::RemoveAllInProcess();
    // Die of the signal itself, so that a shell sees how the program ended (a script's loop
    // stops on Ctrl-C): default action, unblocked in this thread, raised at this thread.
    std::signal(signal, SIG_DFL);
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, signal);
    pthread_sigmask(SIG_UNBLOCK, &one, nullptr);
    raise(signal);
    _exit(128 + signal);
  }).detach();
}

}  // namespace sluice
