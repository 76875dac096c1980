#include "stream/checkpoint_store.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/error.h"
#include "common/file_text.h"
#include "io/parquet_reader.h"
#include "io/parquet_writer.h"

namespace sluice::stream {

namespace fs = std::filesystem;

namespace {

void SyncPath(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

void WriteRows(const std::string& path, const Schema& schema, const std::vector<Batch>& rows) {
  ParquetWriter writer(path, schema);
  for (const Batch& batch : rows) writer.Write(batch);
  writer.Close();
  SyncPath(path);
}

std::vector<Batch> ReadRows(const std::string& path) {
  std::unique_ptr<ParquetSource> source = ParquetSource::Open(path);
  std::vector<int> columns;
  for (size_t c = 0; c < source->schema().size(); c++) columns.push_back(static_cast<int>(c));
  std::vector<Batch> rows;
  for (int split = 0; split < source->num_splits(); split++) {
    std::unique_ptr<BatchStream> stream = source->Open(split, columns);
    Batch batch;
    while (stream->Next(&batch)) rows.push_back(batch);
  }
  return rows;
}

}  // namespace

void WriteFileAtomically(const std::string& path, const std::string& text) {
  const std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) throw IOError(fmt::format("cannot write '{}'", temp));
  }
  SyncPath(temp);
  fs::rename(temp, path);
  SyncPath(fs::path(path).parent_path().string());
}

void CheckpointStore::Save(const Checkpoint& cp,
                           const std::map<std::string, Schema>& source_schemas,
                           const std::map<std::string, Schema>& table_schemas,
                           const Schema& joined_schema) {
  const std::string dir = fmt::format("{}/cp-{}", directory_, cp.id);
  fs::remove_all(dir);
  fs::create_directories(dir);
  nlohmann::json doc;
  doc["checkpoint_id"] = cp.id;
  doc["fired_watermark"] = cp.fired_watermark;
  doc["watermark"] = cp.watermark;
  nlohmann::json sources = nlohmann::json::object();
  int n = 0;
  for (const auto& [name, source] : cp.sources) {
    nlohmann::json entry = {{"offsets", source.offsets},
                            {"max_event_time", source.max_event_time}};
    if (!source.buffer.empty()) {
      const std::string file = fmt::format("state-{}.parquet", n++);
      WriteRows(dir + "/" + file, source_schemas.at(name), source.buffer);
      entry["state"] = file;
    }
    sources[name] = entry;
  }
  doc["sources"] = sources;
  if (!cp.joined.empty()) {
    WriteRows(dir + "/joined.parquet", joined_schema, cp.joined);
    doc["joined"] = "joined.parquet";
  }
  nlohmann::json pending = nlohmann::json::object();
  n = 0;
  for (const auto& [table, rows] : cp.pending) {
    if (rows.empty()) continue;
    const std::string file = fmt::format("pending-{}.parquet", n++);
    WriteRows(dir + "/" + file, table_schemas.at(table), rows);
    pending[table] = file;
  }
  doc["pending"] = pending;
  SyncPath(dir);
  WriteFileAtomically(directory_ + "/checkpoint.json", doc.dump(2) + "\n");
  // Older checkpoints are no longer needed once this one is current.
  for (const auto& entry : fs::directory_iterator(directory_)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("cp-") && name != fmt::format("cp-{}", cp.id)) fs::remove_all(entry.path());
  }
}

std::optional<Checkpoint> CheckpointStore::Load() const {
  const std::string path = directory_ + "/checkpoint.json";
  if (!fs::exists(path)) return std::nullopt;
  Checkpoint cp;
  try {
    const nlohmann::json doc = nlohmann::json::parse(ReadFileText(path));
    cp.id = doc.at("checkpoint_id").get<int64_t>();
    cp.fired_watermark = doc.at("fired_watermark").get<int64_t>();
    cp.watermark = doc.at("watermark").get<int64_t>();
    const std::string dir = fmt::format("{}/cp-{}", directory_, cp.id);
    auto load_source = [&](const nlohmann::json& entry) {
      SourceCheckpoint source;
      source.offsets = entry.at("offsets").get<SourceOffsets>();
      source.max_event_time = entry.at("max_event_time").get<std::map<std::string, int64_t>>();
      if (entry.contains("state")) {
        source.buffer = ReadRows(dir + "/" + entry.at("state").get<std::string>());
      }
      return source;
    };
    if (doc.contains("sources")) {
      for (const auto& [name, entry] : doc.at("sources").items()) cp.sources[name] = load_source(entry);
    } else {
      cp.sources[""] = load_source(doc);  // one source, before jobs read several
    }
    if (doc.contains("joined")) cp.joined = ReadRows(dir + "/" + doc.at("joined").get<std::string>());
    for (const auto& [table, file] : doc.at("pending").items()) {
      cp.pending[table] = ReadRows(dir + "/" + file.get<std::string>());
    }
  } catch (const nlohmann::json::exception& e) {
    throw IOError(fmt::format("corrupt checkpoint '{}': {}", path, e.what()));
  }
  return cp;
}

}  // namespace sluice::stream
