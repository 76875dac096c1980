#include "catalog/warehouse.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "catalog/file_table_store.h"
#include "catalog/memory_table_store.h"
#include "catalog/table_pointer.h"
#include "common/error.h"
#include "common/file_text.h"
#include "common/strings.h"
#include "io/file.h"
#include "io/stored_files.h"
#include "objstore/s3_config.h"
#include "objstore/s3_location.h"

namespace sluice {

namespace fs = std::filesystem;

namespace {

constexpr const char* kViewsDir = "_views";
// The Iceberg SQL catalog of a persistent warehouse, in its root directory.
constexpr const char* kCatalogFile = "catalog.db";
constexpr const char* kDroppedPrefix = "_dropped-";

// Names become directory names: refuse what a file system would misread.
void CheckName(const std::string& name, const char* what) {
  if (name.empty() || name[0] == '.' || name[0] == '_' ||
      name.find_first_of("/\\") != std::string::npos || name.find('\0') != std::string::npos) {
    throw InvalidInputError(fmt::format("invalid {} name \"{}\"", what, name));
  }
}

void WriteTextAtomically(const std::string& path, const std::string& text) {
  AtomicFileWriter writer(path);
  writer.Write(text);
  writer.Commit();
}

// Removes a directory tree so that no reader sees half of it: first renamed aside (atomic),
// then deleted. A crash in between leaves a `_dropped-` directory that Load removes.
void RemoveDirectory(const fs::path& dir) {
  std::random_device device;
  const fs::path aside =
      dir.parent_path() / fmt::format("{}{:08x}{:08x}", kDroppedPrefix, device(), device());
  fs::rename(dir, aside);
  std::error_code ignored;
  fs::remove_all(aside, ignored);
}

}  // namespace

std::string CatalogName::Display() const {
  return schema == kDefaultSchema ? name : schema + "." + name;
}

CatalogName ParseCatalogName(const std::string& text) {
  std::vector<std::string> parts = Split(ToLower(text), '.');
  if (parts.size() == 1) return {kDefaultSchema, parts[0]};
  return {parts[parts.size() - 2], parts.back()};
}

Warehouse::Warehouse() { schemas_.insert(kDefaultSchema); }

Warehouse::Warehouse(std::string root, std::string catalog_path) : root_(std::move(root)) {
  SLUICE_CHECK(!root_.empty(), "empty warehouse root");
  if (IsS3Path(root_)) {
    while (root_.ends_with('/')) root_.pop_back();
    ParseS3Url(root_);  // names the URL when it has no bucket
    if (catalog_path.empty()) catalog_path = CatalogPathFor(root_);
    const fs::path dir = fs::absolute(catalog_path).parent_path();
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
      throw IOError(
          fmt::format("cannot create the directory '{}' of the catalog of warehouse '{}': {}",
                      dir.string(), root_, ec.message()));
    }
    local_root_ = dir.string();
    catalog_ = std::make_shared<SqlCatalog>(catalog_path);
    Load();
    return;
  }
  if (!catalog_path.empty()) {
    throw InvalidInputError(fmt::format(
        "s3_catalog '{}': only a warehouse on object storage (--db s3://bucket/prefix) keeps its "
        "catalog apart; the catalog of '{}' is {}/{}",
        catalog_path, root_, root_, kCatalogFile));
  }
  local_root_ = root_;
  std::error_code ec;
  fs::create_directories(fs::path(root_) / kDefaultSchema, ec);
  if (ec || !fs::is_directory(root_)) {
    throw IOError(fmt::format("cannot open warehouse directory '{}': {}", root_, ec.message()));
  }
  catalog_ = std::make_shared<SqlCatalog>(root_ + "/" + kCatalogFile);
  Load();
}

Warehouse::~Warehouse() = default;

std::string Warehouse::CatalogPathFor(const std::string& root) {
  std::string base;
  if (const char* cache = std::getenv("XDG_CACHE_HOME"); cache != nullptr && *cache != 0) {
    base = cache;
  } else if (const char* home = std::getenv("HOME"); home != nullptr && *home != 0) {
    base = std::string(home) + "/.cache";
  } else {
    base = fs::temp_directory_path().string();
  }
  std::string endpoint = CurrentS3Config().BaseUrl();
  endpoint = endpoint.substr(endpoint.find("://") + 3);
  std::replace(endpoint.begin(), endpoint.end(), '/', '_');
  const S3Location location = ParseS3Url(root);
  std::string path = fmt::format("{}/sluice/warehouses/{}/{}", base, endpoint, location.bucket);
  for (const std::string& part : Split(location.key, '/')) {
    // ".." or "." would climb out of the cache: spelled with underscores instead.
    if (part.empty()) continue;
    path += "/" + (part == ".." || part == "." ? std::string(part.size(), '_') : part);
  }
  return path + "/" + kCatalogFile;
}

bool Warehouse::object_store() const { return IsS3Path(root_); }

void Warehouse::RemoveTree(const std::string& dir) const {
  if (!object_store()) {
    RemoveDirectory(dir);
    return;
  }
  try {
    RemoveStoredTree(dir);
  } catch (const IOError&) {
    // The catalog no longer names it: what is left is unreachable, and a later create of the
    // name clears its prefix first (FileTableStore::Prepare).
  }
}

std::string Warehouse::SchemaDir(const std::string& schema) const { return root_ + "/" + schema; }

std::string Warehouse::TableDir(const CatalogName& name) const {
  return SchemaDir(name.schema) + "/" + name.name;
}

std::string Warehouse::ViewPath(const CatalogName& name) const {
  return fmt::format("{}/{}/{}.json", SchemaDir(name.schema), kViewsDir, name.name);
}

std::unique_ptr<TablePointer> Warehouse::Pointer(const CatalogName& name) const {
  return std::make_unique<SqlCatalogPointer>(catalog_, name.schema, name.name);
}

namespace {

// A view's JSON file (`path` for messages).
ViewDefinition ParseView(const std::string& text, const std::string& path) {
  try {
    const nlohmann::json doc = nlohmann::json::parse(text);
    ViewDefinition v{doc.at("sql").get<std::string>(),
                     doc.at("columns").get<std::vector<std::string>>()};
    if (doc.contains("source")) v.source = doc.at("source").get<std::string>();
    if (doc.contains("lambda")) v.lambda = doc.at("lambda").get<std::string>();
    return v;
  } catch (const nlohmann::json::exception& e) {
    throw IOError(fmt::format("corrupt view definition '{}': {}", path, e.what()));
  }
}

// Whether nothing under `path` was written in the last hour: what an interrupted write left,
// not another process's write in flight.
bool LeftOverLongAgo(const fs::path& path) {
  std::error_code error;
  const auto now = fs::file_time_type::clock::now();
  auto recent = [&](const fs::path& p) {
    const auto written = fs::last_write_time(p, error);
    return error || now - written < std::chrono::hours(1);
  };
  if (recent(path)) return false;
  if (!fs::is_directory(path, error)) return true;
  for (fs::recursive_directory_iterator it(path, error), end; !error && it != end; it.increment(error)) {
    if (recent(it->path())) return false;
  }
  return !error;
}

}  // namespace

void Warehouse::LoadFromObjectStore() {
  catalog_->CreateNamespace(kDefaultSchema);
  for (const auto& ns : catalog_->Namespaces()) schemas_.insert(ns);
  for (const auto& [ns, table, location] : catalog_->Tables()) {
    schemas_.insert(ns);
    tables_[{ns, table}] = nullptr;  // opened when first used
  }
  // Temporary files of view writes stay local (AtomicFileWriter uploads on commit), so the
  // bucket holds finished views only. This listing is also the first request: an unreachable
  // endpoint or a missing bucket fails the open, naming it.
  for (const auto& schema : schemas_) {
    for (const StoredFile& file : ListStoredFiles(SchemaDir(schema) + "/" + kViewsDir, false)) {
      if (!file.relative.ends_with(".json")) continue;
      const std::string name = file.relative.substr(0, file.relative.size() - 5);
      views_[{schema, name}] = ParseView(ReadStoredFile(file.path), file.path);
    }
  }
}

void Warehouse::Load() {
  if (object_store()) {
    LoadFromObjectStore();
    return;
  }
  std::error_code ignored;
  std::map<CatalogName, std::string> catalogued;
  for (const auto& [ns, table, location] : catalog_->Tables()) {
    catalogued[{ns, table}] = location;
  }
  for (const auto& ns : catalog_->Namespaces()) {
    fs::create_directories(SchemaDir(ns), ignored);
  }
  for (const auto& schema_entry : fs::directory_iterator(root_)) {
    const std::string schema = schema_entry.path().filename().string();
    if (!schema_entry.is_directory() || schema.empty() || schema[0] == '.' || schema[0] == '_') {
      continue;
    }
    schemas_.insert(schema);
    catalog_->CreateNamespace(schema);
    for (const auto& entry : fs::directory_iterator(schema_entry.path())) {
      const std::string name = entry.path().filename().string();
      if (!entry.is_directory()) continue;
      const std::string dir = entry.path().string();
      if (name.starts_with(kDroppedPrefix)) {
        fs::remove_all(entry.path(), ignored);
      } else if (name == kViewsDir) {
        for (const auto& view : fs::directory_iterator(entry.path())) {
          const std::string file = view.path().filename().string();
          if (!file.ends_with(".json")) {
            // A temporary file: of an interrupted write when it is old, else possibly of a
            // write in flight in another process (or MPI rank) on this warehouse.
            if (LeftOverLongAgo(view.path())) fs::remove(view.path(), ignored);
            continue;
          }
          const std::string path = view.path().string();
          views_[{schema, file.substr(0, file.size() - 5)}] = ParseView(ReadFileText(path), path);
        }
      } else if (name[0] != '.' && name[0] != '_') {
        const CatalogName table{schema, name};
        if (catalogued.count(table)) {
          // A conversion that committed may have left the old format's files behind.
          if (FileTableStore::IsLegacyTable(dir)) FileTableStore::RemoveLegacyFiles(dir);
          tables_[table] = nullptr;  // opened when first used
        } else if (FileTableStore::IsLegacyTable(dir)) {
          // A table of a warehouse written before tables were Iceberg tables.
          tables_[table] =
              FileTableStore::ConvertLegacy(dir, name, kTargetFileRowsDefault, Pointer(table));
        } else if (LeftOverLongAgo(entry.path())) {
          // A table whose first commit never happened: nobody can have seen it. A recent one
          // may be another process's create in flight (a stream job, an MPI rank): kept.
          fs::remove_all(entry.path(), ignored);
        }
      }
    }
  }
}

void Warehouse::Reload() {
  if (!persistent()) return;
  std::map<CatalogName, std::string> catalogued;
  for (const auto& [ns, table, location] : catalog_->Tables()) catalogued[{ns, table}] = location;
  std::lock_guard lock(mutex_);
  SLUICE_CHECK(creating_.empty(), "warehouse reloaded while {} tables are being created",
               creating_.size());
  const std::map<CatalogName, std::shared_ptr<TableStore>> opened = std::move(tables_);
  tables_.clear();
  schemas_.clear();
  views_.clear();
  Load();
  for (auto& [name, store] : tables_) {
    auto it = opened.find(name);
    auto row = catalogued.find(name);
    if (store != nullptr || it == opened.end() || row == catalogued.end()) continue;
    const auto* file = dynamic_cast<const FileTableStore*>(it->second.get());
    if (file != nullptr && file->MetadataLocation() == row->second) store = it->second;
  }
}

void Warehouse::CheckSchema(const std::string& schema) const {
  if (!schemas_.count(schema)) {
    throw InvalidInputError(fmt::format("Schema with name {} does not exist!", schema));
  }
}

void Warehouse::CreateSchema(const std::string& schema_name, bool if_not_exists) {
  const std::string schema = ToLower(schema_name);
  CheckName(schema, "schema");
  std::lock_guard lock(mutex_);
  if (schemas_.count(schema)) {
    if (if_not_exists) return;
    throw InvalidInputError(fmt::format("Schema with name \"{}\" already exists!", schema));
  }
  if (persistent()) {
    if (!object_store()) fs::create_directories(SchemaDir(schema));
    catalog_->CreateNamespace(schema);
  }
  schemas_.insert(schema);
}

void Warehouse::DropSchema(const std::string& schema_name, bool if_exists, bool cascade) {
  const std::string schema = ToLower(schema_name);
  std::lock_guard lock(mutex_);
  if (!schemas_.count(schema)) {
    if (if_exists) return;
    throw InvalidInputError(fmt::format("Schema with name {} does not exist!", schema));
  }
  if (schema == kDefaultSchema) throw InvalidInputError("cannot drop the schema \"main\"");
  std::vector<CatalogName> members;
  for (const auto& [n, t] : tables_) {
    if (n.schema == schema) members.push_back(n);
  }
  for (const auto& [n, v] : views_) {
    if (n.schema == schema) members.push_back(n);
  }
  if (!members.empty() && !cascade) {
    throw InvalidInputError(fmt::format(
        "Cannot drop schema \"{}\" because there are entries that depend on it (use CASCADE)",
        schema));
  }
  if (persistent()) {
    catalog_->DropNamespace(schema);
    RemoveTree(SchemaDir(schema));
  }
  for (const auto& n : members) {
    tables_.erase(n);
    views_.erase(n);
  }
  schemas_.erase(schema);
}

bool Warehouse::HasSchema(const std::string& schema) const {
  std::lock_guard lock(mutex_);
  return schemas_.count(ToLower(schema)) > 0;
}

bool Warehouse::HasTable(const CatalogName& name) const {
  std::lock_guard lock(mutex_);
  return tables_.count(name) > 0;
}

bool Warehouse::HasView(const CatalogName& name) const {
  std::lock_guard lock(mutex_);
  return views_.count(name) > 0;
}

std::shared_ptr<TableStore> Warehouse::Opened(
    std::map<CatalogName, std::shared_ptr<TableStore>>::iterator it) const {
  if (it->second == nullptr) {
    it->second = FileTableStore::Open(TableDir(it->first), it->first.Display(), target_file_rows_,
                                      Pointer(it->first));
  }
  return it->second;
}

std::shared_ptr<TableStore> Warehouse::FindTable(const CatalogName& name) const {
  std::lock_guard lock(mutex_);
  auto it = tables_.find(name);
  return it == tables_.end() ? nullptr : Opened(it);
}

ViewDefinition Warehouse::View(const CatalogName& name) const {
  std::lock_guard lock(mutex_);
  auto it = views_.find(name);
  // A caller that checked HasView may still lose a race with a DROP on another thread.
  if (it == views_.end()) {
    throw InvalidInputError(fmt::format("View with name {} does not exist!", name.Display()));
  }
  return it->second;
}

std::shared_ptr<TableStore> Warehouse::Store(const CatalogName& name) const {
  std::lock_guard lock(mutex_);
  auto it = tables_.find(name);
  // A caller that checked HasTable may still lose a race with a DROP on another thread.
  if (it == tables_.end()) {
    throw InvalidInputError(fmt::format("Table with name {} does not exist!", name.Display()));
  }
  return Opened(it);
}

void Warehouse::SetTargetFileRows(int64_t rows) {
  std::lock_guard lock(mutex_);
  target_file_rows_ = rows;
  for (auto& [n, t] : tables_) {
    if (t != nullptr) t->SetTargetFileRows(rows);
  }
}

namespace {

// A write to an existing table that keeps its store alive: a DROP meanwhile must not free the
// store under the writer (the writer is destroyed first: members go in reverse order).
class StoreWriter : public DataWriter {
 public:
  StoreWriter(std::shared_ptr<TableStore> store, std::unique_ptr<DataWriter> inner)
      : store_(std::move(store)), inner_(std::move(inner)) {}
  std::unique_ptr<DataSink> OpenSink(int index) override { return inner_->OpenSink(index); }
  void Commit() override { inner_->Commit(); }
  int64_t rows_written() const override { return inner_->rows_written(); }
  std::string ExportSinks() override { return inner_->ExportSinks(); }
  void ImportSinks(const std::string& exported) override { inner_->ImportSinks(exported); }

 private:
  std::shared_ptr<TableStore> store_;
  std::unique_ptr<DataWriter> inner_;
};

}  // namespace

// The write of a new table: the store's first commit, then the name in the catalog.
class Warehouse::CreateWriter : public DataWriter {
 public:
  CreateWriter(Warehouse& warehouse, CatalogName name, std::shared_ptr<TableStore> store,
               const Schema& schema, const BucketSpec& buckets,
               const TableConstraints& constraints)
      : warehouse_(warehouse),
        name_(std::move(name)),
        store_(std::move(store)),
        inner_(store_->BeginReplace(schema, buckets, constraints)) {}
  ~CreateWriter() override {
    inner_.reset();  // removes its files unless committed or exported
    if (committed_) return;
    // Exported: another process commits the table (or the directory is left to the next
    // create of the name, which clears it).
    if (warehouse_.persistent() && !exported_) {
      try {
        RemoveStoredTree(warehouse_.TableDir(name_));
      } catch (const IOError&) {
        // Left for the next create of the name, which clears the directory first.
      }
    }
    warehouse_.FinishCreate(name_, nullptr);
  }

  std::unique_ptr<DataSink> OpenSink(int index) override { return inner_->OpenSink(index); }
  void Commit() override {
    inner_->Commit();
    committed_ = true;
    warehouse_.FinishCreate(name_, store_);
  }
  int64_t rows_written() const override { return inner_->rows_written(); }
  std::string ExportSinks() override {
    exported_ = true;
    return inner_->ExportSinks();
  }
  void ImportSinks(const std::string& exported) override { inner_->ImportSinks(exported); }

 private:
  Warehouse& warehouse_;
  const CatalogName name_;
  std::shared_ptr<TableStore> store_;
  std::unique_ptr<DataWriter> inner_;
  bool committed_ = false;
  bool exported_ = false;
};

std::unique_ptr<DataWriter> Warehouse::BeginCreateTable(const CatalogName& name,
                                                        const Schema& schema,
                                                        const BucketSpec& buckets,
                                                        const TableConstraints& constraints,
                                                        bool joined) {
  CheckName(name.name, "table");
  std::shared_ptr<TableStore> existing;
  {
    std::unique_lock lock(mutex_);
    created_.wait(lock, [&] { return !creating_.count(name); });
    CheckSchema(name.schema);
    if (views_.count(name)) {
      throw InvalidInputError(fmt::format("a view named \"{}\" exists", name.Display()));
    }
    auto it = tables_.find(name);
    if (it != tables_.end()) {
      existing = Opened(it);
    } else {
      creating_.insert(name);
    }
  }
  if (existing != nullptr) {
    auto inner = existing->BeginReplace(schema, buckets, constraints);
    return std::make_unique<StoreWriter>(std::move(existing), std::move(inner));
  }
  // The data files are written without the lock; the name stays reserved meanwhile.
  try {
    std::shared_ptr<TableStore> store;
    if (persistent()) {
      store = FileTableStore::Prepare(TableDir(name), name.Display(), schema, buckets,
                                      target_file_rows_, Pointer(name), joined);
    } else {
      store = std::make_shared<InMemoryTableStore>(schema);
    }
    return std::make_unique<CreateWriter>(*this, name, std::move(store), schema, buckets,
                                          constraints);
  } catch (...) {
    FinishCreate(name, nullptr);
    throw;
  }
}

void Warehouse::FinishCreate(const CatalogName& name, std::shared_ptr<TableStore> store) {
  std::lock_guard lock(mutex_);
  creating_.erase(name);
  created_.notify_all();
  // A schema dropped meanwhile took the table's directory with it.
  if (store != nullptr && schemas_.count(name.schema)) tables_[name] = std::move(store);
}

void Warehouse::CreateTable(const CatalogName& name, const Schema& schema,
                            const std::vector<Batch>& rows, const BucketSpec& buckets,
                            const TableConstraints& constraints) {
  WriteAndCommit(*BeginCreateTable(name, schema, buckets, constraints), rows);
}

void Warehouse::Append(const CatalogName& name, const std::vector<Batch>& rows) {
  Store(name)->Append(rows);
}

void Warehouse::CreateView(const CatalogName& name, const ViewDefinition& view) {
  CheckName(name.name, "view");
  std::lock_guard lock(mutex_);
  CheckSchema(name.schema);
  if (tables_.count(name) || creating_.count(name)) {
    throw InvalidInputError(fmt::format("a table named \"{}\" exists", name.Display()));
  }
  if (persistent()) {
    if (!object_store()) fs::create_directories(fs::path(SchemaDir(name.schema)) / kViewsDir);
    nlohmann::json doc = {{"sql", view.sql}, {"columns", view.column_aliases}};
    if (!view.source.empty()) doc["source"] = view.source;
    if (!view.lambda.empty()) doc["lambda"] = view.lambda;
    WriteTextAtomically(ViewPath(name), doc.dump(2) + "\n");
  }
  views_[name] = view;
}

bool Warehouse::Drop(const CatalogName& name) {
  std::lock_guard lock(mutex_);
  if (tables_.count(name)) {
    if (persistent()) {
      // Removing the catalog's row is the drop; the files go after it.
      catalog_->Drop(name.schema, name.name);
      RemoveTree(TableDir(name));
    }
    tables_.erase(name);
    return true;
  }
  if (views_.count(name)) {
    if (persistent() && !RemoveStoredFile(ViewPath(name))) {
      throw IOError(fmt::format("cannot remove view definition '{}'", ViewPath(name)));
    }
    views_.erase(name);
    return true;
  }
  return false;
}

std::vector<CatalogName> Warehouse::Names() const {
  std::lock_guard lock(mutex_);
  std::vector<CatalogName> names;
  for (const auto& [n, t] : tables_) names.push_back(n);
  for (const auto& [n, v] : views_) names.push_back(n);
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> Warehouse::SchemaNames() const {
  std::lock_guard lock(mutex_);
  return {schemas_.begin(), schemas_.end()};
}

}  // namespace sluice
