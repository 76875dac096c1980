#include "common/settings.h"

#include <algorithm>
#include <cctype>
#include <thread>

#include "common/error.h"
#include "common/memory.h"
#include "common/strings.h"

namespace sluice {

namespace {

int64_t ParseInteger(const std::string& name, const std::string& value) {
  try {
    size_t used = 0;
    const int64_t v = std::stoll(value, &used);
    if (used == value.size()) return v;
  } catch (const std::exception&) {
  }
  throw InvalidInputError(fmt::format("setting {} expects an integer, got '{}'", name, value));
}

bool ParseBool(const std::string& name, const std::string& value) {
  const std::string v = ToLower(value);
  if (v == "true" || v == "1" || v == "on" || v == "yes") return true;
  if (v == "false" || v == "0" || v == "off" || v == "no") return false;
  throw InvalidInputError(fmt::format("setting {} expects true or false, got '{}'", name, value));
}

int64_t ParseSizeOrOff(const std::string& name, const std::string& value) {
  if (value == "-1") return -1;
  return ParseMemorySize(value);
}

}  // namespace

int Settings::DefaultThreads() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

std::vector<std::string> Settings::Names() {
  return {"threads",          "memory_limit",   "temp_directory",
          "shuffle_partitions", "target_partition_bytes", "broadcast_threshold",
          "adaptive",         "skew_factor",    "skew_threshold",
          "progress_bar",     "prefer_in_process_broadcast", "prefer_sort_merge_join", "task_retries", "inject_faults",
          "skew_salt_buckets", "skew_join", "target_file_rows"};
}

void Settings::Set(const std::string& raw_name, const std::string& value) {
  const std::string name = ToLower(raw_name);
  if (name == "threads" || name == "worker_threads") {
    const int64_t v = ParseInteger(name, value);
    if (v < 1 || v > 1024) throw InvalidInputError("threads must be between 1 and 1024");
    threads = static_cast<int>(v);
  } else if (name == "memory_limit" || name == "max_memory") {
    memory_limit = ParseMemorySize(value);
  } else if (name == "temp_directory") {
    temp_directory = value;
  } else if (name == "shuffle_partitions") {
    const int64_t v = ParseInteger(name, value);
    if (v < 1 || v > 100000) throw InvalidInputError("shuffle_partitions must be between 1 and 100000");
    shuffle_partitions = static_cast<int>(v);
  } else if (name == "target_partition_bytes") {
    target_partition_bytes = ParseMemorySize(value);
  } else if (name == "broadcast_threshold") {
    broadcast_threshold = ParseSizeOrOff(name, value);
  } else if (name == "adaptive") {
    adaptive = ParseBool(name, value);
  } else if (name == "prefer_in_process_broadcast") {
    prefer_in_process_broadcast = ParseBool(name, value);
  } else if (name == "prefer_sort_merge_join") {
    prefer_sort_merge_join = ParseBool(name, value);
  } else if (name == "skew_join") {
    skew_join = ParseBool(name, value);
  } else if (name == "skew_factor") {
    try {
      skew_factor = std::stod(value);
    } catch (const std::exception&) {
      throw InvalidInputError(fmt::format("skew_factor expects a number, got '{}'", value));
    }
    if (!(skew_factor >= 1)) throw InvalidInputError("skew_factor must be a number >= 1");
  } else if (name == "skew_threshold") {
    skew_threshold = ParseMemorySize(value);
  } else if (name == "skew_salt_buckets") {
    const int64_t v = ParseInteger(name, value);
    if (v < 0 || v > 4096) throw InvalidInputError("skew_salt_buckets must be between 0 and 4096");
    skew_salt_buckets = static_cast<int>(v);
  } else if (name == "task_retries") {
    const int64_t v = ParseInteger(name, value);
    if (v < 0 || v > 100) throw InvalidInputError("task_retries must be between 0 and 100");
    task_retries = static_cast<int>(v);
  } else if (name == "inject_faults") {
    inject_faults = value;
  } else if (name == "target_file_rows") {
    const int64_t v = ParseInteger(name, value);
    if (v < 1) throw InvalidInputError("target_file_rows must be at least 1");
    target_file_rows = v;
  } else if (name == "progress_bar" || name == "enable_progress_bar") {
    progress_bar = ParseBool(name, value);
  } else {
    throw InvalidInputError(fmt::format("unknown setting '{}'{}", raw_name,
                                        DidYouMean(name, Names())));
  }
}

std::string Settings::Get(const std::string& raw_name) const {
  const std::string name = ToLower(raw_name);
  if (name == "threads") return std::to_string(threads);
  if (name == "memory_limit") return FormatBytes(memory_limit);
  if (name == "temp_directory") return temp_directory;
  if (name == "shuffle_partitions") return std::to_string(shuffle_partitions);
  if (name == "target_partition_bytes") return FormatBytes(target_partition_bytes);
  if (name == "broadcast_threshold") {
    return broadcast_threshold < 0 ? "-1" : FormatBytes(broadcast_threshold);
  }
  if (name == "adaptive") return adaptive ? "true" : "false";
  if (name == "prefer_in_process_broadcast") return prefer_in_process_broadcast ? "true" : "false";
  if (name == "prefer_sort_merge_join") return prefer_sort_merge_join ? "true" : "false";
  if (name == "skew_join") return skew_join ? "true" : "false";
  if (name == "skew_factor") return fmt::format("{}", skew_factor);
  if (name == "skew_threshold") return FormatBytes(skew_threshold);
  if (name == "progress_bar") return progress_bar ? "true" : "false";
  if (name == "skew_salt_buckets") return std::to_string(skew_salt_buckets);
  if (name == "task_retries") return std::to_string(task_retries);
  if (name == "inject_faults") return inject_faults;
  if (name == "target_file_rows") return std::to_string(target_file_rows);

  throw InvalidInputError(fmt::format("unknown setting '{}'{}", raw_name, DidYouMean(name, Names())));
}

}  // namespace sluice
