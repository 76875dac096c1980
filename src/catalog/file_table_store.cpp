#include "catalog/file_table_store.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include "catalog/bucketing.h"
#include "common/error.h"
#include "io/file.h"
#include "io/parquet_writer.h"

namespace sluice {

namespace fs = std::filesystem;

namespace {

constexpr const char* kCurrentFile = "_current";
constexpr const char* kSnapshotDir = "_snapshots";
constexpr const char* kDataDir = "data";
// `data/part-<id>.pending` marks the data files of a write not yet committed, so that the
// garbage collection of another process leaves them alone; a marker older than this is
// what a crashed writer left, and goes with its files.
constexpr const char* kPendingSuffix = ".pending";
constexpr auto kPendingLifetime = std::chrono::hours(1);

// An exclusive flock on the table directory, held while a commit checks and advances
// `_current` and while garbage is collected, so that writers in different processes
// commit one at a time and never collect each other's files.
class CommitLock {
 public:
  explicit CommitLock(const std::string& dir) : fd_(::open(dir.c_str(), O_RDONLY | O_DIRECTORY)) {
    if (fd_ < 0) throw IOError(fmt::format("cannot open table directory '{}' to lock it", dir));
    while (::flock(fd_, LOCK_EX) != 0) {
      if (errno != EINTR) {
        ::close(fd_);
        throw IOError(fmt::format("cannot lock table directory '{}'", dir));
      }
    }
  }
  ~CommitLock() { ::close(fd_); }  // closing the descriptor releases the lock
  CommitLock(const CommitLock&) = delete;
  CommitLock& operator=(const CommitLock&) = delete;

 private:
  int fd_;
};

// "part-<id>" for "part-<id>.parquet" and its temporary "part-<id>.parquet.tmp-x".
std::string DataFileStem(const std::string& file) { return file.substr(0, file.find('.')); }

std::string RandomId() {
  std::random_device device;
  return fmt::format("{:08x}{:08x}{:08x}{:08x}", device(), device(), device(), device());
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IOError(fmt::format("cannot read '{}'", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void WriteTextAtomically(const std::string& path, const std::string& text) {
  AtomicFileWriter writer(path);
  writer.Write(text);
  writer.Commit();
}

std::string SnapshotPath(const std::string& dir, int64_t version) {
  return fmt::format("{}/{}/v{}.json", dir, kSnapshotDir, version);
}

int64_t ReadCurrentVersion(const std::string& dir) {
  const std::string path = dir + "/" + kCurrentFile;
  const std::string text = ReadText(path);
  try {
    size_t used = 0;
    const int64_t version = std::stoll(text, &used);
    if (version > 0) return version;
  } catch (const std::exception&) {
  }
  throw IOError(fmt::format("corrupt snapshot pointer '{}'", path));
}

// The committed version on disk; 0 when the table has no `_current` yet.
int64_t CommittedVersion(const std::string& dir) {
  if (!fs::exists(fs::path(dir) / kCurrentFile)) return 0;
  return ReadCurrentVersion(dir);
}

}  // namespace

bool FileTableStore::IsTable(const std::string& dir) {
  return fs::is_regular_file(fs::path(dir) / kCurrentFile);
}

std::unique_ptr<FileTableStore> FileTableStore::Open(const std::string& dir,
                                                     const std::string& name) {
  std::unique_ptr<FileTableStore> store(new FileTableStore(dir, name));
  CommitLock lock(dir);
  const int64_t version = ReadCurrentVersion(dir);
  const std::string path = SnapshotPath(dir, version);
  store->current_ = ParseSnapshot(ReadText(path), path);
  store->CollectGarbage();
  store->PublishCurrent();
  return store;
}

std::unique_ptr<FileTableStore> FileTableStore::Create(const std::string& dir,
                                                       const std::string& name,
                                                       const Schema& schema,
                                                       const std::vector<Batch>& rows,
                                                       const BucketSpec& buckets) {
  SLUICE_CHECK(!IsTable(dir), "table directory {} exists", dir);
  // A directory left by a create that never committed holds nothing anyone reads.
  std::error_code ignored;
  fs::remove_all(dir, ignored);
  fs::create_directories(fs::path(dir) / kDataDir);
  fs::create_directories(fs::path(dir) / kSnapshotDir);
  std::unique_ptr<FileTableStore> store(new FileTableStore(dir, name));
  store->current_.schema = UnqualifiedSchema(schema);
  store->current_.buckets = buckets;
  Snapshot next;
  next.schema = UnqualifiedSchema(schema);
  next.buckets = buckets;
  next.files = store->WriteSnapshotFiles(next, rows);
  for (const auto& f : next.files) next.row_count += f.rows;
  store->Commit(std::move(next), nullptr);
  return store;
}

Snapshot FileTableStore::Current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

std::shared_ptr<const DataSource> FileTableStore::Source() const {
  std::lock_guard lock(mutex_);
  if (bucketed_source_ != nullptr) return bucketed_source_;
  return source_;
}

std::vector<Snapshot::DataFile> FileTableStore::WriteSnapshotFiles(
    const Snapshot& next, const std::vector<Batch>& rows) {
  if (!next.buckets.bucketed()) return WriteFiles(next.schema, rows);
  std::vector<Snapshot::DataFile> files;
  const auto buckets = SplitIntoBuckets(next.schema, next.buckets, rows);
  for (size_t b = 0; b < buckets.size(); b++) {
    for (auto& f : WriteFiles(next.schema, buckets[b])) {
      f.bucket = static_cast<int>(b);
      files.push_back(std::move(f));
    }
  }
  return files;
}

std::vector<Snapshot::DataFile> FileTableStore::WriteFiles(const Schema& schema,
                                                           const std::vector<Batch>& rows) {
  std::vector<Snapshot::DataFile> files;
  int64_t total = 0;
  for (const auto& b : rows) total += static_cast<int64_t>(b.num_rows());
  if (total == 0) return files;
  const std::string id = RandomId();
  const std::string relative = fmt::format("{}/part-{}.parquet", kDataDir, id);
  pending_.push_back(fmt::format("{}/{}/part-{}{}", dir_, kDataDir, id, kPendingSuffix));
  {
    // Under the lock, so that a garbage collection sees the marker or none of the files.
    CommitLock lock(dir_);
    if (!std::ofstream(pending_.back())) {
      throw IOError(fmt::format("cannot create '{}'", pending_.back()));
    }
  }
  written_.push_back(dir_ + "/" + relative);
  ParquetWriteOptions options;
  options.row_group_rows = kRowGroupRows;
  try {
    ParquetWriter writer(dir_ + "/" + relative, schema, options);
    for (const auto& b : rows) {
      if (b.num_rows() > 0) writer.Append(b);
    }
    writer.Finish();
    files.push_back({relative, writer.rows_written()});
  } catch (...) {
    DiscardWrites();
    throw;
  }
  return files;
}

void FileTableStore::Commit(Snapshot next, const std::vector<Snapshot::DataFile>* appended) {
  try {
    CommitLock lock(dir_);
    const int64_t committed = CommittedVersion(dir_);
    if (committed != current_.version) {
      // Another process committed after this one read its snapshot.
      const std::string path = SnapshotPath(dir_, committed);
      Snapshot latest = committed > 0 ? ParseSnapshot(ReadText(path), path) : Snapshot{};
      if (appended == nullptr || !(latest.schema == next.schema) ||
          !(latest.buckets == next.buckets)) {
        throw WriteConflictError(fmt::format(
            "table '{}' was changed by another writer: snapshot {} was committed after this "
            "statement started from snapshot {}; nothing was written, run it again",
            name_, committed, current_.version));
      }
      // A blind append commutes with the other commit: rebase it.
      next = std::move(latest);
      for (const auto& f : *appended) {
        next.row_count += f.rows;
        next.files.push_back(f);
      }
    }
    next.version = committed + 1;
    WriteTextAtomically(SnapshotPath(dir_, next.version), SnapshotToJson(next));
    // The commit point: readers that open `_current` from now on see `next`.
    WriteTextAtomically(dir_ + "/" + kCurrentFile, fmt::format("{}\n", next.version));
    {
      std::lock_guard guard(mutex_);
      current_ = std::move(next);
    }
    std::error_code ec;
    for (const auto& marker : pending_) fs::remove(marker, ec);
    pending_.clear();
    written_.clear();
    CollectGarbage();
  } catch (...) {
    DiscardWrites();
    throw;
  }
  PublishCurrent();
}

void FileTableStore::DiscardWrites() {
  std::error_code ec;
  for (const auto& file : written_) fs::remove(file, ec);
  for (const auto& marker : pending_) fs::remove(marker, ec);
  pending_.clear();
  written_.clear();
}

void FileTableStore::PublishCurrent() {
  std::vector<std::string> paths;
  for (const auto& f : current_.files) paths.push_back(dir_ + "/" + f.path);
  auto files = paths.empty() ? nullptr : std::make_shared<const SnapshotFiles>(paths);
  {
    std::lock_guard lock(mutex_);
    if (source_ == nullptr || !(source_->schema() == current_.schema)) {
      source_ = std::make_shared<TableSource>(name_, current_.schema);
    }
    source_->Publish(std::move(files), current_.row_count);
  }
  PublishBuckets();
}

void FileTableStore::PublishBuckets() {
  const BucketSpec& spec = current_.buckets;
  if (!spec.bucketed()) {
    std::lock_guard lock(mutex_);
    bucketed_source_.reset();
    bucket_sources_.clear();
    return;
  }
  std::vector<std::vector<std::string>> paths(static_cast<size_t>(spec.num_buckets));
  std::vector<int64_t> rows(paths.size(), 0);
  for (const auto& f : current_.files) {
    paths.at(static_cast<size_t>(f.bucket)).push_back(dir_ + "/" + f.path);
    rows[static_cast<size_t>(f.bucket)] += f.rows;
  }
  std::vector<std::shared_ptr<const SnapshotFiles>> files;
  for (const auto& p : paths) {
    files.push_back(p.empty() ? nullptr : std::make_shared<const SnapshotFiles>(p));
  }
  std::lock_guard lock(mutex_);
  if (bucketed_source_ == nullptr || !(bucketed_source_->schema() == current_.schema) ||
      !(bucketed_source_->spec() == spec)) {
    // Plans bound to the previous layout keep reading its last snapshot.
    bucket_sources_.clear();
    std::vector<std::shared_ptr<const DataSource>> sources;
    for (int b = 0; b < spec.num_buckets; b++) {
      bucket_sources_.push_back(std::make_shared<TableSource>(name_, current_.schema));
      sources.push_back(bucket_sources_.back());
    }
    bucketed_source_ =
        std::make_shared<BucketedSource>(name_, current_.schema, spec, std::move(sources));
  }
  for (size_t b = 0; b < files.size(); b++) bucket_sources_[b]->Publish(files[b], rows[b]);
}

void FileTableStore::CollectGarbage() {
  std::set<std::string> keep;
  std::set<int64_t> keep_versions = {current_.version};
  for (const auto& f : current_.files) keep.insert(f.path);
  const std::string previous = SnapshotPath(dir_, current_.version - 1);
  if (current_.version > 1 && fs::exists(previous)) {
    try {
      for (const auto& f : ParseSnapshot(ReadText(previous), previous).files) keep.insert(f.path);
      keep_versions.insert(current_.version - 1);
    } catch (const IOError&) {
      // An unreadable previous snapshot is garbage like any other.
    }
  }
  std::error_code ec;
  // Stems of data files that a writer in another process has not committed yet.
  std::set<std::string> in_flight;
  const auto now = fs::file_time_type::clock::now();
  for (const auto& entry : fs::directory_iterator(fs::path(dir_) / kDataDir, ec)) {
    const std::string file = entry.path().filename().string();
    if (!file.ends_with(kPendingSuffix)) continue;
    const auto written = fs::last_write_time(entry.path(), ec);
    if (!ec && now - written < kPendingLifetime) in_flight.insert(DataFileStem(file));
  }
  for (const auto& entry : fs::directory_iterator(fs::path(dir_) / kDataDir, ec)) {
    const std::string file = entry.path().filename().string();
    const std::string relative = std::string(kDataDir) + "/" + file;
    if (!keep.count(relative) && !in_flight.count(DataFileStem(file))) fs::remove(entry.path(), ec);
  }
  for (const auto& entry : fs::directory_iterator(fs::path(dir_) / kSnapshotDir, ec)) {
    const std::string file = entry.path().filename().string();
    int64_t version = -1;
    if (file.size() > 6 && file[0] == 'v' && file.ends_with(".json")) {
      try {
        version = std::stoll(file.substr(1, file.size() - 6));
      } catch (const std::exception&) {
      }
    }
    if (!keep_versions.count(version)) fs::remove(entry.path(), ec);
  }
  for (const auto& entry : fs::directory_iterator(fs::path(dir_), ec)) {
    const std::string file = entry.path().filename().string();
    if (file.starts_with(std::string(kCurrentFile) + ".tmp-")) fs::remove(entry.path(), ec);
  }
}

void FileTableStore::Append(const std::vector<Batch>& rows) {
  Snapshot next = Current();
  std::vector<Snapshot::DataFile> appended;
  for (auto& f : WriteSnapshotFiles(next, rows)) {
    next.row_count += f.rows;
    next.files.push_back(f);
    appended.push_back(std::move(f));
  }
  Commit(std::move(next), &appended);
}

void FileTableStore::Overwrite(const Schema& schema, const std::vector<Batch>& rows) {
  Replace(schema, KeptBuckets(Current().buckets, UnqualifiedSchema(schema)), rows);
}

void FileTableStore::Replace(const Schema& schema, const BucketSpec& buckets,
                             const std::vector<Batch>& rows) {
  Snapshot next;
  next.schema = UnqualifiedSchema(schema);
  next.buckets = buckets;
  next.files = WriteSnapshotFiles(next, rows);
  for (const auto& f : next.files) next.row_count += f.rows;
  Commit(std::move(next), nullptr);
}

}  // namespace sluice
