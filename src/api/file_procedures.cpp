// Procedures over a table's files: rewrite_data_files (compaction) and remove_orphan_files
// (Spark's signatures and result columns).
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "api/procedure_registry.h"
#include "catalog/commit_lock.h"
#include "catalog/file_table_store.h"
#include "catalog/table_target.h"
#include "common/error.h"
#include "io/stored_files.h"
#include "objstore/s3_location.h"

namespace sluice {

namespace {

namespace fs = std::filesystem;

Field BigIntField(const char* name) { return Field{name, TypeId::kBigInt, true, ""}; }

const ProcedureParameter kTable{"table", true, "the table (a table of the --db warehouse)"};

// Iceberg's defaults: write.target-file-size-bytes, and a rewrite of at least
// min-input-files files.
constexpr int64_t kDefaultTargetFileBytes = int64_t{512} << 20;
constexpr int64_t kDefaultMinInputFiles = 5;
// Files below this share of the target, or above the second, are rewritten (Iceberg's
// min-file-size-bytes and max-file-size-bytes).
constexpr double kMinFileRatio = 0.75;
constexpr double kMaxFileRatio = 1.8;
constexpr int64_t kDefaultOrphanAgeMs = int64_t{3} * 86400000;

}  // namespace

Procedure RewriteDataFilesProcedure() {
  Procedure p;
  p.name = "rewrite_data_files";
  p.description =
      "compaction: rewrites the data files far from target_file_size into files near it, as "
      "one snapshot of operation \"replace\" (the rows do not change)";
  p.parameters = {
      kTable,
      {"target_file_size", false, "bytes per data file written (512MB)"},
      {"min_input_files", false, "rewrite only when at least this many files qualify (5)"}};
  p.run = [](Session& session, const ProcedureArgs& args) {
    const std::string name = args.String("table");
    auto table = IcebergTableOf(session, name);
    const int64_t target =
        args.Has("target_file_size") ? args.Bytes("target_file_size") : kDefaultTargetFileBytes;
    const int64_t min_files =
        args.Has("min_input_files") ? args.Int("min_input_files") : kDefaultMinInputFiles;
    if (min_files < 1)
      throw InvalidInputError("rewrite_data_files: min_input_files must be at least 1");
    const Snapshot before = table->Current();
    std::vector<std::string> paths;
    int64_t bytes = 0, rows = 0;
    bool oversized = false;
    for (const auto& f : before.files) {
      const bool small = static_cast<double>(f.bytes) < kMinFileRatio * static_cast<double>(target);
      const bool large = static_cast<double>(f.bytes) > kMaxFileRatio * static_cast<double>(target);
      if (!small && !large) continue;
      oversized |= large;
      paths.push_back(f.path);
      bytes += f.bytes;
      rows += f.rows;
    }
    const bool worth = static_cast<int64_t>(paths.size()) >= min_files ||
                       (paths.size() >= 2 && bytes >= target) || oversized;
    int64_t added = 0;
    if (worth && rows > 0) {
      TableRewrite rewrite = table->PlanFileRewrite(paths);
      rewrite.operation = "replace";
      rewrite.target_file_rows = std::max<int64_t>(
          1, static_cast<int64_t>(static_cast<double>(target) * static_cast<double>(rows) /
                                  static_cast<double>(std::max<int64_t>(bytes, 1))));
      // One writer task per target-sized share of the rows, so that each writes full files.
      const int64_t files =
          std::max<int64_t>(1, (rows + rewrite.target_file_rows - 1) / rewrite.target_file_rows);
      LogicalPlanPtr rows_plan =
          MakeCoalesce(MakeScan(rewrite.source), static_cast<int>(std::min<int64_t>(files, 64)));
      auto target_write = std::make_shared<RewriteTarget>(table, rewrite, "rewrite_data_files");
      session.RunWrite(*MakeWrite(rows_plan, target_write), name);
      std::set<std::string> old;
      for (const auto& f : before.files) old.insert(f.path);
      for (const auto& f : table->Current().files) added += old.count(f.path) ? 0 : 1;
    } else {
      paths.clear();
      bytes = 0;
    }
    return MakeRowsResult(
        Schema({BigIntField("rewritten_data_files_count"), BigIntField("added_data_files_count"),
                BigIntField("rewritten_bytes_count"), BigIntField("failed_data_files_count")}),
        {{Value::BigInt(static_cast<int64_t>(paths.size())), Value::BigInt(added),
          Value::BigInt(bytes), Value::BigInt(0)}});
  };
  return p;
}

Procedure RemoveOrphanFilesProcedure() {
  Procedure p;
  p.name = "remove_orphan_files";
  p.description =
      "removes the files of the table's directory that no metadata needs, last changed before "
      "older_than (3 days ago by default, so that no write in progress loses its files)";
  p.parameters = {kTable,
                  {"older_than", false, "only files last changed before this time"},
                  {"dry_run", false, "list the files without removing them"}};
  p.run = [](Session& session, const ProcedureArgs& args) {
    auto table = IcebergTableOf(session, args.String("table"));
    const int64_t older_than =
        args.Has("older_than") ? args.TimeMs("older_than") : NowMs() - kDefaultOrphanAgeMs;
    const bool dry_run = args.Has("dry_run") && args.Bool("dry_run");
    std::string dir = table->dir();
    if (!IsS3Path(dir)) dir = fs::absolute(dir).lexically_normal().string();
    std::vector<std::string> orphans;
    {
      // Commits write metadata files under this lock; data files not committed yet are
      // those of a write in flight, which holds the data directory's shared lock.
      CommitLock lock(table->lock_dir());
      const DataFilesLock no_writer(table->lock_dir() + "/data", DataFilesLock::Mode::kCollector);
      const std::set<std::string> needed = table->NeededFiles();
      for (const StoredFile& file : ListStoredFiles(dir)) {
        const std::string& relative = file.relative;
        if (needed.count(relative) || relative == "metadata/version-hint.text") continue;
        if (relative.starts_with("data/") && !no_writer.held()) continue;
        if (file.modified_ms >= older_than) continue;
        orphans.push_back(file.path);
      }
      std::sort(orphans.begin(), orphans.end());
      if (!dry_run) {
        for (const auto& path : orphans) {
          if (!RemoveStoredFile(path)) {
            throw IOError(fmt::format("remove_orphan_files: cannot remove '{}'", path));
          }
        }
      }
    }
    std::vector<std::vector<Value>> rows;
    for (const auto& path : orphans) rows.push_back({Value::Varchar(path)});
    return MakeRowsResult(Schema({Field{"orphan_file_location", TypeId::kVarchar, true, ""}}),
                          rows);
  };
  return p;
}

}  // namespace sluice
