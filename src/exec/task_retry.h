#pragma once

#include <functional>
#include <string>

#include "exec/exec_context.h"
#include "exec/operator.h"

namespace sluice {

// Where an injected fault may strike: a task of a map stage (it writes an exchange) or of
// the final stage (it feeds the query result).
enum class FaultSite { kExchange, kFinal };

// A parsed `inject_faults` spec: "site:probability[,site:probability][,seed:N]", site one
// of exchange, final, all. Whether an attempt fails is a hash of (seed, stage, task,
// attempt), never a random generator, so a run with faults is reproducible.
class FaultInjector {
 public:
  // Empty spec: no faults. Throws InvalidInputError on a malformed spec.
  explicit FaultInjector(const std::string& spec);
  // The injector of a query: the `inject_faults` setting, else SLUICE_INJECT_FAULTS.
  static FaultInjector ForQuery(const Settings& settings);

  bool ShouldFail(FaultSite site, int stage, int task, int attempt) const;
  // Throws RetryableError when ShouldFail.
  void MaybeFail(FaultSite site, int stage, int task, int attempt) const;

 private:
  double exchange_probability_ = 0;
  double final_probability_ = 0;
  uint64_t seed_ = 42;
};

// Runs `attempt(n)` for n = 0, 1, ... until it returns without a RetryableError, at most
// 1 + settings.task_retries() times; before each re-run calls `discard()` so that the failed
// attempt's output is dropped. Retries are counted in the task statistics of `stage_end`.
// The last RetryableError is rethrown as an IOError naming the attempts.
void RunTaskWithRetries(ExecContext& ctx, const PhysicalOperator& stage_end, int stage, int task,
                        const std::function<void(int)>& attempt,
                        const std::function<void()>& discard);

}  // namespace sluice
