// `sluice features`: the feature store's commands (Feast's, without Python) over a YAML
// project and a warehouse: apply, list, materialize, materialize-incremental.
#include <fmt/format.h>

#include "api/feature_materialize.h"
#include "api/session.h"
#include "cli/cli.h"
#include "cli/sql_options.h"
#include "types/date_time.h"
#include "types/value.h"

namespace sluice {

namespace {

constexpr const char* kFeaturesUsage = R"(Usage: sluice features COMMAND --db DIR [options]

The feature store (docs/ml.md): feature views declared in the YAML files of a project
directory, their offline retrieval in SQL (get_historical_features) and an online store in
Redis (a hash per entity: <project>:<view>:<key>).

Commands:
  apply --project DIR                 check the project's feature views against the
                                      warehouse and store them in it (DIR/_features)
  list                                the applied feature views
  materialize START END --redis URL   write each entity's latest values with an event time
                                      in [START, END) to Redis (all online views, or --view)
  materialize-incremental END --redis URL
                                      the same from each view's last END (its high-water
                                      mark, kept in Redis; first run: END - the view's TTL),
                                      then move the mark to END

Options:
      --db DIR          the warehouse (required)
      --project DIR     the feature project (apply)
      --redis URL       redis://HOST:PORT/DB (materialize)
      --view NAME       only this view (repeatable)
      --no-expire       materialize: no Redis expiry (by default a view's values expire
                        at their event time + its TTL, and values already past it are not
                        kept); for replaying history to `sluice serve --as-of`
  -h, --help            show this help
Times are timestamps ('2024-01-02 03:04:05') or dates.
)";

int64_t TimeArgument(const std::string& text) {
  if (auto micros = ParseTimestamp(text)) return *micros;
  throw UsageError(fmt::format("expected a time ('2024-01-02 03:04:05'), got '{}'", text));
}

}  // namespace

int FeaturesCommand(const std::vector<std::string>& args) {
  if (args.empty() || WantsHelp(args)) {
    fmt::print("{}", kFeaturesUsage);
    return args.empty() ? 2 : 0;
  }
  const std::string command = args[0];
  std::string db, project, redis;
  std::vector<std::string> views, times;
  bool expire = true;
  for (size_t i = 1; i < args.size(); i++) {
    const std::string& a = args[i];
    if (a == "--db") {
      db = NeedValue(args, i);
    } else if (a == "--project") {
      project = NeedValue(args, i);
    } else if (a == "--redis") {
      redis = NeedValue(args, i);
    } else if (a == "--view") {
      views.push_back(NeedValue(args, i));
    } else if (a == "--no-expire") {
      expire = false;
    } else if (!a.starts_with("--")) {
      times.push_back(a);
    } else {
      throw UsageError(fmt::format("unknown option '{}' (see sluice features --help)", a));
    }
  }
  if (db.empty()) throw UsageError("sluice features needs --db DIR");
  const size_t want_times = command == "materialize" ? 2 : command == "materialize-incremental" ? 1 : 0;
  if (command != "apply" && command != "list" && want_times == 0) {
    throw UsageError(fmt::format("unknown features command '{}' (see sluice features --help)",
                                 command));
  }
  if (times.size() != want_times) {
    throw UsageError(fmt::format("sluice features {} takes {} time argument{}", command,
                                 want_times, want_times == 1 ? "" : "s"));
  }
  Session session(WarehouseSettings(Settings(), db), db);
  if (command == "apply") {
    if (project.empty()) throw UsageError("sluice features apply needs --project DIR");
    const online::FeatureRegistry registry = online::FeatureRegistry::LoadProject(project);
    ApplyFeatureViews(session, registry);
    fmt::print("applied project {}: {} feature view{}\n", registry.project, registry.views.size(),
               registry.views.size() == 1 ? "" : "s");
    return 0;
  }
  if (command == "list") {
    const auto registry = session.FeatureViews();
    if (!registry) throw InvalidInputError("no feature views were applied to " + db);
    for (const auto& v : registry->views) {
      fmt::print("{}\tkeys: {}\tsource: {}\tttl: {}s\tonline: {}\tfeatures: {}\n", v.name,
                 fmt::join(v.join_keys, ","), v.source, v.ttl_seconds, v.online ? "yes" : "no",
                 fmt::join(v.features, ","));
    }
    return 0;
  }
  if (redis.empty()) throw UsageError(fmt::format("sluice features {} needs --redis URL", command));
  std::optional<int64_t> start;
  if (command == "materialize") start = TimeArgument(times[0]);
  const int64_t end = TimeArgument(times.back());
  for (const MaterializeResult& r :
       MaterializeFeatures(session, redis, start, end, views, expire)) {
    fmt::print("{}: [{}, {}): {} entities, {} written{}\n", r.view,
               Value::Timestamp(r.start_us).ToString(), Value::Timestamp(r.end_us).ToString(),
               r.entities, r.written,
               r.expired > 0 ? fmt::format(", {} past their TTL (not kept)", r.expired) : "");
  }
  return 0;
}

}  // namespace sluice
