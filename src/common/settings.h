#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/setting_table.h"

namespace sluice {

// The knobs of a session (`SET name = value`, CLI flags, Session config): one optional value
// per entry of the settings table (common/setting_table.h), unset until SET. The typed
// accessors resolve an unset value to the table's default, so "unset" never needs a magic
// number. A cheap value type: each query copies the settings it starts with.
class Settings {
 public:
  // Typed values (see the table for what each means).
  int threads() const { return static_cast<int>(Integer(SettingId::kThreads)); }
  int64_t memory_limit() const { return Integer(SettingId::kMemoryLimit); }
  // Empty: the system temp directory.
  const std::string& temp_directory() const { return String(SettingId::kTempDirectory); }
  int shuffle_partitions() const {
    return static_cast<int>(Integer(SettingId::kShufflePartitions));
  }
  int64_t target_partition_bytes() const { return Integer(SettingId::kTargetPartitionBytes); }
  // -1: broadcast joins are off.
  int64_t broadcast_threshold() const { return Integer(SettingId::kBroadcastThreshold); }
  bool prefer_in_process_broadcast() const { return Bool(SettingId::kPreferInProcessBroadcast); }
  bool prefer_sort_merge_join() const { return Bool(SettingId::kPreferSortMergeJoin); }
  bool adaptive() const { return Bool(SettingId::kAdaptive); }
  bool skew_join() const { return Bool(SettingId::kSkewJoin); }
  double skew_factor() const { return Double(SettingId::kSkewFactor); }
  int64_t skew_threshold() const { return Integer(SettingId::kSkewThreshold); }
  // 0: salting is off.
  int skew_salt_buckets() const { return static_cast<int>(Integer(SettingId::kSkewSaltBuckets)); }
  bool auto_salting() const { return Bool(SettingId::kAutoSalting); }
  double skew_hot_key_fraction() const { return Double(SettingId::kSkewHotKeyFraction); }
  int64_t skew_hot_key_rows() const { return Integer(SettingId::kSkewHotKeyRows); }
  bool progress_bar() const { return Bool(SettingId::kProgressBar); }
  int task_retries() const { return static_cast<int>(Integer(SettingId::kTaskRetries)); }
  // Empty: the environment variable SLUICE_INJECT_FAULTS, if set.
  const std::string& inject_faults() const { return String(SettingId::kInjectFaults); }
  int64_t target_file_rows() const { return Integer(SettingId::kTargetFileRows); }
  int max_expression_depth() const {
    return static_cast<int>(Integer(SettingId::kMaxExpressionDepth));
  }
  int64_t max_collect_bytes() const { return Integer(SettingId::kMaxCollectBytes); }
  bool integer_division() const { return Bool(SettingId::kIntegerDivision); }
  // An IANA zone name; "UTC" by default.
  const std::string& time_zone() const { return String(SettingId::kTimeZone); }
  const std::string& s3_endpoint() const { return String(SettingId::kS3Endpoint); }
  const std::string& s3_region() const { return String(SettingId::kS3Region); }
  // "vhost" or "path".
  const std::string& s3_url_style() const { return String(SettingId::kS3UrlStyle); }
  const std::string& s3_access_key_id() const { return String(SettingId::kS3AccessKeyId); }
  const std::string& s3_secret_access_key() const {
    return String(SettingId::kS3SecretAccessKey);
  }
  const std::string& s3_session_token() const { return String(SettingId::kS3SessionToken); }
  bool s3_use_ssl() const { return Bool(SettingId::kS3UseSsl); }
  const std::string& s3_catalog() const { return String(SettingId::kS3Catalog); }

  // Typed setters for C++ callers; validated like SET (InvalidInputError when out of range).
  Settings& set_threads(int v) { return Assign(SettingId::kThreads, int64_t{v}); }
  Settings& set_memory_limit(int64_t v) { return Assign(SettingId::kMemoryLimit, v); }
  Settings& set_temp_directory(std::string v) {
    return Assign(SettingId::kTempDirectory, std::move(v));
  }
  Settings& set_shuffle_partitions(int v) {
    return Assign(SettingId::kShufflePartitions, int64_t{v});
  }
  Settings& set_target_partition_bytes(int64_t v) {
    return Assign(SettingId::kTargetPartitionBytes, v);
  }
  Settings& set_broadcast_threshold(int64_t v) { return Assign(SettingId::kBroadcastThreshold, v); }
  Settings& set_prefer_in_process_broadcast(bool v) {
    return Assign(SettingId::kPreferInProcessBroadcast, v);
  }
  Settings& set_prefer_sort_merge_join(bool v) {
    return Assign(SettingId::kPreferSortMergeJoin, v);
  }
  Settings& set_adaptive(bool v) { return Assign(SettingId::kAdaptive, v); }
  Settings& set_skew_join(bool v) { return Assign(SettingId::kSkewJoin, v); }
  Settings& set_skew_factor(double v) { return Assign(SettingId::kSkewFactor, v); }
  Settings& set_skew_threshold(int64_t v) { return Assign(SettingId::kSkewThreshold, v); }
  Settings& set_skew_salt_buckets(int v) { return Assign(SettingId::kSkewSaltBuckets, int64_t{v}); }
  Settings& set_auto_salting(bool v) { return Assign(SettingId::kAutoSalting, v); }
  Settings& set_skew_hot_key_fraction(double v) {
    return Assign(SettingId::kSkewHotKeyFraction, v);
  }
  Settings& set_skew_hot_key_rows(int64_t v) { return Assign(SettingId::kSkewHotKeyRows, v); }
  Settings& set_progress_bar(bool v) { return Assign(SettingId::kProgressBar, v); }
  Settings& set_task_retries(int v) { return Assign(SettingId::kTaskRetries, int64_t{v}); }
  Settings& set_inject_faults(std::string v) {
    return Assign(SettingId::kInjectFaults, std::move(v));
  }
  Settings& set_target_file_rows(int64_t v) { return Assign(SettingId::kTargetFileRows, v); }

  // Sets one setting (by name or alias, case-insensitive) from its text form; throws
  // InvalidInputError on an unknown name (with a suggestion) or a bad value, changing nothing.
  void Set(const std::string& name, const std::string& value);
  // Back to the default (unset); throws InvalidInputError on an unknown name.
  void Reset(const std::string& name);
  void ResetAll() { values_ = {}; }
  // The current value of a setting as text (SHOW name); throws InvalidInputError on an
  // unknown name.
  std::string Get(const std::string& name) const;
  // The value of `id`: the one set, or the default.
  const SettingValue& ValueOf(SettingId id) const;
  // Whether `id` was set (and not reset since).
  bool IsSet(SettingId id) const { return values_[Index(id)].has_value(); }
  // Takes the value (set or unset) of every kGlobal setting from `session`: a settings scope
  // sees the session's shared settings.
  void CopyGlobalsFrom(const Settings& session);
  // The names of all settings, without aliases, in table order.
  static std::vector<std::string> Names();
  static int DefaultThreads();

 private:
  static size_t Index(SettingId id) { return static_cast<size_t>(id); }
  int64_t Integer(SettingId id) const;
  bool Bool(SettingId id) const;
  double Double(SettingId id) const;
  const std::string& String(SettingId id) const;
  Settings& Assign(SettingId id, SettingValue value);

  std::array<std::optional<SettingValue>, kSettingCount> values_;
};

}  // namespace sluice
