// `sluice serve`: the online model server over HTTP (serve/model_server.h).
#include <fmt/format.h>

#include <cstdio>

#include "cli/cli.h"
#include "cli/interrupt_cleanup.h"
#include "serve/model_server.h"
#include "types/date_time.h"

namespace sluice {

namespace {

constexpr const char* kServeUsage = R"(Usage: sluice serve --db DIR --model M [options]

Serves model M of the warehouse DIR over HTTP on 127.0.0.1 (docs/ml.md):
  POST /v1/predict        {"entity": {"user_id": 42}, "features": {"x": 1.5}} -> the prediction;
                          features not in the request come from the online store (--features)
  GET  /v1/scores/{key}   the batch score of the current version (sluice ml score)
  GET  /health            the model version and Redis's state
  GET  /metrics           request counts by route and status, latency histogram (Prometheus)
A newer model version (CREATE OR REPLACE MODEL) and a new batch score version are picked up
without a restart. An online value older than its view's TTL at the request time is missing
(feature_statuses: OUTSIDE_MAX_AGE). Prints "listening on 127.0.0.1:PORT" once ready;
Ctrl-C stops it.

Options:
      --db DIR              the warehouse (required)
      --model M             the model (required)
      --features VIEW       an online feature view to read (repeatable; needs --redis)
      --redis URL           redis://HOST:PORT/DB: online features and batch scores
      --scores-prefix P     the batch scores' key prefix (default: the model's name)
      --port P              the port (default 8080; 0: any free port)
      --threads N           worker threads (default 2)
      --as-of TIME          check online values' TTLs at TIME ('2024-01-02 03:04:05', UTC)
                            instead of the wall clock at each request (replays, backtests)
  -h, --help                show this help
)";

}  // namespace

int ServeCommand(const std::vector<std::string>& args) {
  if (WantsHelp(args)) {
    fmt::print("{}", kServeUsage);
    return 0;
  }
  serve::ServeOptions o;
  for (size_t i = 0; i < args.size(); i++) {
    const std::string& a = args[i];
    if (a == "--db") {
      o.db_dir = NeedValue(args, i);
    } else if (a == "--model") {
      o.model = NeedValue(args, i);
    } else if (a == "--features") {
      o.feature_views.push_back(NeedValue(args, i));
    } else if (a == "--redis") {
      o.redis_url = NeedValue(args, i);
    } else if (a == "--scores-prefix") {
      o.scores_prefix = NeedValue(args, i);
    } else if (a == "--port") {
      const std::string v = NeedValue(args, i);
      o.port = v == "0" ? 0 : static_cast<int>(ParsePositiveInt(a, v));
    } else if (a == "--as-of") {
      const std::string v = NeedValue(args, i);
      const std::optional<int64_t> us = ParseTimestamp(v);
      if (!us) {
        throw UsageError(
            fmt::format("--as-of expects a time ('2024-01-02 03:04:05'), got '{}'", v));
      }
      o.as_of_us = *us;
    } else if (a == "--threads") {
      o.threads = static_cast<int>(ParsePositiveInt(a, NeedValue(args, i)));
    } else {
      throw UsageError(fmt::format("unknown option '{}' (see sluice serve --help)", a));
    }
  }
  if (o.db_dir.empty() || o.model.empty()) {
    throw UsageError("sluice serve needs --db DIR and --model M (see sluice serve --help)");
  }
  serve::ModelServer server(o);
  InterruptHandlerScope on_interrupt([&server] { server.Stop(); });
  server.Run([&](int port) {
    fmt::print("listening on {}:{}\n", o.host, port);
    std::fflush(stdout);
  });
  return 0;
}

}  // namespace sluice
