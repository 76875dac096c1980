// `sluice ml score`: batch scoring of a warehouse's rows into Redis with a versioned atomic
// swap (api/score_to_redis.h).
#include <fmt/format.h>

#include "api/score_to_redis.h"
#include "api/session.h"
#include "cli/cli.h"
#include "cli/sql_options.h"

namespace sluice {

namespace {

constexpr const char* kMlUsage = R"(Usage: sluice ml score --db DIR --model M (--input TABLE | --query SQL) --to URL [options]

Scores every row of the input with model M (ML.PREDICT) and publishes the scores to Redis
as a new version: hashes M:v<N>:<key> (prediction, probability, probabilities, model_version)
written pipelined, then one atomic flip of M:current to N, then the older versions expire.
Readers that follow M:current never see a half-written version or a mix of two; a run that
fails leaves the previous version current (docs/ml.md).

Options:
      --db DIR            the warehouse with the model and the input (required)
      --model M           the model (CREATE MODEL; required)
      --input TABLE       the table or view to score
      --query SQL         or a query to score
      --to URL            redis://HOST:PORT/DB (required)
      --key COLUMN        the entity key column (default: the input's first column)
      --prefix P          the Redis key prefix (default: the model's name)
      --expire-seconds N  how long older versions stay readable after the swap (300)
  -h, --help              show this help
)";

ScoreToRedisRequest ParseScoreOptions(const std::vector<std::string>& args, std::string& db) {
  ScoreToRedisRequest r;
  for (size_t i = 0; i < args.size(); i++) {
    const std::string& a = args[i];
    if (a == "--db") {
      db = NeedValue(args, i);
    } else if (a == "--model") {
      r.model = NeedValue(args, i);
    } else if (a == "--input") {
      r.table = NeedValue(args, i);
    } else if (a == "--query") {
      r.query = NeedValue(args, i);
    } else if (a == "--to") {
      r.url = NeedValue(args, i);
    } else if (a == "--key") {
      r.key = NeedValue(args, i);
    } else if (a == "--prefix") {
      r.prefix = NeedValue(args, i);
    } else if (a == "--expire-seconds") {
      r.expire_seconds = ParsePositiveInt(a, NeedValue(args, i));
    } else {
      throw UsageError(fmt::format("unknown option '{}' (see sluice ml score --help)", a));
    }
  }
  if (db.empty() || r.model.empty() || r.url.empty()) {
    throw UsageError("sluice ml score needs --db, --model and --to (see sluice ml score --help)");
  }
  if (r.table.empty() == r.query.empty()) {
    throw UsageError("sluice ml score needs one of --input TABLE or --query SQL");
  }
  return r;
}

}  // namespace

int MlCommand(const std::vector<std::string>& args) {
  if (args.empty() || WantsHelp(args)) {
    fmt::print("{}", kMlUsage);
    return args.empty() ? 2 : 0;
  }
  if (args[0] != "score") {
    throw UsageError(fmt::format("unknown ml command '{}' (see sluice ml --help)", args[0]));
  }
  std::string db;
  const ScoreToRedisRequest request =
      ParseScoreOptions(std::vector<std::string>(args.begin() + 1, args.end()), db);
  Session session(WarehouseSettings(Settings(), db), db);
  const ScoreToRedisResult r = ScoreToRedis(session, request);
  fmt::print("published {} scores of model {} (version {}) as {}:v{}; {}:current = {}\n", r.rows,
             request.model, r.model_version, r.prefix, r.version, r.prefix, r.version);
  return 0;
}

}  // namespace sluice
