#include "api/model_store.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "common/error.h"
#include "common/file_text.h"
#include "common/strings.h"

namespace sluice {

namespace {

void WriteFile(const std::filesystem::path& path, const std::string& text) {
  const std::filesystem::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw IOError("cannot write " + tmp.string());
  }
  std::filesystem::rename(tmp, path);
}

}  // namespace

std::string ModelStore::DirectoryOf(const std::string& name) const {
  if (root_.empty()) return "";
  return (std::filesystem::path(root_) / "_models" / ToLower(name)).string();
}

int ModelStore::LatestVersionOnDisk(const std::string& key) const {
  const std::string dir = DirectoryOf(key);
  std::error_code ec;
  if (dir.empty() || !std::filesystem::is_directory(dir, ec)) return 0;
  int latest = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string file = entry.path().filename().string();
    if (!file.starts_with("v") || !file.ends_with(".meta.json")) continue;
    latest = std::max(latest, std::atoi(file.c_str() + 1));
  }
  return latest;
}

ml::ModelPtr ModelStore::Find(const std::string& name) const {
  const std::string key = ToLower(name);
  std::lock_guard lock(mutex_);
  const int on_disk = LatestVersionOnDisk(key);
  if (!root_.empty() && on_disk == 0) {
    // Dropped, perhaps by another process (a warehouse keeps every model it has on disk).
    models_.erase(key);
    return nullptr;
  }
  auto it = models_.find(key);
  if (it != models_.end() && it->second->version >= on_disk) return it->second;
  if (on_disk == 0) return nullptr;
  // Written by another process (or an earlier session): load it.
  const std::filesystem::path dir = DirectoryOf(key);
  const std::string prefix = "v" + std::to_string(on_disk);
  ml::ModelPtr model = ml::Model::FromJson(ReadFileText((dir / (prefix + ".meta.json")).string()),
                                           ReadFileText((dir / (prefix + ".model.json")).string()));
  models_[key] = model;
  return model;
}

bool ModelStore::Drop(const std::string& name) {
  const std::string key = ToLower(name);
  std::lock_guard lock(mutex_);
  bool found = models_.erase(key) > 0;
  const std::string dir = DirectoryOf(key);
  std::error_code ec;
  if (!dir.empty() && std::filesystem::exists(dir, ec)) {
    found = found || LatestVersionOnDisk(key) > 0;
    std::filesystem::remove_all(dir, ec);
    if (ec) throw IOError(fmt::format("cannot remove model {}: {}", name, ec.message()));
  }
  return found;
}

ml::ModelPtr ModelStore::Save(std::unique_ptr<ml::Model> model) {
  const std::string key = ToLower(model->name);
  std::lock_guard lock(mutex_);
  int latest = LatestVersionOnDisk(key);
  if (auto it = models_.find(key); it != models_.end()) latest = std::max(latest, it->second->version);
  model->version = latest + 1;
  if (!root_.empty()) {
    const std::filesystem::path dir = DirectoryOf(key);
    std::filesystem::create_directories(dir);
    const std::string prefix = "v" + std::to_string(model->version);
    WriteFile(dir / (prefix + ".model.json"), model->booster_json);
    // The metadata last: a version exists once its metadata does.
    WriteFile(dir / (prefix + ".meta.json"), model->MetadataJson());
  }
  ml::ModelPtr shared(std::move(model));
  models_[key] = shared;
  return shared;
}

}  // namespace sluice
