#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "api/model_store.h"
#include "online/feature_view.h"
#include "online/redis_client.h"
#include "serve/predictor.h"
#include "serve/serve_metrics.h"

namespace httplib {
class Server;
}

namespace sluice::serve {

// What `sluice serve` serves.
struct ServeOptions {
  std::string db_dir;                      // the warehouse with the model (and registry)
  std::string model;
  std::vector<std::string> feature_views;  // online views read for /v1/predict
  std::string redis_url;                   // empty: no Redis (request features only)
  std::string scores_prefix;               // batch scores' prefix; empty: the model's name
  std::string host = "127.0.0.1";
  int port = 8080;
  int threads = 2;
  // The time online values are checked against their view's TTL (microseconds since the
  // epoch, UTC); unset: the wall clock at each request. Set for replays and backtests.
  std::optional<int64_t> as_of_us;
};

// The online model server (docs/ml.md): POST /v1/predict scores one entity with the latest
// model version (features from the request and from the online store in Redis);
// An online value older than its view's TTL at the request time (event time < now - ttl) is
// missing, as get_historical_features treats it offline; the answer's feature_statuses say
// OUTSIDE_MAX_AGE (Feast's status name).
// GET /v1/scores/{key} returns the batch score of the current published version; /health;
// /metrics (Prometheus). Each request looks for a newer model version, so a model trained
// meanwhile is used without a restart; batch scores always follow the current version
// pointer. Thread-safe: each worker thread has its own Redis connection.
class ModelServer {
 public:
  // Throws InvalidInputError when the model or a feature view does not exist.
  explicit ModelServer(ServeOptions options);
  ~ModelServer();

  // Binds the port (0: any free one) and serves until Stop. Throws IOError when the port
  // cannot be bound. `on_listening(port)` runs once the socket listens.
  void Run(const std::function<void(int)>& on_listening = {});
  // Makes Run return. Thread-safe; may be called before Run starts listening.
  void Stop();
  const ServeMetrics& metrics() const { return metrics_; }

 private:
  // The current predictor: the latest model version (reloaded when a newer one appears).
  std::shared_ptr<const Predictor> CurrentPredictor();
  // This thread's Redis connection (connected on first use, again after a failure).
  online::RedisClient& Redis();
  void DropRedis();

  ServeOptions options_;
  online::FeatureRegistry registry_;
  std::vector<const online::FeatureView*> views_;
  ModelStore store_;
  std::mutex predictor_mutex_;
  std::shared_ptr<const Predictor> predictor_;
  ServeMetrics metrics_;
  std::unique_ptr<httplib::Server> server_;
  std::atomic<bool> stopped_{false};
};

}  // namespace sluice::serve
