// `sluice maintain --db DIR`: Iceberg table maintenance over a warehouse's tables, through
// the CALL procedures (compaction, snapshot expiry, orphan file removal).
#include <fmt/format.h>

#include <optional>

#include "api/session.h"
#include "api/sql_runner.h"
#include "catalog/commit_lock.h"
#include "catalog/table_store.h"
#include "cli/cli.h"
#include "cli/progress_bar.h"
#include "cli/setting_flags.h"
#include "cli/sql_options.h"
#include "common/duration.h"
#include "common/error.h"
#include "types/date_time.h"

namespace sluice {

namespace {

constexpr const char* kMaintainUsage = R"(Usage: sluice maintain --db DIR [options]

Maintains the Iceberg tables of the warehouse DIR (every table, or those named), each in
three commits as Spark's procedures do them:
  1. CALL rewrite_data_files: compacts small data files into files near the target size
  2. CALL expire_snapshots: removes snapshots older than --older-than beyond the newest
     --retain-last (branches and tags keep theirs), and the files only they needed
  3. CALL remove_orphan_files: removes files of the table's directory that no metadata
     needs, last changed before --older-than
Prints one line per table. A failed or interrupted step leaves the table at its snapshot
before or after that step; the next run carries on. A table another writer changed during
its compaction is reported and left as that writer made it (exit code 1).

Options:
      --db DIR                 the warehouse directory or s3://bucket/prefix (required)
      --table NAME             only this table ("t" or "schema.t"; repeatable)
      --target-file-size SIZE  compaction's file size (default 512MB)
      --min-input-files N      compact when at least N files are too small (default 5)
      --older-than TIME        the age of what expires: a time ('2024-01-02 03:04:05') or an
                               age before now (7d, 12h, 30m; default: 5d for snapshots,
                               3d for orphan files)
      --retain-last N          snapshots of the current history always kept (default 1)
      --no-progress            never draw the progress bar
  -h, --help                   show this help

Settings: --name VALUE, --name=VALUE or --set name=value, as for sluice sql (the s3_* ones
reach a warehouse on object storage: --s3-url-style path --s3-catalog FILE).
)";

struct MaintainOptions {
  std::string db_dir;
  std::vector<std::string> tables;
  std::optional<std::string> target_file_size;
  std::optional<int64_t> min_input_files;
  std::optional<std::string> older_than;  // a TIMESTAMP literal's text
  std::optional<int64_t> retain_last;
  bool progress = true;
  Settings settings;  // --name VALUE flags (s3_* for a warehouse on object storage)
};

// `text` ("7d", "12h", "30m" before now, or a timestamp) as a timestamp's text.
std::string OlderThan(const std::string& text) {
  if (ParseTimestamp(text)) return text;
  const std::optional<int64_t> age_ms = ParseDurationMs(text, nullptr);
  if (!age_ms) {
    throw UsageError(fmt::format(
        "--older-than needs a time ('2024-01-02 03:04:05') or an age (7d, 12h, 30m), got '{}'",
        text));
  }
  return Value::Timestamp((NowMs() - *age_ms) * 1000).ToString();
}

MaintainOptions ParseOptions(const std::vector<std::string>& args) {
  MaintainOptions o;
  for (size_t i = 0; i < args.size(); i++) {
    const std::string& a = args[i];
    if (a == "--db") {
      o.db_dir = NeedValue(args, i);
    } else if (a == "--table") {
      o.tables.push_back(NeedValue(args, i));
    } else if (a == "--target-file-size") {
      o.target_file_size = NeedValue(args, i);
    } else if (a == "--min-input-files") {
      o.min_input_files = ParsePositiveInt(a, NeedValue(args, i));
    } else if (a == "--older-than") {
      o.older_than = OlderThan(NeedValue(args, i));
    } else if (a == "--retain-last") {
      o.retain_last = ParsePositiveInt(a, NeedValue(args, i));
    } else if (a == "--no-progress") {
      o.progress = false;
    } else if (ParseSettingFlag(args, i, o.settings)) {
      continue;
    } else {
      throw UsageError(fmt::format("unknown option '{}' (see sluice maintain --help)", a));
    }
  }
  if (o.db_dir.empty())
    throw UsageError("sluice maintain needs --db DIR (see sluice maintain --help)");
  return o;
}

std::string Quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// The one row of a procedure's result.
std::vector<Value> Row(const StatementResult& r) {
  for (const auto& b : r.batches) {
    if (b.num_rows() > 0) return b.GetRow(0);
  }
  return {};
}

int64_t Rows(const StatementResult& r) {
  int64_t n = 0;
  for (const auto& b : r.batches) n += static_cast<int64_t>(b.num_rows());
  return n;
}

int64_t SnapshotCount(Session& session, const std::string& table) {
  const auto r =
      RunSqlScript(session, "SELECT count(*) FROM iceberg_snapshots(" + Quote(table) + ")");
  return Row(r.back()).at(0).GetInt();
}

}  // namespace

int MaintainCommand(const std::vector<std::string>& args) {
  if (WantsHelp(args)) {
    fmt::print("{}", kMaintainUsage);
    return 0;
  }
  const MaintainOptions o = ParseOptions(args);
  const Settings settings = WarehouseSettings(o.settings, o.db_dir);
  Session session(settings, o.db_dir);
  std::vector<std::string> tables = o.tables;
  if (tables.empty()) {
    for (const auto& name : session.warehouse().Names()) {
      if (session.warehouse().HasTable(name)) tables.push_back(name.Display());
    }
  }
  for (const auto& t : tables) {
    if (!session.IsTable(t))
      throw InvalidInputError(fmt::format("the warehouse has no table {}", t));
  }
  std::string compact_args, expire_args, orphan_args;
  if (o.target_file_size) compact_args += ", target_file_size => " + Quote(*o.target_file_size);
  if (o.min_input_files) compact_args += fmt::format(", min_input_files => {}", *o.min_input_files);
  if (o.older_than) {
    expire_args += ", older_than => TIMESTAMP " + Quote(*o.older_than);
    orphan_args += ", older_than => TIMESTAMP " + Quote(*o.older_than);
  }
  if (o.retain_last) expire_args += fmt::format(", retain_last => {}", *o.retain_last);

  ProgressBar bar(o.progress && settings.progress_bar(), "maintain");
  bar.StageStarted(1, static_cast<int>(tables.size()) * 3);
  std::vector<std::string> lines;
  bool conflicts = false;
  for (const auto& t : tables) {
    const std::string table = Quote(t);
    try {
      const auto compacted = Row(
          RunSqlScript(session, "CALL rewrite_data_files(" + table + compact_args + ")").back());
      bar.TaskFinished(1);
      const int64_t snapshots = SnapshotCount(session, t);
      const auto expired =
          Row(RunSqlScript(session, "CALL expire_snapshots(" + table + expire_args + ")").back());
      const int64_t expired_snapshots = snapshots - SnapshotCount(session, t);
      bar.TaskFinished(1);
      const int64_t orphans = Rows(
          RunSqlScript(session, "CALL remove_orphan_files(" + table + orphan_args + ")").back());
      bar.TaskFinished(1);
      lines.push_back(fmt::format(
          "{}: compacted {} data files into {}; expired {} snapshots (removed {} data files, {} "
          "manifests, {} manifest lists); removed {} orphan files",
          t, compacted.at(0).GetInt(), compacted.at(1).GetInt(), expired_snapshots,
          expired.at(0).GetInt(), expired.at(3).GetInt(), expired.at(4).GetInt(), orphans));
    } catch (const WriteConflictError& e) {
      // Another writer committed meanwhile: the table is as that writer left it; the next
      // run picks it up. The other tables are still maintained.
      conflicts = true;
      lines.push_back(fmt::format("{}: not finished: {}", t, e.message()));
    }
  }
  bar.Finish();
  for (const auto& line : lines) fmt::print("{}\n", line);
  fmt::print("maintained {} table{}\n", tables.size(), tables.size() == 1 ? "" : "s");
  return conflicts ? 1 : 0;
}

}  // namespace sluice
