#include "catalog/file_table_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <set>
#include <sstream>

#include "catalog/bucketing.h"
#include "catalog/commit_lock.h"
#include "catalog/file_table_writer.h"
#include "catalog/partitioning.h"
#include "common/error.h"
#include "io/file.h"
#include "io/stored_files.h"
#include "objstore/s3_location.h"

namespace sluice {

namespace fs = std::filesystem;

namespace {

constexpr const char* kMetadataDir = "metadata";
constexpr const char* kDataDir = "data";
// How often a commit whose compare-and-swap lost to a writer outside the flock (another
// engine) is retried before it fails.
constexpr int kCommitAttempts = 20;


std::string RandomId() {
  std::random_device device;
  return fmt::format("{:08x}{:08x}{:08x}{:08x}", device(), device(), device(), device());
}


WriteConflictError ConflictError(const std::string& table, int64_t committed, int64_t base) {
  return WriteConflictError(
      fmt::format("table '{}' was changed by another writer: snapshot {} was committed after this "
                  "statement started from snapshot {}; nothing was written, run it again",
                  table, committed, base));
}

// The bucket of a bucketed table that holds every row satisfying `conjuncts` (bound over
// s.schema), when they fix each bucket column to a constant of its type (`k = 7`); -1
// otherwise. The constant row goes through SplitIntoBuckets, the function writes use, so
// equal values land where the table's rows of that value are.
int BucketOfConjuncts(const Snapshot& s, const std::vector<ExprPtr>& conjuncts) {
  if (!s.buckets.bucketed()) return -1;
  std::vector<std::optional<Value>> fixed(s.schema.size());
  for (const auto& c : conjuncts) {
    if (c->kind != ExprKind::kCall || c->name != "=" || c->args.size() != 2) continue;
    const Expr* column = c->args[0].get();
    const Expr* constant = c->args[1].get();
    if (column->kind != ExprKind::kColumnRef) std::swap(column, constant);
    if (column->kind != ExprKind::kColumnRef || constant->kind != ExprKind::kLiteral ||
        constant->value.is_null() || column->column_index < 0 ||
        column->column_index >= static_cast<int>(s.schema.size())) {
      continue;
    }
    const size_t i = static_cast<size_t>(column->column_index);
    // Not DOUBLE: -0.0 = 0.0 and NaN may hash unlike the values they equal.
    const LogicalType& type = s.schema.field(i).type;
    if (constant->type == type && type.id() != TypeId::kDouble) fixed[i] = constant->value;
  }
  for (const int i : BucketColumnIndices(s.schema, s.buckets)) {
    if (!fixed[static_cast<size_t>(i)].has_value()) return -1;
  }
  std::vector<ColumnPtr> columns;
  for (size_t i = 0; i < s.schema.size(); i++) {
    const LogicalType& type = s.schema.field(i).type;
    auto column = Column::Make(type, 1);
    column->SetValue(0, fixed[i].value_or(Value::Null(type)));
    column->set_size(1);
    columns.push_back(std::move(column));
  }
  const auto split = SplitIntoBuckets(s.schema, s.buckets, {Batch(std::move(columns), 1)});
  for (size_t b = 0; b < split.size(); b++) {
    for (const auto& batch : split[b]) {
      if (batch.num_rows() > 0) return static_cast<int>(b);
    }
  }
  return -1;
}

}  // namespace

FileTableStore::FileTableStore(std::string dir, std::string name,
                               std::unique_ptr<TablePointer> pointer)
    : dir_(std::move(dir)),
      name_(std::move(name)),
      pointer_(pointer != nullptr ? std::move(pointer)
                                  : std::make_unique<VersionHintPointer>(dir_)),
      lock_dir_(pointer_->LockDirectory(dir_)) {}

bool FileTableStore::IsTable(const std::string& dir) {
  return StoredFileExists(fmt::format("{}/{}/version-hint.text", dir, kMetadataDir));
}

std::unique_ptr<FileTableStore> FileTableStore::Open(const std::string& dir,
                                                     const std::string& name,
                                                     int64_t target_file_rows,
                                                     std::unique_ptr<TablePointer> pointer) {
  std::unique_ptr<FileTableStore> store(new FileTableStore(dir, name, std::move(pointer)));
  store->SetTargetFileRows(target_file_rows);
  CommitLock lock(store->lock_dir_);
  const std::optional<std::string> location = store->pointer_->Load();
  if (!location) {
    throw IOError(fmt::format("table '{}' has no committed snapshot ({} names no metadata file)",
                              dir, store->pointer_->Describe()));
  }
  store->current_ = LoadCommittedTable(dir, *location);
  store->CollectGarbage();
  store->PublishCurrent();
  return store;
}

std::unique_ptr<FileTableStore> FileTableStore::Prepare(const std::string& dir,
                                                        const std::string& name,
                                                        const Schema& schema,
                                                        const BucketSpec& buckets,
                                                        int64_t target_file_rows,
                                                        std::unique_ptr<TablePointer> pointer,
                                                        bool joined) {
  SLUICE_CHECK(!IsTable(dir), "table directory {} exists", dir);
  // A directory left by a create that never committed holds nothing anyone reads.
  if (!joined) RemoveStoredTree(dir);
  CreateStoredDirectory(fmt::format("{}/{}", dir, kDataDir));
  CreateStoredDirectory(fmt::format("{}/{}", dir, kMetadataDir));
  std::unique_ptr<FileTableStore> store(new FileTableStore(dir, name, std::move(pointer)));
  store->SetTargetFileRows(target_file_rows);
  Snapshot& s = store->current_.snapshot;
  s.schema = UnqualifiedSchema(schema);
  s.field_ids = AssignFieldIds(s.schema, store->current_);
  s.buckets = WarehouseLayout(s.schema, buckets);
  return store;
}

std::unique_ptr<FileTableStore> FileTableStore::Create(
    const std::string& dir, const std::string& name, const Schema& schema,
    const std::vector<Batch>& rows, const BucketSpec& buckets, int64_t target_file_rows) {
  auto store = Prepare(dir, name, schema, buckets, target_file_rows);
  WriteAndCommit(*store->BeginReplace(schema, buckets), rows);
  return store;
}

Snapshot FileTableStore::Current() const {
  std::lock_guard lock(mutex_);
  return current_.snapshot;
}

bool FileTableStore::WritableByEveryProcess() const {
  return Current().buckets.partition_by.empty();
}

std::optional<std::string> FileTableStore::MetadataLocation() const {
  std::lock_guard lock(mutex_);
  return current_.location;
}

std::string FileTableStore::PathOf(const std::string& file) const {
  return (!file.empty() && file[0] == '/') || IsS3Path(file) ? file : dir_ + "/" + file;
}

std::shared_ptr<const DataSource> FileTableStore::Source() const {
  std::lock_guard lock(mutex_);
  if (bucketed_source_ != nullptr) return bucketed_source_;
  return source_;
}

void FileTableStore::SetTargetFileRows(int64_t rows) {
  target_file_rows_ = rows > 0 ? rows : kTargetFileRows;
}

std::string FileTableStore::NewDataFile(PendingWrite* write, int bucket) {
  const std::string id = bucket >= 0 ? fmt::format("{}-b{}", RandomId(), bucket) : RandomId();
  bool committed = false;
  {
    std::lock_guard guard(mutex_);
    committed = current_.location.has_value();
  }
  // A table never committed is in no catalog: no other process collects its garbage (a
  // racing create of the same name fails its commit), so its files need no lock.
  if (committed && write->in_flight == nullptr) {
    write->in_flight = std::make_unique<DataFilesLock>(fmt::format("{}/{}", lock_dir_, kDataDir),
                                                       DataFilesLock::Mode::kWriter);
  }
  const std::string relative = fmt::format("{}/part-{}.parquet", kDataDir, id);
  write->written.push_back(dir_ + "/" + relative);
  return relative;
}

void FileTableStore::Commit(Snapshot next, int64_t base,
                            const std::vector<Snapshot::DataFile>* appended, PendingWrite* write,
                            const std::vector<std::string>* replaced) {
  std::lock_guard commit_guard(commit_mutex_);
  try {
    CommitLock lock(lock_dir_);
    CommittedTable base_state;  // the state this commit replaced
    for (int attempt = 1;; attempt++) {
      const std::optional<std::string> location = pointer_->Load();
      CommittedTable latest;
      {
        std::lock_guard guard(mutex_);
        if (location == current_.location) latest = current_;
      }
      // Another writer (process) committed since this store last looked: read its state.
      if (location != latest.location) {
        latest = location ? LoadCommittedTable(dir_, *location) : CommittedTable{};
      }
      const int64_t committed = latest.snapshot.version;
      Snapshot to_commit = next;
      if (committed != base) {
        // Another writer committed after this one read its snapshot.
        const Snapshot& other = latest.snapshot;
        if (appended == nullptr || !(other.schema == next.schema) ||
            other.field_ids != next.field_ids || !(other.buckets == next.buckets) ||
            !(other.constraints == next.constraints)) {
          throw ConflictError(name_, committed, base);
        }
        // A blind append commutes with the other commit: rebase it. So does a compaction
        // whose input files the other commit kept.
        to_commit = other;
        to_commit.operation = next.operation;
        to_commit.summary = next.summary;
        if (replaced != nullptr) {
          const std::set<std::string> gone(replaced->begin(), replaced->end());
          size_t found = 0;
          std::vector<Snapshot::DataFile> kept;
          for (auto& f : to_commit.files) {
            if (gone.count(f.path)) {
              found++;
            } else {
              kept.push_back(std::move(f));
            }
          }
          if (found != gone.size()) throw ConflictError(name_, committed, base);
          to_commit.files = std::move(kept);
        }
        for (const auto& f : *appended) to_commit.files.push_back(f);
      }
      PreparedCommit prepared = WriteCommit(dir_, latest, std::move(to_commit), NowMs());
      base_state = std::move(latest);
      // The commit point: readers that look up the table from now on see the new snapshot.
      if (!pointer_->Swap(location, *prepared.table.location)) {
        // A writer that does not take the flock (another engine) won the race: retry.
        for (const auto& file : prepared.written) RemoveStoredFile(file);
        if (attempt >= kCommitAttempts) throw ConflictError(name_, committed + 1, base);
        continue;
      }
      try {
        WriteVersionHint(dir_, *prepared.table.location, /*sync=*/false);
      } catch (const IOError&) {
        // The hint only helps path-based readers; the catalog row is the commit.
      }
      {
        std::lock_guard guard(mutex_);
        current_ = std::move(prepared.table);
      }
      break;
    }
    write->in_flight.reset();
    write->written.clear();
    CollectGarbage(&base_state);
  } catch (...) {
    DiscardWrites(write);
    throw;
  }
  PublishCurrent();
}

void FileTableStore::DiscardWrites(PendingWrite* write) {
  for (const auto& file : write->written) RemoveStoredFile(file);
  write->in_flight.reset();
  write->written.clear();
}

std::vector<FilePartition> FileTableStore::PartitionsOf(const Snapshot& current) const {
  iceberg::TableMetadata metadata;
  {
    std::lock_guard lock(mutex_);
    metadata = current_.metadata;
  }
  std::map<int, std::shared_ptr<const PartitionLayout>> layouts;
  for (const auto& spec : metadata.partition_specs) {
    if (spec.unpartitioned()) continue;
    layouts[spec.spec_id] = std::make_shared<const PartitionLayout>(
        PartitionLayoutOf(current.schema, PartitionColumnsOf(metadata, spec)));
  }
  std::vector<FilePartition> out;
  bool any = false;
  for (const auto& f : current.files) {
    FilePartition p;
    auto it = layouts.find(f.spec_id);
    if (it != layouts.end() && f.partition.size() == it->second->columns.size()) {
      p.layout = it->second;
      p.values = f.partition;
    }
    if (!metadata.schemas.empty()) {
      FileBounds bounds =
          FileBounds::Of(f.metrics, current.schema, current.field_ids, metadata.current_schema());
      if (!bounds.empty()) p.bounds = std::make_shared<const FileBounds>(std::move(bounds));
    }
    any |= p.layout != nullptr || p.bounds != nullptr;
    out.push_back(std::move(p));
  }
  if (!any) return {};
  return out;
}

void FileTableStore::PublishCurrent() {
  const Snapshot current = Current();
  std::shared_ptr<const SnapshotFiles> previous;
  {
    std::lock_guard lock(mutex_);
    previous = current_files_;
  }
  std::vector<std::string> paths;
  for (const auto& f : current.files) paths.push_back(PathOf(f.path));
  std::shared_ptr<const SnapshotFiles> files;
  if (!paths.empty()) {
    auto opened = std::make_shared<SnapshotFiles>(paths, previous.get());
    if (std::vector<FilePartition> partitions = PartitionsOf(current); !partitions.empty()) {
      opened->SetPartitions(current.schema, std::move(partitions));
    }
    files = std::move(opened);
  }
  {
    std::lock_guard lock(mutex_);
    if (source_ == nullptr || !(source_->schema() == current.schema)) {
      source_ = std::make_shared<TableSource>(name_, current.schema);
    }
    current_files_ = files;
    published_ = current;
    source_->Publish(std::move(files), current.row_count);
  }
  PublishBuckets();
}

void FileTableStore::PublishBuckets() {
  const Snapshot current = Current();
  // Sluice's own layout (bucketing by several columns, warehouses written before Iceberg
  // bucketing), else the Iceberg bucketing of a table partitioned by one bucket[n] field
  // when every file is of that field (a file of an earlier spec has no bucket).
  BucketSpec spec = current.buckets;
  PartitionHash hash = PartitionHash::kSluice;
  if (!spec.bucketed()) {
    spec = IcebergBucketsOf(current.schema, current.buckets.partition_by);
    hash = PartitionHash::kIcebergBucket;
    for (const auto& f : current.files) {
      if (f.bucket < 0 || f.bucket >= spec.num_buckets) spec = BucketSpec{};
    }
  }
  if (!spec.bucketed()) {
    std::lock_guard lock(mutex_);
    bucketed_source_.reset();
    bucket_sources_.clear();
    return;
  }
  std::vector<std::vector<int>> indices(static_cast<size_t>(spec.num_buckets));
  std::vector<int64_t> rows(indices.size(), 0);
  for (size_t f = 0; f < current.files.size(); f++) {
    const size_t b = static_cast<size_t>(current.files[f].bucket);
    indices.at(b).push_back(static_cast<int>(f));
    rows[b] += current.files[f].rows;
  }
  std::shared_ptr<const SnapshotFiles> all;
  {
    std::lock_guard lock(mutex_);
    all = current_files_;
  }
  std::vector<std::shared_ptr<const SnapshotFiles>> files;
  for (const auto& i : indices) files.push_back(i.empty() ? nullptr : all->Subset(i));
  std::lock_guard lock(mutex_);
  if (bucketed_source_ == nullptr || !(bucketed_source_->schema() == current.schema) ||
      !(bucketed_source_->spec() == spec) || bucketed_source_->hash_partition_function() != hash) {
    // Plans bound to the previous layout keep reading its last snapshot.
    bucket_sources_.clear();
    std::vector<std::shared_ptr<const DataSource>> sources;
    for (int b = 0; b < spec.num_buckets; b++) {
      bucket_sources_.push_back(std::make_shared<TableSource>(name_, current.schema));
      sources.push_back(bucket_sources_.back());
    }
    bucketed_source_ =
        std::make_shared<BucketedSource>(name_, current.schema, spec, std::move(sources), hash);
  }
  for (size_t b = 0; b < files.size(); b++) bucket_sources_[b]->Publish(files[b], rows[b]);
}

void FileTableStore::CollectGarbage(const CommittedTable* known) {
  CommittedTable current;
  {
    std::lock_guard lock(mutex_);
    current = current_;
  }
  std::set<std::string> keep;
  try {
    keep = ReferencedFiles(dir_, current, known);
  } catch (const UserError&) {
    // An unreadable older snapshot: keep everything rather than guess.
    return;
  }
  // Unreferenced data files are garbage unless a write is in flight (in any process): they
  // may be its. (Files `*.pending` are the markers of writers of earlier versions.)
  const DataFilesLock no_writer(lock_dir_ + "/" + kDataDir, DataFilesLock::Mode::kCollector);
  // A listing that fails (the object store unreachable) leaves the garbage for next time.
  auto list = [&](const char* dir) {
    try {
      return ListStoredFiles(dir_ + "/" + dir, /*recursive=*/false);
    } catch (const IOError&) {
      return std::vector<StoredFile>{};
    }
  };
  if (no_writer.held()) {
    for (const StoredFile& file : list(kDataDir)) {
      if (!keep.count(std::string(kDataDir) + "/" + file.relative)) RemoveStoredFile(file.path);
    }
  }
  // Metadata files are written only under the flock this caller holds: any not kept is
  // garbage (an interrupted commit's, or an expired snapshot's).
  // With write.metadata.delete-after-commit.enabled false, metadata files stay (Iceberg's
  // rule); remove_orphan_files takes them.
  const bool keep_metadata_files =
      current.metadata.property("write.metadata.delete-after-commit.enabled", "true") == "false";
  for (const StoredFile& file : list(kMetadataDir)) {
    const std::string relative = std::string(kMetadataDir) + "/" + file.relative;
    if (keep_metadata_files && file.relative.ends_with(".metadata.json")) continue;
    if (file.relative != "version-hint.text" && !keep.count(relative)) {
      RemoveStoredFile(file.path);
    }
  }
}

std::unique_ptr<DataWriter> FileTableStore::BeginAppend() { return BeginAppendWithSummary({}); }

std::unique_ptr<DataWriter> FileTableStore::BeginAppendWithSummary(
    std::map<std::string, std::string> summary) {
  Snapshot next = Current();
  next.summary = std::move(summary);
  const int64_t base = next.version;
  return std::make_unique<Writer>(*this, std::move(next), base, /*append=*/true);
}

std::unique_ptr<DataWriter> FileTableStore::BeginReplace(const Schema& schema,
                                                          const BucketSpec& buckets,
                                                          const TableConstraints& constraints) {
  // The rows are computed from the snapshot this store sees now.
  Snapshot next;
  next.schema = UnqualifiedSchema(schema);
  next.buckets = WarehouseLayout(next.schema, buckets);
  next.constraints = constraints;
  int64_t base = 0;
  {
    std::lock_guard lock(mutex_);
    base = current_.snapshot.version;
    next.field_ids = AssignFieldIds(next.schema, current_);
  }
  return std::make_unique<Writer>(*this, std::move(next), base, /*append=*/false);
}

void FileTableStore::ChangeSchema(const Schema& schema, const TableConstraints& constraints) {
  Snapshot next = Current();
  const Schema after = UnqualifiedSchema(schema);
  SLUICE_CHECK(after.size() == next.schema.size(), "table {}: {} columns for {}", name_,
               after.size(), next.schema.size());
  next.buckets = RenamedBuckets(next.buckets, next.schema, after);
  next.schema = after;
  next.constraints = constraints;
  const int64_t base = next.version;
  // The data files stay: columns are read by position, and keep their field ids.
  Writer writer(*this, std::move(next), base, /*append=*/false);
  writer.Commit();
}

TableRewrite FileTableStore::PlanRewrite(const std::vector<ExprPtr>& conjuncts) const {
  Snapshot snapshot;
  std::shared_ptr<const SnapshotFiles> files;
  {
    std::lock_guard lock(mutex_);
    snapshot = published_;
    files = current_files_;
  }
  TableRewrite rewrite;
  rewrite.version = snapshot.version;
  rewrite.whole = false;
  std::vector<int> chosen;
  if (files != nullptr) {
    SLUICE_CHECK(files->num_files() == static_cast<int>(snapshot.files.size()),
                 "table {}: {} open files for {} in snapshot {}", name_, files->num_files(),
                 snapshot.files.size(), snapshot.version);
    chosen = files->FilesMaybeMatching(conjuncts);
  }
  // A bucketed table's rows with `k = 7` all lie in 7's bucket.
  if (const int bucket = BucketOfConjuncts(snapshot, conjuncts); bucket >= 0) {
    std::erase_if(chosen,
                  [&](int f) { return snapshot.files[static_cast<size_t>(f)].bucket != bucket; });
  }
  int64_t rows = 0;
  for (const int f : chosen) {
    rewrite.files.push_back(snapshot.files[static_cast<size_t>(f)].path);
    rows += snapshot.files[static_cast<size_t>(f)].rows;
  }
  auto source = std::make_shared<TableSource>(name_, snapshot.schema);
  source->Publish(chosen.empty() ? nullptr : files->Subset(chosen), rows);
  rewrite.source = std::move(source);
  std::vector<bool> rewritten(snapshot.files.size(), false);
  for (const int f : chosen) rewritten[static_cast<size_t>(f)] = true;
  std::vector<int> kept;
  int64_t kept_rows = 0;
  for (size_t f = 0; f < snapshot.files.size(); f++) {
    if (rewritten[f]) continue;
    kept.push_back(static_cast<int>(f));
    kept_rows += snapshot.files[f].rows;
  }
  if (!kept.empty() && files != nullptr) {
    auto rest = std::make_shared<TableSource>(name_, snapshot.schema);
    rest->Publish(files->Subset(kept), kept_rows);
    rewrite.kept = std::move(rest);
  }
  return rewrite;
}

std::unique_ptr<DataWriter> FileTableStore::BeginRewrite(const TableRewrite& rewrite) {
  if (rewrite.whole) {
    Snapshot current = Current();
    if (current.version != rewrite.version) {
      throw ConflictError(name_, current.version, rewrite.version);
    }
    return BeginOverwrite(current.schema);
  }
  const Snapshot base = Current();
  // Fails before writing anything when this process committed since the statement read
  // its snapshot (Commit checks again, against every writer).
  if (base.version != rewrite.version) {
    throw ConflictError(name_, base.version, rewrite.version);
  }
  const std::set<std::string> replaced(rewrite.files.begin(), rewrite.files.end());
  Snapshot next;
  next.schema = base.schema;
  next.field_ids = base.field_ids;
  next.buckets = base.buckets;
  next.constraints = base.constraints;
  for (const auto& f : base.files) {
    if (replaced.count(f.path)) continue;
    next.files.push_back(f);
    next.row_count += f.rows;
  }
  next.operation = rewrite.operation;
  auto writer = std::make_unique<Writer>(*this, std::move(next), rewrite.version, /*append=*/false);
  if (rewrite.target_file_rows > 0) writer->SetTargetFileRows(rewrite.target_file_rows);
  // A compaction changes no row: it commutes with appends and with changes to other files.
  if (rewrite.operation == "replace") writer->SetReplaced(rewrite.files);
  return writer;
}

TableRewrite FileTableStore::PlanFileRewrite(const std::vector<std::string>& paths) const {
  Snapshot snapshot;
  std::shared_ptr<const SnapshotFiles> files;
  {
    std::lock_guard lock(mutex_);
    snapshot = published_;
    files = current_files_;
  }
  const std::set<std::string> wanted(paths.begin(), paths.end());
  TableRewrite rewrite;
  rewrite.version = snapshot.version;
  rewrite.whole = false;
  std::vector<int> chosen;
  int64_t rows = 0;
  for (size_t f = 0; f < snapshot.files.size(); f++) {
    if (!wanted.count(snapshot.files[f].path)) continue;
    chosen.push_back(static_cast<int>(f));
    rewrite.files.push_back(snapshot.files[f].path);
    rows += snapshot.files[f].rows;
  }
  auto source = std::make_shared<TableSource>(name_, snapshot.schema);
  source->Publish(chosen.empty() || files == nullptr ? nullptr : files->Subset(chosen), rows);
  rewrite.source = std::move(source);
  return rewrite;
}

}  // namespace sluice
