#include "serve/serve_metrics.h"

#include <fmt/format.h>

namespace sluice::serve {

void ServeMetrics::Record(const std::string& route, int status, double seconds) {
  std::lock_guard lock(mutex_);
  counts_[{route, status}]++;
  for (size_t i = 0; i < kBuckets.size(); i++) {
    if (seconds <= kBuckets[i]) {
      buckets_[i]++;
      break;
    }
  }
  observations_++;
  sum_seconds_ += seconds;
}

int64_t ServeMetrics::Count(const std::string& route, int status) const {
  std::lock_guard lock(mutex_);
  auto it = counts_.find({route, status});
  return it == counts_.end() ? 0 : it->second;
}

std::string ServeMetrics::Render() const {
  std::lock_guard lock(mutex_);
  std::string out =
      "# HELP sluice_serve_requests_total Requests answered, by route and HTTP status.\n"
      "# TYPE sluice_serve_requests_total counter\n";
  for (const auto& [key, n] : counts_) {
    out += fmt::format("sluice_serve_requests_total{{route=\"{}\",status=\"{}\"}} {}\n", key.first,
                       key.second, n);
  }
  out +=
      "# HELP sluice_serve_request_duration_seconds Time from a request's routing to its "
      "answer.\n"
      "# TYPE sluice_serve_request_duration_seconds histogram\n";
  int64_t cumulative = 0;
  for (size_t i = 0; i < kBuckets.size(); i++) {
    cumulative += buckets_[i];
    out += fmt::format("sluice_serve_request_duration_seconds_bucket{{le=\"{}\"}} {}\n",
                       kBuckets[i], cumulative);
  }
  out += fmt::format("sluice_serve_request_duration_seconds_bucket{{le=\"+Inf\"}} {}\n",
                     observations_);
  out += fmt::format("sluice_serve_request_duration_seconds_sum {}\n", sum_seconds_);
  out += fmt::format("sluice_serve_request_duration_seconds_count {}\n", observations_);
  return out;
}

}  // namespace sluice::serve
