#include "cli/interrupt_cleanup.h"

#include <pthread.h>
#include <unistd.h>

#include <csignal>
#include <thread>

#include "shuffle/temp_directory.h"

namespace sluice {

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
    if (sigwait(&signals, &signal) != 0) return;
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
