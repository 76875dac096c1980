#include "exec/task_retry.h"

#include <cstdlib>

#include <fmt/format.h>

#include "common/error.h"
#include "common/hash.h"
#include "common/strings.h"
#include "exec/task_stats.h"

namespace sluice {

namespace {

std::string Trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

double ParseProbability(const std::string& text, const std::string& spec) {
  try {
    size_t used = 0;
    const double p = std::stod(text, &used);
    if (used == text.size() && p >= 0 && p <= 1) return p;
  } catch (const std::exception&) {
  }
  throw InvalidInputError(
      fmt::format("inject_faults: '{}' is not a probability between 0 and 1 in '{}'", text, spec));
}

}  // namespace

FaultInjector::FaultInjector(const std::string& spec) {
  size_t start = 0;
  while (start < spec.size()) {
    size_t end = spec.find(',', start);
    if (end == std::string::npos) end = spec.size();
    const std::string item = Trim(spec.substr(start, end - start));
    start = end + 1;
    if (item.empty()) continue;
    const size_t colon = item.find(':');
    if (colon == std::string::npos) {
      throw InvalidInputError(
          fmt::format("inject_faults: expected site:probability, got '{}'", item));
    }
    const std::string site = ToLower(Trim(item.substr(0, colon)));
    const std::string value = Trim(item.substr(colon + 1));
    if (site == "seed") {
      try {
        seed_ = std::stoull(value);
      } catch (const std::exception&) {
        throw InvalidInputError(fmt::format("inject_faults: bad seed '{}'", value));
      }
    } else if (site == "exchange") {
      exchange_probability_ = ParseProbability(value, spec);
    } else if (site == "final") {
      final_probability_ = ParseProbability(value, spec);
    } else if (site == "all") {
      exchange_probability_ = final_probability_ = ParseProbability(value, spec);
    } else {
      throw InvalidInputError(fmt::format(
          "inject_faults: unknown site '{}' (expected exchange, final, all or seed)", site));
    }
  }
}

FaultInjector FaultInjector::ForQuery(const Settings& settings) {
  if (!settings.inject_faults().empty()) return FaultInjector(settings.inject_faults());
  const char* env = std::getenv("SLUICE_INJECT_FAULTS");
  return FaultInjector(env == nullptr ? "" : env);
}

bool FaultInjector::ShouldFail(FaultSite site, int stage, int task, int attempt) const {
  const double p = site == FaultSite::kExchange ? exchange_probability_ : final_probability_;
  if (p <= 0) return false;
  uint64_t h = HashInt(seed_);
  h = HashCombine(h, HashInt(static_cast<uint64_t>(site == FaultSite::kExchange ? 1 : 2)));
  h = HashCombine(h, HashInt(static_cast<uint64_t>(stage)));
  h = HashCombine(h, HashInt(static_cast<uint64_t>(task)));
  h = HashCombine(h, HashInt(static_cast<uint64_t>(attempt)));
  // The top 53 bits as a uniform double in [0, 1).
  const double u = static_cast<double>(h >> 11) * (1.0 / 9007199254740992.0);
  return u < p;
}

void FaultInjector::MaybeFail(FaultSite site, int stage, int task, int attempt) const {
  if (ShouldFail(site, stage, task, attempt)) {
    throw RetryableError(
        fmt::format("injected fault in stage {} task {} attempt {}", stage, task, attempt + 1));
  }
}

void RunTaskWithRetries(ExecContext& ctx, const PhysicalOperator& stage_end, int stage, int task,
                        const std::function<void(int)>& attempt,
                        const std::function<void()>& discard) {
  const int retries = ctx.settings().task_retries();
  for (int n = 0;; n++) {
    try {
      attempt(n);
      return;
    } catch (const RetryableError& e) {
      if (n >= retries || ctx.cancelled()) {
        throw IOError(fmt::format("stage {} task {} failed after {} attempt{}: {}", stage, task,
                                  n + 1, n == 0 ? "" : "s", e.what()));
      }
    }
    MutableTaskStatsOf(ctx, stage_end).AddRetry();
    discard();
  }
}

}  // namespace sluice
