#include "api/feature_materialize.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "api/dataframe.h"
#include "api/session.h"
#include "api/sql_runner.h"
#include "common/error.h"
#include "common/strings.h"
#include "online/redis_client.h"

namespace sluice {

namespace {

std::string Quote(const std::string& name) {
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string TimestampLiteral(int64_t us) {
  return "TIMESTAMP '" + Value::Timestamp(us).ToString() + "'";
}

// Replaces KEYS[1] with the field/value pairs ARGV[3..] unless the hash online holds a newer
// row (_event_us > ARGV[1]), and makes it expire at ARGV[2] (Unix ms; 0: never). Returns 1
// when written, 0 when a newer row is online, 2 when the row was already past its expiry
// (Redis removes a key whose expiry is past at once, so the entity then reads as missing,
// as any older value would be past it too).
constexpr const char* kWriteScript = R"(
local current = redis.call('HGET', KEYS[1], '_event_us')
if current and tonumber(current) > tonumber(ARGV[1]) then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
if ARGV[2] ~= '0' then
  redis.call('PEXPIREAT', KEYS[1], ARGV[2])
  if redis.call('EXISTS', KEYS[1]) == 0 then return 2 end
end
return 1
)";

std::string_view StringAt(const Column& column, size_t row) {
  return column.data<StringView>()[column.is_constant() ? 0 : row].view();
}

MaterializeResult MaterializeView(Session& session, online::RedisClient& redis,
                                  const std::string& project, const online::FeatureView& view,
                                  const std::string& script_sha, int64_t start_us,
                                  int64_t end_us, bool expire) {
  MaterializeResult result{view.name, start_us, end_us, 0, 0, 0};
  // Floor division: event times before 1970 are negative.
  const auto expire_at_ms = [&](int64_t event_us) -> int64_t {
    if (!expire || view.ttl_seconds <= 0) return 0;
    const int64_t ms = (event_us >= 0 ? event_us : event_us - 999) / 1000;
    return std::max<int64_t>(1, ms + view.ttl_seconds * 1000);
  };
  std::vector<std::string> keys;
  for (const std::string& k : view.join_keys) keys.push_back("CAST(" + Quote(k) + " AS VARCHAR)");
  const std::string ts = "CAST(" + Quote(view.timestamp_field) + " AS TIMESTAMP)";
  std::vector<std::string> select = {Join(keys, " || '|' || ") + " AS \"#key\"",
                                     "epoch_us(" + ts + ") AS \"#us\"",
                                     "CAST(" + ts + " AS VARCHAR) AS \"#ts\""};
  std::vector<std::string> order = {ts + " DESC"};
  if (!view.created_timestamp_field.empty()) {
    order.push_back(Quote(view.created_timestamp_field) + " DESC NULLS LAST");
  }
  for (const std::string& f : view.features) {
    select.push_back("CAST(" + Quote(f) + " AS VARCHAR)");
    order.push_back(Quote(f) + " NULLS LAST");
  }
  std::vector<std::string> partition;
  for (const std::string& k : view.join_keys) partition.push_back(Quote(k));
  const std::string sql = fmt::format(
      "SELECT {} FROM {} WHERE {} >= {} AND {} < {} QUALIFY row_number() OVER (PARTITION BY {} "
      "ORDER BY {}) = 1",
      Join(select, ", "), view.source, ts, TimestampLiteral(start_us), ts,
      TimestampLiteral(end_us), Join(partition, ", "), Join(order, ", "));
  DataFrame rows = SqlQuery(session, sql);
  auto flush = [&] {
    for (const online::RedisValue& r : redis.Flush()) {
      result.written += r.integer == 1;
      result.expired += r.integer == 2;
    }
  };
  session.ExecuteInOrder(*rows.plan(), [&](const Batch& batch) {
    for (size_t r = 0; r < batch.num_rows(); r++) {
      if (batch.column(0)->IsNull(r) || batch.column(1)->IsNull(r)) continue;  // NULL key/time
      const Column& us = *batch.column(1);
      const int64_t event_us = us.data<int64_t>()[us.is_constant() ? 0 : r];
      std::vector<std::string> words = {
          "EVALSHA", script_sha, "1",
          online::OnlineFeatureKey(project, view.name, std::string(StringAt(*batch.column(0), r))),
          std::to_string(event_us), std::to_string(expire_at_ms(event_us)),
          "_event_timestamp", std::string(StringAt(*batch.column(2), r)),
          "_event_us", std::to_string(event_us)};
      for (size_t f = 0; f < view.features.size(); f++) {
        const Column& c = *batch.column(3 + f);
        if (c.IsNull(r)) continue;
        words.push_back(view.features[f]);
        words.emplace_back(StringAt(c, r));
      }
      redis.Append(words);
      result.entities++;
      if (redis.pending() >= 512) flush();
    }
  });
  flush();
  return result;
}

}  // namespace

std::vector<MaterializeResult> MaterializeFeatures(Session& session, const std::string& url,
                                                   std::optional<int64_t> start_us,
                                                   int64_t end_us,
                                                   const std::vector<std::string>& views,
                                                   bool expire) {
  const std::optional<online::FeatureRegistry> registry = session.FeatureViews();
  if (!registry) {
    throw InvalidInputError("no feature views were applied (sluice features apply)");
  }
  std::vector<const online::FeatureView*> chosen;
  for (const std::string& name : views) {
    const online::FeatureView* v = registry->Find(name);
    if (v == nullptr) throw InvalidInputError("no feature view " + name);
    if (!v->online) throw InvalidInputError("feature view " + name + " is not online");
    chosen.push_back(v);
  }
  if (views.empty()) {
    for (const auto& v : registry->views) {
      if (v.online) chosen.push_back(&v);
    }
  }
  auto redis = online::RedisClient::Connect(online::RedisUrl::Parse(url));
  const std::string sha = redis->Command({"SCRIPT", "LOAD", kWriteScript}).str;
  std::vector<MaterializeResult> out;
  for (const online::FeatureView* view : chosen) {
    const std::string mark_key = fmt::format("{}:_materialized:{}", registry->project, view->name);
    int64_t start = start_us.value_or(0);
    if (!start_us) {
      // Incremental: from the mark; the first run from END - TTL (Feast starts its first
      // incremental run at now - TTL): older rows would be past their TTL at END.
      const online::RedisValue mark = redis->Command({"GET", mark_key});
      if (!mark.is_nil()) {
        start = std::stoll(mark.str);
      } else if (view->ttl_seconds > 0) {
        start = std::max<int64_t>(0, end_us - view->ttl_seconds * 1000000);
      }
    }
    if (start >= end_us) {
      out.push_back({view->name, start, end_us, 0, 0, 0});
      continue;
    }
    out.push_back(
        MaterializeView(session, *redis, registry->project, *view, sha, start, end_us, expire));
    if (!start_us) {
      // Only forward: a concurrent run that reached further keeps its mark.
      redis->Command({"EVAL",
                      "local m = tonumber(redis.call('GET', KEYS[1]) or '-1') "
                      "if m < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end "
                      "return 1",
                      "1", mark_key, std::to_string(end_us)});
    }
  }
  return out;
}

void ApplyFeatureViews(Session& session, const online::FeatureRegistry& registry) {
  for (const online::FeatureView& view : registry.views) {
    if (!session.HasTable(view.source)) {
      throw InvalidInputError(fmt::format("feature view {}: source table {} does not exist",
                                          view.name, view.source));
    }
    const Schema& schema = session.Table(view.source).plan()->schema;
    std::set<std::string> columns;
    for (size_t i = 0; i < schema.size(); i++) columns.insert(ToLower(schema.field(i).name));
    std::vector<std::string> needed = view.join_keys;
    needed.push_back(view.timestamp_field);
    if (!view.created_timestamp_field.empty()) needed.push_back(view.created_timestamp_field);
    needed.insert(needed.end(), view.features.begin(), view.features.end());
    for (const std::string& c : needed) {
      if (!columns.count(ToLower(c))) {
        throw InvalidInputError(fmt::format("feature view {}: source {} has no column {}",
                                            view.name, view.source, c));
      }
    }
  }
  session.feature_views().Apply(registry);
}

Procedure ApplyFeatureViewsProcedure() {
  Procedure p;
  p.name = "apply_feature_views";
  p.description =
      "feature store: declares the feature views of a YAML project (a directory, or the YAML "
      "text itself) for get_historical_features and materialization (docs/ml.md)";
  p.parameters = {{"project", false, "the project directory of *.yaml files"},
                  {"yaml", false, "or the YAML text"}};
  p.run = [](Session& session, const ProcedureArgs& args) {
    if (args.Has("project") == args.Has("yaml")) {
      throw InvalidInputError("apply_feature_views: give project => 'DIR' or yaml => 'TEXT'");
    }
    const online::FeatureRegistry registry =
        args.Has("project")
            ? online::FeatureRegistry::LoadProject(args.String("project"))
            : online::FeatureRegistry::FromYaml({{"yaml", args.String("yaml")}}, "yaml");
    ApplyFeatureViews(session, registry);
    Schema schema;
    schema.Add(Field{"feature_view", LogicalType(TypeId::kVarchar), false, ""});
    schema.Add(Field{"features", LogicalType(TypeId::kBigInt), false, ""});
    std::vector<std::vector<Value>> rows;
    for (const auto& v : registry.views) {
      rows.push_back({Value::Varchar(v.name),
                      Value::BigInt(static_cast<int64_t>(v.features.size()))});
    }
    return MakeRowsResult(schema, rows);
  };
  return p;
}

}  // namespace sluice
