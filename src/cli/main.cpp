#include "cli/cli.h"
#include "cli/interrupt_cleanup.h"

// jemalloc's options: keep freed pages in the process for a minute instead of returning them
// to the OS after its default 10 s; first-touching fresh pages is expensive on the machines
// Sluice runs on (DESIGN.md), and batch queries reuse the same amounts again and again.
extern "C" {
const char* malloc_conf = "dirty_decay_ms:60000,muzzy_decay_ms:60000";
}

int main(int argc, char** argv) {
  sluice::InstallInterruptCleanup();
  return sluice::RunCli(argc, argv);
}
