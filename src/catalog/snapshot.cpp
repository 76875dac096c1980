#include "catalog/snapshot.h"

#include <fmt/format.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "types/logical_type.h"

namespace sluice {

namespace {

// Bumped when the layout changes incompatibly; readers refuse newer formats.
constexpr int kSnapshotFormat = 1;

}  // namespace

const std::string& TableConstraints::DefaultOf(size_t i) const {
  static const std::string kNone;
  return i < defaults.size() ? defaults[i] : kNone;
}

bool TableConstraints::empty() const {
  for (const auto& d : defaults) {
    if (!d.empty()) return false;
  }
  return checks.empty() && keys.empty();
}

bool operator==(const TableConstraints& a, const TableConstraints& b) {
  for (size_t i = 0; i < std::max(a.defaults.size(), b.defaults.size()); i++) {
    if (a.DefaultOf(i) != b.DefaultOf(i)) return false;
  }
  return a.checks == b.checks && a.keys == b.keys;
}

std::string SnapshotToJson(const Snapshot& snapshot) {
  nlohmann::json fields = nlohmann::json::array();
  for (const auto& f : snapshot.schema.fields()) {
    fields.push_back({{"name", f.name}, {"type", f.type.ToString()}, {"nullable", f.nullable}});
  }
  nlohmann::json files = nlohmann::json::array();
  for (const auto& file : snapshot.files) {
    nlohmann::json entry = {{"path", file.path}, {"rows", file.rows}};
    if (file.bucket >= 0) entry["bucket"] = file.bucket;
    files.push_back(std::move(entry));
  }
  nlohmann::json doc = {{"format", kSnapshotFormat},
                        {"version", snapshot.version},
                        {"schema", fields},
                        {"files", files},
                        {"row_count", snapshot.row_count}};
  if (snapshot.buckets.bucketed()) {
    doc["buckets"] = {{"columns", snapshot.buckets.columns},
                      {"count", snapshot.buckets.num_buckets}};
  }
  return doc.dump(2) + "\n";
}

Snapshot ParseSnapshot(const std::string& json, const std::string& origin) {
  try {
    const nlohmann::json doc = nlohmann::json::parse(json);
    if (doc.at("format").get<int>() > kSnapshotFormat) {
      throw IOError(fmt::format("snapshot '{}' has a newer format ({}) than this sluice reads",
                                origin, doc.at("format").get<int>()));
    }
    Snapshot s;
    s.version = doc.at("version").get<int64_t>();
    s.row_count = doc.at("row_count").get<int64_t>();
    for (const auto& f : doc.at("schema")) {
      s.schema.Add(Field{f.at("name").get<std::string>(),
                         ParseTypeName(f.at("type").get<std::string>()),
                         f.at("nullable").get<bool>(), ""});
    }
    if (doc.contains("buckets")) {
      s.buckets.columns = doc.at("buckets").at("columns").get<std::vector<std::string>>();
      s.buckets.num_buckets = doc.at("buckets").at("count").get<int>();
      if (s.buckets.num_buckets <= 0 || s.buckets.columns.empty()) {
        throw IOError(fmt::format("corrupt table snapshot '{}': bad bucket layout", origin));
      }
    }
    for (const auto& file : doc.at("files")) {
      const int bucket = file.contains("bucket") ? file.at("bucket").get<int>() : -1;
      if (s.buckets.bucketed() && (bucket < 0 || bucket >= s.buckets.num_buckets)) {
        throw IOError(fmt::format("corrupt table snapshot '{}': file '{}' has no bucket in [0, {})",
                                  origin, file.at("path").get<std::string>(),
                                  s.buckets.num_buckets));
      }
      s.files.push_back(
          {file.at("path").get<std::string>(), file.at("rows").get<int64_t>(), bucket});
    }
    return s;
  } catch (const nlohmann::json::exception& e) {
    throw IOError(fmt::format("corrupt table snapshot '{}': {}", origin, e.what()));
  } catch (const InvalidInputError& e) {
    throw IOError(fmt::format("corrupt table snapshot '{}': {}", origin, e.message()));
  }
}

}  // namespace sluice
