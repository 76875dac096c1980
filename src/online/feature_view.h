#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sluice::online {

// A feature view, Feast's model: features of the entities named by `join_keys`, read from
// `source` (a warehouse table or view) whose rows carry the time the values became true
// (`timestamp_field`) and optionally when they were written (`created_timestamp_field`, the
// tie-break among rows of the same time: the latest written wins). A value is usable for
// `ttl_seconds` after its event time (0: forever). `online` views are materialized to Redis.
struct FeatureView {
  std::string name;
  std::vector<std::string> join_keys;
  std::string source;
  std::string timestamp_field = "event_timestamp";
  std::string created_timestamp_field;  // empty: none
  int64_t ttl_seconds = 0;
  std::vector<std::string> features;
  bool online = true;
};

// A feature store project's definitions (`sluice features apply` reads the YAML files of a
// project directory into it and stores it as JSON in the warehouse, where SQL's
// get_historical_features, materialization and `sluice serve` find it).
struct FeatureRegistry {
  std::string project;
  std::vector<FeatureView> views;

  // The view `name` (any case), or null.
  const FeatureView* Find(const std::string& name) const;

  // Reads every *.yaml / *.yml file of `dir`:
  //   project: shop
  //   entities: [{name: user, join_keys: [user_id]}]
  //   feature_views:
  //     - {name: user_stats, entities: [user], ttl: 7d, online: true,
  //        source: {table: events, timestamp_field: event_timestamp,
  //                 created_timestamp_column: created},
  //        features: [clicks, spend]}      # or schema: [{name: clicks, dtype: Int64}]
  // Throws InvalidInputError naming the file and the YAML line:column of a mistake.
  static FeatureRegistry LoadProject(const std::string& dir);
  // The same from YAML texts: (file name for messages, text) pairs; `where` names them all.
  static FeatureRegistry FromYaml(const std::vector<std::pair<std::string, std::string>>& files,
                                  const std::string& where);
  std::string ToJson() const;
  // Throws InvalidInputError when `json` is not a registry.
  static FeatureRegistry FromJson(const std::string& json);

  // Where a warehouse keeps its registry: DIR/_features/registry.json.
  static std::string PathIn(const std::string& db_dir);
  // The warehouse's registry, or nullopt when none was applied.
  static std::optional<FeatureRegistry> ReadFrom(const std::string& db_dir);
  void WriteTo(const std::string& db_dir) const;
};

// A TTL: seconds, or a number with a unit (30s, 15m, 12h, 7d). Throws InvalidInputError.
int64_t ParseTtlSeconds(const std::string& text);

// The Redis hash of one entity's online values of a view: "<project>:<view>:<key>" (several
// join keys joined by "|"), a field per feature (its value as text; absent when NULL) and
// "_event_timestamp" (the values' event time, ISO text).
std::string OnlineFeatureKey(const std::string& project, const std::string& view,
                             const std::string& entity_key);

}  // namespace sluice::online
