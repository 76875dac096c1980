#include "common/setting_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <initializer_list>
#include <thread>

#include "common/error.h"
#include "common/memory.h"
#include "common/strings.h"

namespace sluice {

namespace {

constexpr int64_t kMiB = int64_t{1} << 20;

// The first of the environment variables `names` that is set and not empty, else `fallback`.
std::string EnvironmentOr(std::initializer_list<const char*> names, std::string fallback) {
  for (const char* name : names) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') return value;
  }
  return fallback;
}

int64_t DefaultThreadCount() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int64_t>(n);
}

// The table, in SettingId order. Ranges are those SET has always enforced.
std::vector<SettingEntry> BuildTable() {
  using enum SettingType;
  const SettingScope local = SettingScope::kLocal;
  const SettingScope global = SettingScope::kGlobal;
  std::vector<SettingEntry> t = {
      {.id = SettingId::kThreads,
       .name = "threads",
       .aliases = {"worker_threads"},
       .type = kInteger,
       .scope = local,
       .description = "worker threads that run a query's tasks",
       .default_value = DefaultThreadCount(),
       .default_text = "cores",
       .min = 1,
       .max = 1024},
      {.id = SettingId::kMemoryLimit,
       .name = "memory_limit",
       .aliases = {"max_memory"},
       .type = kSize,
       .scope = global,
       .description = "budget of tracked memory, shared by all queries; operators spill above it",
       .default_value = MemoryManager::DefaultLimit(),
       .default_text = "80% of RAM",
       .min = 1},
      {.id = SettingId::kTempDirectory,
       .name = "temp_directory",
       .type = kString,
       .scope = local,
       .description = "where spill files go (sluice sql --db DIR: DIR.tmp)",
       .default_value = std::string(),
       .default_text = "system temp"},
      {.id = SettingId::kShufflePartitions,
       .name = "shuffle_partitions",
       .type = kInteger,
       .scope = local,
       .description =
           "partitions after a hash exchange (fixed, so results never depend on threads)",
       .default_value = int64_t{16},
       .min = 1,
       .max = 100000},
      {.id = SettingId::kTargetPartitionBytes,
       .name = "target_partition_bytes",
       .type = kSize,
       .scope = local,
       .description = "size adaptive execution coalesces small partitions toward",
       .default_value = 128 * kMiB,
       .min = 1},
      {.id = SettingId::kBroadcastThreshold,
       .name = "broadcast_threshold",
       .type = kSize,
       .scope = local,
       .description = "largest join side that is broadcast; -1 turns broadcast off",
       .default_value = 10 * kMiB,
       .min = 0,
       .minus_one_is_off = true},
      {.id = SettingId::kPreferInProcessBroadcast,
       .name = "prefer_in_process_broadcast",
       .type = kBoolean,
       .scope = local,
       .description = "broadcast a side <= 1/4 of the other and <= memory_limit/8 at any size",
       .default_value = true},
      {.id = SettingId::kPreferSortMergeJoin,
       .name = "prefer_sort_merge_join",
       .type = kBoolean,
       .scope = local,
       .description = "shuffled joins sort-merge even when a hash table would fit",
       .default_value = false},
      {.id = SettingId::kAdaptive,
       .name = "adaptive",
       .type = kBoolean,
       .scope = local,
       .description = "re-plan between stages from exchange statistics",
       .default_value = true},
      {.id = SettingId::kSkewJoin,
       .name = "skew_join",
       .type = kBoolean,
       .scope = local,
       .description = "split skewed partitions of shuffled joins (needs adaptive)",
       .default_value = true},
      {.id = SettingId::kSkewFactor,
       .name = "skew_factor",
       .type = kDouble,
       .scope = local,
       .description = "a partition over skew_factor x the median (and skew_threshold) is skewed",
       .default_value = 5.0,
       .min = 1},
      {.id = SettingId::kSkewThreshold,
       .name = "skew_threshold",
       .type = kSize,
       .scope = local,
       .description = "a partition is skewed only above this size",
       .default_value = 64 * kMiB,
       .min = 0},
      {.id = SettingId::kSkewSaltBuckets,
       .name = "skew_salt_buckets",
       .type = kInteger,
       .scope = local,
       .description = "salt buckets of grouped count(DISTINCT x); 0 turns salting off",
       .default_value = int64_t{0},
       .min = 0,
       .max = 4096},
      {.id = SettingId::kAutoSalting,
       .name = "auto_salting",
       .type = kBoolean,
       .scope = local,
       .description = "salt hot GROUP BY keys of count(DISTINCT) and hot join keys found by the "
                      "map stage (needs adaptive)",
       .default_value = true},
      {.id = SettingId::kSkewHotKeyFraction,
       .name = "skew_hot_key_fraction",
       .type = kDouble,
       .scope = local,
       .description = "a key holding more than this share of an exchange's rows is hot",
       .default_value = 0.1,
       .min = 0.07,
       .max = 1},
      {.id = SettingId::kSkewHotKeyRows,
       .name = "skew_hot_key_rows",
       .type = kInteger,
       .scope = local,
       .description = "a key is hot only with at least this many rows",
       .default_value = int64_t{100000},
       .min = 1},
      {.id = SettingId::kProgressBar,
       .name = "progress_bar",
       .aliases = {"enable_progress_bar"},
       .type = kBoolean,
       .scope = local,
       .description = "draw a progress bar for long queries",
       .default_value = true},
      {.id = SettingId::kTaskRetries,
       .name = "task_retries",
       .type = kInteger,
       .scope = local,
       .description = "re-runs of a task that failed with a retryable error",
       .default_value = int64_t{3},
       .min = 0,
       .max = 100},
      {.id = SettingId::kInjectFaults,
       .name = "inject_faults",
       .type = kString,
       .scope = local,
       .description = "test faults: site:probability[,...][,seed:N]; empty: $SLUICE_INJECT_FAULTS",
       .default_value = std::string(),
       .default_text = "none"},
      {.id = SettingId::kTargetFileRows,
       .name = "target_file_rows",
       .type = kInteger,
       .scope = global,
       .description = "rows per data file of a --db table",
       .default_value = int64_t{1} << 20,
       .min = 1},
      // Bounded above so that the recursion of parser, binder, optimizer and evaluator over
      // a tree this deep stays well inside a thread's stack.
      {.id = SettingId::kMaxExpressionDepth,
       .name = "max_expression_depth",
       .type = kInteger,
       .scope = local,
       .description = "deepest nesting of expressions and subqueries a statement may have",
       .default_value = int64_t{1000},
       .min = 1,
       .max = 10000},
      // The driver-side guard of the Python module (the playbook's toPandas red flag): a
      // collect whose estimated result is larger fails before it starts.
      {.id = SettingId::kMaxCollectBytes,
       .name = "max_collect_bytes",
       .type = kSize,
       .scope = local,
       .description = "largest estimated result a Python collect()/toPandas() may bring back",
       .default_value = MemoryManager::DefaultLimit() / 4,
       .default_text = "20% of RAM",
       .min = 0},
      {.id = SettingId::kIntegerDivision,
       .name = "integer_division",
       .type = kBoolean,
       .scope = local,
       .description = "whether / between integers is integer division (//) instead of DOUBLE",
       .default_value = false},
      {.id = SettingId::kTimeZone,
       .name = "TimeZone",
       .type = kString,
       .scope = SettingScope::kGlobal,
       .description = "the time zone TIMESTAMPTZ values are shown and computed in (an IANA name)",
       .default_value = std::string("UTC")},
      // Object storage (s3:// paths), DuckDB httpfs's names. Process-wide like TimeZone: the
      // files a query opens do not know the session that opens them. Defaults come from
      // the AWS_* environment variables when the table is first used.
      {.id = SettingId::kS3Endpoint,
       .name = "s3_endpoint",
       .type = kString,
       .scope = global,
       .description = "S3 endpoint host[:port], or a URL whose http:// or https:// overrides "
                      "s3_use_ssl",
       .default_value = EnvironmentOr({"AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"},
                                      "s3.amazonaws.com"),
       .default_text = "$AWS_ENDPOINT_URL or s3.amazonaws.com"},
      {.id = SettingId::kS3Region,
       .name = "s3_region",
       .type = kString,
       .scope = global,
       .description = "S3 region the requests are signed for",
       .default_value = EnvironmentOr({"AWS_REGION", "AWS_DEFAULT_REGION"}, "us-east-1"),
       .default_text = "$AWS_REGION, $AWS_DEFAULT_REGION or us-east-1"},
      {.id = SettingId::kS3UrlStyle,
       .name = "s3_url_style",
       .type = kString,
       .scope = global,
       .description = "'vhost' (bucket.endpoint/key) or 'path' (endpoint/bucket/key)",
       .default_value = std::string("vhost"),
       .choices = {"vhost", "path"}},
      {.id = SettingId::kS3AccessKeyId,
       .name = "s3_access_key_id",
       .type = kString,
       .scope = global,
       .description = "S3 access key id; empty: requests are not signed",
       .default_value = EnvironmentOr({"AWS_ACCESS_KEY_ID"}, ""),
       .default_text = "$AWS_ACCESS_KEY_ID",
       .secret = true},
      {.id = SettingId::kS3SecretAccessKey,
       .name = "s3_secret_access_key",
       .type = kString,
       .scope = global,
       .description = "S3 secret access key",
       .default_value = EnvironmentOr({"AWS_SECRET_ACCESS_KEY"}, ""),
       .default_text = "$AWS_SECRET_ACCESS_KEY",
       .secret = true},
      {.id = SettingId::kS3SessionToken,
       .name = "s3_session_token",
       .type = kString,
       .scope = global,
       .description = "S3 session token of temporary credentials",
       .default_value = EnvironmentOr({"AWS_SESSION_TOKEN"}, ""),
       .default_text = "$AWS_SESSION_TOKEN",
       .secret = true},
      {.id = SettingId::kS3UseSsl,
       .name = "s3_use_ssl",
       .type = kBoolean,
       .scope = global,
       .description = "reach the S3 endpoint over https",
       .default_value = true},
      {.id = SettingId::kS3Catalog,
       .name = "s3_catalog",
       .type = kString,
       .scope = global,
       .description = "the local SQLite file of the Iceberg SQL catalog of a --db s3://bucket/prefix "
                      "warehouse (read when the warehouse opens)",
       .default_value = std::string(),
       .default_text = "$XDG_CACHE_HOME/sluice/warehouses/<endpoint>/<bucket>/<prefix>/catalog.db"},
  };
  for (size_t i = 0; i < t.size(); i++) {
    SLUICE_CHECK(static_cast<size_t>(t[i].id) == i, "settings table out of SettingId order");
    ValidateSettingValue(t[i], t[i].default_value);
  }
  SLUICE_CHECK(t.size() == kSettingCount, "settings table misses an id");
  return t;
}

int64_t ParseInteger(const SettingEntry& entry, const std::string& text) {
  try {
    size_t used = 0;
    const int64_t v = std::stoll(text, &used);
    if (used == text.size()) return v;
  } catch (const std::exception&) {
  }
  throw InvalidInputError(fmt::format("setting {} expects an integer, got '{}'", entry.name, text));
}

double ParseDouble(const SettingEntry& entry, const std::string& text) {
  try {
    size_t used = 0;
    const double v = std::stod(text, &used);
    if (used == text.size()) return v;
  } catch (const std::exception&) {
  }
  throw InvalidInputError(fmt::format("setting {} expects a number, got '{}'", entry.name, text));
}

bool ParseBool(const SettingEntry& entry, const std::string& text) {
  const std::string v = ToLower(text);
  if (v == "true" || v == "1" || v == "on" || v == "yes") return true;
  if (v == "false" || v == "0" || v == "off" || v == "no") return false;
  throw InvalidInputError(
      fmt::format("setting {} expects true or false, got '{}'", entry.name, text));
}

std::string FormatBound(const SettingEntry& entry, double bound) {
  if (entry.type == SettingType::kDouble) return fmt::format("{}", bound);
  return std::to_string(static_cast<int64_t>(bound));
}

void CheckRange(const SettingEntry& entry, double v) {
  const bool has_min = entry.min != std::numeric_limits<double>::lowest();
  const bool has_max = entry.max != std::numeric_limits<double>::max();
  if ((!has_min || v >= entry.min) && (!has_max || v <= entry.max)) return;
  if (has_min && has_max) {
    throw InvalidInputError(fmt::format("{} must be between {} and {}", entry.name,
                                        FormatBound(entry, entry.min),
                                        FormatBound(entry, entry.max)));
  }
  if (has_min) {
    throw InvalidInputError(
        fmt::format("{} must be at least {}", entry.name, FormatBound(entry, entry.min)));
  }
  throw InvalidInputError(
      fmt::format("{} must be at most {}", entry.name, FormatBound(entry, entry.max)));
}

}  // namespace

const std::vector<SettingEntry>& SettingTable() {
  static const std::vector<SettingEntry> table = BuildTable();
  return table;
}

const SettingEntry* LookupSetting(const std::string& name) {
  const std::string lower = ToLower(name);
  for (const SettingEntry& entry : SettingTable()) {
    if (ToLower(entry.name) == lower) return &entry;
    for (const std::string& alias : entry.aliases) {
      if (alias == lower) return &entry;
    }
  }
  return nullptr;
}

const SettingEntry& FindSetting(const std::string& name) {
  if (const SettingEntry* entry = LookupSetting(name)) return *entry;
  std::vector<std::string> known;
  for (const SettingEntry& entry : SettingTable()) {
    known.push_back(entry.name);
    known.insert(known.end(), entry.aliases.begin(), entry.aliases.end());
  }
  throw InvalidInputError(
      fmt::format("unknown setting '{}'{}", name, DidYouMean(ToLower(name), known)));
}

void ValidateSettingValue(const SettingEntry& entry, const SettingValue& value) {
  switch (entry.type) {
    case SettingType::kInteger:
    case SettingType::kSize: {
      SLUICE_CHECK(std::holds_alternative<int64_t>(value), "setting {} holds an integer",
                   entry.name);
      const int64_t v = std::get<int64_t>(value);
      if (entry.minus_one_is_off && v == -1) return;
      CheckRange(entry, static_cast<double>(v));
      return;
    }
    case SettingType::kDouble: {
      SLUICE_CHECK(std::holds_alternative<double>(value), "setting {} holds a double", entry.name);
      const double v = std::get<double>(value);
      if (std::isnan(v)) throw InvalidInputError(fmt::format("{} must be a number", entry.name));
      CheckRange(entry, v);
      return;
    }
    case SettingType::kBoolean:
      SLUICE_CHECK(std::holds_alternative<bool>(value), "setting {} holds a boolean", entry.name);
      return;
    case SettingType::kString:
      SLUICE_CHECK(std::holds_alternative<std::string>(value), "setting {} holds text", entry.name);
      if (!entry.choices.empty()) {
        const std::string& text = std::get<std::string>(value);
        if (std::find(entry.choices.begin(), entry.choices.end(), text) == entry.choices.end()) {
          throw InvalidInputError(fmt::format("{} must be one of '{}', got '{}'", entry.name,
                                              Join(entry.choices, "', '"), text));
        }
      }
      return;
  }
}

SettingValue ParseSettingValue(const SettingEntry& entry, const std::string& text) {
  SettingValue value;
  switch (entry.type) {
    case SettingType::kInteger:
      value = ParseInteger(entry, text);
      break;
    case SettingType::kSize:
      value = entry.minus_one_is_off && text == "-1" ? int64_t{-1} : ParseMemorySize(text);
      break;
    case SettingType::kBoolean:
      value = ParseBool(entry, text);
      break;
    case SettingType::kDouble:
      value = ParseDouble(entry, text);
      break;
    case SettingType::kString:
      value = text;
      break;
  }
  ValidateSettingValue(entry, value);
  return value;
}

std::string FormatSettingValue(const SettingEntry& entry, const SettingValue& value) {
  switch (entry.type) {
    case SettingType::kInteger:
      return std::to_string(std::get<int64_t>(value));
    case SettingType::kSize: {
      const int64_t v = std::get<int64_t>(value);
      return v < 0 ? std::to_string(v) : FormatBytes(v);
    }
    case SettingType::kBoolean:
      return std::get<bool>(value) ? "true" : "false";
    case SettingType::kDouble:
      return fmt::format("{}", std::get<double>(value));
    case SettingType::kString: {
      const std::string& text = std::get<std::string>(value);
      return entry.secret && !text.empty() ? std::string("********") : text;
    }
  }
  return {};
}

std::string SettingTypeName(SettingType type) {
  switch (type) {
    case SettingType::kInteger:
      return "BIGINT";
    case SettingType::kBoolean:
      return "BOOLEAN";
    case SettingType::kDouble:
      return "DOUBLE";
    case SettingType::kSize:
    case SettingType::kString:
      return "VARCHAR";
  }
  return {};
}

std::string SettingScopeName(SettingScope scope) {
  return scope == SettingScope::kGlobal ? "GLOBAL" : "LOCAL";
}

std::string SettingDefaultText(const SettingEntry& entry) {
  if (!entry.default_text.empty()) return entry.default_text;
  return FormatSettingValue(entry, entry.default_value);
}

}  // namespace sluice
