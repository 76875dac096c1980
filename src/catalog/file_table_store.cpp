#include "catalog/file_table_store.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include "common/error.h"
#include "io/file.h"
#include "io/parquet_writer.h"

namespace sluice {

namespace fs = std::filesystem;

namespace {

constexpr const char* kCurrentFile = "_current";
constexpr const char* kSnapshotDir = "_snapshots";
constexpr const char* kDataDir = "data";

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

}  // namespace

bool FileTableStore::IsTable(const std::string& dir) {
  return fs::is_regular_file(fs::path(dir) / kCurrentFile);
}

std::unique_ptr<FileTableStore> FileTableStore::Open(const std::string& dir,
                                                     const std::string& name) {
  std::unique_ptr<FileTableStore> store(new FileTableStore(dir, name));
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
                                                       const std::vector<Batch>& rows) {
  SLUICE_CHECK(!IsTable(dir), "table directory {} exists", dir);
  // A directory left by a create that never committed holds nothing anyone reads.
  std::error_code ignored;
  fs::remove_all(dir, ignored);
  fs::create_directories(fs::path(dir) / kDataDir);
  fs::create_directories(fs::path(dir) / kSnapshotDir);
  std::unique_ptr<FileTableStore> store(new FileTableStore(dir, name));
  store->current_.schema = UnqualifiedSchema(schema);
  Snapshot next;
  next.schema = UnqualifiedSchema(schema);
  next.files = store->WriteFiles(next.schema, rows);
  for (const auto& f : next.files) next.row_count += f.rows;
  store->Commit(std::move(next));
  return store;
}

Snapshot FileTableStore::Current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

std::shared_ptr<const DataSource> FileTableStore::Source() const {
  std::lock_guard lock(mutex_);
  return source_;
}

std::vector<Snapshot::DataFile> FileTableStore::WriteFiles(const Schema& schema,
                                                           const std::vector<Batch>& rows) {
  std::vector<Snapshot::DataFile> files;
  int64_t total = 0;
  for (const auto& b : rows) total += static_cast<int64_t>(b.num_rows());
  if (total == 0) return files;
  const std::string relative = fmt::format("{}/part-{}.parquet", kDataDir, RandomId());
  ParquetWriteOptions options;
  options.row_group_rows = kRowGroupRows;
  ParquetWriter writer(dir_ + "/" + relative, schema, options);
  for (const auto& b : rows) {
    if (b.num_rows() > 0) writer.Append(b);
  }
  writer.Finish();
  files.push_back({relative, writer.rows_written()});
  return files;
}

void FileTableStore::Commit(Snapshot next) {
  next.version = current_.version + 1;
  WriteTextAtomically(SnapshotPath(dir_, next.version), SnapshotToJson(next));
  // The commit point: readers that open `_current` from now on see `next`.
  WriteTextAtomically(dir_ + "/" + kCurrentFile, fmt::format("{}\n", next.version));
  {
    std::lock_guard lock(mutex_);
    current_ = std::move(next);
  }
  PublishCurrent();
  CollectGarbage();
}

void FileTableStore::PublishCurrent() {
  std::vector<std::string> paths;
  for (const auto& f : current_.files) paths.push_back(dir_ + "/" + f.path);
  auto files = paths.empty() ? nullptr : std::make_shared<const SnapshotFiles>(paths);
  std::lock_guard lock(mutex_);
  if (source_ == nullptr || !(source_->schema() == current_.schema)) {
    source_ = std::make_shared<TableSource>(name_, current_.schema);
  }
  source_->Publish(std::move(files), current_.row_count);
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
  for (const auto& entry : fs::directory_iterator(fs::path(dir_) / kDataDir, ec)) {
    const std::string relative = std::string(kDataDir) + "/" + entry.path().filename().string();
    if (!keep.count(relative)) fs::remove(entry.path(), ec);
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
  for (auto& f : WriteFiles(next.schema, rows)) {
    next.row_count += f.rows;
    next.files.push_back(std::move(f));
  }
  Commit(std::move(next));
}

void FileTableStore::Overwrite(const Schema& schema, const std::vector<Batch>& rows) {
  Snapshot next;
  next.schema = UnqualifiedSchema(schema);
  next.files = WriteFiles(next.schema, rows);
  for (const auto& f : next.files) next.row_count += f.rows;
  Commit(std::move(next));
}

}  // namespace sluice
