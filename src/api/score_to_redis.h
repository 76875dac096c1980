#pragma once

#include <cstdint>
#include <string>

#include "api/procedure_registry.h"

namespace sluice {

class Session;

// What to score and where to publish it (sluice ml score, CALL ml_score_to_redis).
struct ScoreToRedisRequest {
  std::string model;
  std::string table;  // the input: a table or view, or
  std::string query;  // a query (exactly one of the two)
  std::string url;    // redis://HOST:PORT/DB
  std::string key;    // the entity key column; empty: the input's first column
  std::string prefix;  // the Redis key prefix; empty: the model's name
  int64_t expire_seconds = 300;  // how long older versions stay readable after the swap
};

// What a run published.
struct ScoreToRedisResult {
  int64_t version = 0;        // the score version now current
  int64_t rows = 0;
  int64_t model_version = 0;  // the model version that scored them
  int64_t expired_keys = 0;   // keys of older versions set to expire
  std::string prefix;
};

// Scores the input with ML.PREDICT and publishes every row to Redis as a new version
// (online/score_publisher.h): P:v<N>:<key> is a JSON object with `prediction` (the
// predicted label as a string, or the value), for classifiers `probability` (of the positive
// class) and `probabilities` (per class), and `model_version`; then one atomic flip of
// P:current, then older versions expire. The query streams: rows are written as batches arrive. Throws, leaving the
// previous version current, on a bad input, a NULL key, a key that two rows share, or a
// Redis failure.
ScoreToRedisResult ScoreToRedis(Session& session, const ScoreToRedisRequest& request);

// CALL ml_score_to_redis(model, input, url, key => ..., prefix => ..., expire_seconds => ...)
Procedure ScoreToRedisProcedure();

}  // namespace sluice
