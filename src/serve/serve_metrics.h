#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace sluice::serve {

// The model server's request counters and latency histogram, rendered in Prometheus's text
// format (GET /metrics). Thread-safe.
class ServeMetrics {
 public:
  // Records one request answered with `status` on `route` ("/v1/predict", "other", ...)
  // after `seconds`.
  void Record(const std::string& route, int status, double seconds);
  // The Prometheus exposition text: sluice_serve_requests_total{route,status} and the
  // histogram sluice_serve_request_duration_seconds.
  std::string Render() const;
  // Requests recorded with that route and status (tests).
  int64_t Count(const std::string& route, int status) const;

  static constexpr std::array<double, 10> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                      0.025,  0.05,  0.1,    0.25,  1.0};

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, int64_t> counts_;
  std::array<int64_t, kBuckets.size()> buckets_{};  // not cumulative; Render sums them
  int64_t observations_ = 0;
  double sum_seconds_ = 0;
};

}  // namespace sluice::serve
