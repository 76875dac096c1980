#pragma once

#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "io/file_format.h"

namespace sluice {

// The file formats by name and extension. One process-wide instance (FileFormats()) holds
// the built-in formats and whatever an embedder registers; formats are never removed, so a
// pointer returned stays valid for the registry's lifetime. Thread-safe.
class FileFormatRegistry {
 public:
  // Adds a format. Throws InvalidInputError when its name, or one of its extensions, is
  // taken already.
  void Register(std::unique_ptr<FileFormat> format);

  // The format named `name` (any case), or nullptr.
  const FileFormat* Find(std::string_view name) const;
  // The format named `name`; BindError "Unknown file format ..." with a suggestion otherwise.
  const FileFormat& Get(std::string_view name) const;
  // The format whose extension ends `path` (the longest match, any case), or nullptr.
  const FileFormat* ForExtension(std::string_view path) const;
  // The format of what a path, directory or glob names: by the extension of the pattern or
  // of its first file, else by that file's first bytes, else CSV (plain text). Throws
  // IOError when a directory or glob matches nothing.
  const FileFormat& Sniff(const std::string& pattern) const;

  // Names in registration order.
  std::vector<std::string> Names() const;

 private:
  mutable std::shared_mutex mutex_;
  std::vector<std::unique_ptr<FileFormat>> formats_;
};

// The process-wide registry, with the built-in formats registered on first use.
FileFormatRegistry& FileFormats();

// Registers csv, json and parquet: one line per format.
void RegisterBuiltinFormats(FileFormatRegistry& registry);

}  // namespace sluice
