#include "io/file_format_registry.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <mutex>

#include "common/error.h"
#include "common/strings.h"
#include "io/csv_format.h"
#include "io/file.h"
#include "io/json_format.h"
#include "io/parquet_format.h"
#include "objstore/s3_location.h"

namespace sluice {

void RegisterBuiltinFormats(FileFormatRegistry& registry) {
  registry.Register(std::make_unique<CsvFormat>());
  registry.Register(std::make_unique<JsonFormat>());
  registry.Register(std::make_unique<ParquetFormat>());
}

FileFormatRegistry& FileFormats() {
  static FileFormatRegistry* registry = [] {
    auto* r = new FileFormatRegistry();  // never destroyed: formats outlive static users
    RegisterBuiltinFormats(*r);
    return r;
  }();
  return *registry;
}

void FileFormatRegistry::Register(std::unique_ptr<FileFormat> format) {
  SLUICE_CHECK(format != nullptr, "null format");
  std::unique_lock lock(mutex_);
  const std::string name = ToLower(format->name());
  for (const auto& existing : formats_) {
    if (existing->name() == name) {
      throw InvalidInputError(fmt::format("file format \"{}\" is registered already", name));
    }
    for (const std::string& ext : format->extensions()) {
      for (const std::string& taken : existing->extensions()) {
        if (ToLower(ext) == taken) {
          throw InvalidInputError(
              fmt::format("file format \"{}\": extension \"{}\" belongs to format \"{}\" already",
                          name, ext, existing->name()));
        }
      }
    }
  }
  formats_.push_back(std::move(format));
}

const FileFormat* FileFormatRegistry::Find(std::string_view name) const {
  const std::string lower = ToLower(name);
  std::shared_lock lock(mutex_);
  for (const auto& f : formats_) {
    if (f->name() == lower) return f.get();
  }
  return nullptr;
}

const FileFormat& FileFormatRegistry::Get(std::string_view name) const {
  if (const FileFormat* f = Find(name)) return *f;
  const std::vector<std::string> names = Names();
  std::string hint = DidYouMean(name, names);
  const std::string prefix = ", did you mean ";
  if (hint.rfind(prefix, 0) == 0) hint = " Did you mean " + hint.substr(prefix.size());
  throw BindError(
      fmt::format("Unknown file format \"{}\" (known: {}).{}", name, Join(names, ", "), hint));
}

const FileFormat* FileFormatRegistry::ForExtension(std::string_view path) const {
  const std::string lower = ToLower(path);
  std::shared_lock lock(mutex_);
  const FileFormat* best = nullptr;
  size_t best_size = 0;
  for (const auto& f : formats_) {
    for (const std::string& ext : f->extensions()) {
      if (lower.size() > ext.size() && ext.size() > best_size &&
          lower.compare(lower.size() - ext.size(), ext.size(), ext) == 0) {
        best = f.get();
        best_size = ext.size();
      }
    }
  }
  return best;
}

const FileFormat& FileFormatRegistry::Sniff(const std::string& pattern) const {
  if (const FileFormat* f = ForExtension(pattern)) return *f;
  std::string file = pattern;
  const bool glob = pattern.find_first_of("*?") != std::string::npos;
  // An object store path without an extension may be an object or a prefix of several.
  if (glob || IsS3Path(pattern) || std::filesystem::is_directory(pattern)) {
    file = ExpandPaths(pattern)[0];
    if (const FileFormat* f = ForExtension(file)) return *f;
  }
  std::string head(FileFormat::kSniffBytes, '\0');
  bool readable = false;
  if (IsS3Path(file)) {
    const FileReader reader(file);
    head.resize(reader.ReadAt(0, head.data(), head.size()));
    readable = true;
  } else if (std::ifstream in(file, std::ios::binary); in) {
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<size_t>(in.gcount()));
    readable = true;
  }
  if (readable) {
    std::shared_lock lock(mutex_);
    for (const auto& f : formats_) {
      if (f->MatchesContent(head)) return *f;
    }
  }
  return Get("csv");
}

std::vector<std::string> FileFormatRegistry::Names() const {
  std::shared_lock lock(mutex_);
  std::vector<std::string> names;
  for (const auto& f : formats_) names.push_back(f->name());
  return names;
}

}  // namespace sluice
