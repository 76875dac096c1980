#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <variant>
#include <vector>

namespace sluice {

// Every setting, in the order of the table (setting_table.cpp). A Settings keeps one slot
// per id.
enum class SettingId : uint8_t {
  kThreads,
  kMemoryLimit,
  kTempDirectory,
  kShufflePartitions,
  kTargetPartitionBytes,
  kBroadcastThreshold,
  kPreferInProcessBroadcast,
  kPreferSortMergeJoin,
  kAdaptive,
  kSkewJoin,
  kSkewFactor,
  kSkewThreshold,
  kSkewSaltBuckets,
  kAutoSalting,
  kSkewHotKeyFraction,
  kSkewHotKeyRows,
  kProgressBar,
  kTaskRetries,
  kInjectFaults,
  kTargetFileRows,
  kMaxExpressionDepth,
  kMaxCollectBytes,
  kIntegerDivision,
  kTimeZone,
  kS3Endpoint,
  kS3Region,
  kS3UrlStyle,
  kS3AccessKeyId,
  kS3SecretAccessKey,
  kS3SessionToken,
  kS3UseSsl,
  kS3Catalog,
};
inline constexpr size_t kSettingCount = static_cast<size_t>(SettingId::kS3Catalog) + 1;

// How a setting's text is parsed and shown. A size is bytes, written "500MB", "2GiB", "1024".
enum class SettingType : uint8_t { kInteger, kSize, kBoolean, kDouble, kString };

// Where a SET lands. kLocal: in the innermost Session::SettingsScope of the calling thread (a
// dbt node) when there is one, else in the session. kGlobal: always in the session, because
// the value is one shared resource (the memory budget, the warehouse's file size).
enum class SettingScope : uint8_t { kLocal, kGlobal };

// A setting's typed value: int64_t for kInteger and kSize, bool, double, std::string.
using SettingValue = std::variant<int64_t, bool, double, std::string>;

// One row of the settings table: everything SET, RESET, SHOW, current_setting(), CLI flags,
// --help and duckdb_settings() know about a setting.
struct SettingEntry {
  SettingId id;
  std::string name;
  std::vector<std::string> aliases;  // other names SET and the CLI accept (DuckDB's spellings)
  SettingType type;
  SettingScope scope;
  std::string description;  // one line, for --help and duckdb_settings()
  SettingValue default_value;
  // How --help shows the default when it depends on the machine ("cores", "80% of RAM");
  // empty: the formatted default_value.
  std::string default_text;
  // Accepted range for kInteger, kSize and kDouble (inclusive).
  double min = std::numeric_limits<double>::lowest();
  double max = std::numeric_limits<double>::max();
  // A kSize that also takes -1 (shown as "-1") to switch a feature off.
  bool minus_one_is_off = false;
  // A credential: SHOW, current_setting() and duckdb_settings() print it masked.
  bool secret = false;
  // The values a kString accepts; empty: any text.
  std::vector<std::string> choices = {};
};

// The table, indexed by SettingId. Machine-dependent defaults (threads, memory_limit) are
// computed on first use. Thread-safe (immutable after its first use).
const std::vector<SettingEntry>& SettingTable();
inline const SettingEntry& SettingOf(SettingId id) {
  return SettingTable()[static_cast<size_t>(id)];
}
// The entry named `name` or one of its aliases (case-insensitive), or null.
const SettingEntry* LookupSetting(const std::string& name);
// Like LookupSetting, but throws InvalidInputError naming the closest known setting.
const SettingEntry& FindSetting(const std::string& name);
// Parses and validates `text` for `entry`; throws InvalidInputError on a bad or out-of-range
// value.
SettingValue ParseSettingValue(const SettingEntry& entry, const std::string& text);
// Throws InvalidInputError when `value` has the wrong type or is out of `entry`'s range.
void ValidateSettingValue(const SettingEntry& entry, const SettingValue& value);
// The text form of a value, as SHOW and duckdb_settings() print it.
std::string FormatSettingValue(const SettingEntry& entry, const SettingValue& value);
// DuckDB's input_type of a setting: BIGINT, VARCHAR, BOOLEAN or DOUBLE.
std::string SettingTypeName(SettingType type);
// "LOCAL" or "GLOBAL".
std::string SettingScopeName(SettingScope scope);
// The default as --help shows it.
std::string SettingDefaultText(const SettingEntry& entry);

}  // namespace sluice
