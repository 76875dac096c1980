#include "catalog/table_pointer.h"

#include <fmt/format.h>

#include <filesystem>

#include "catalog/iceberg_commit.h"
#include "common/error.h"
#include "iceberg/table_files.h"
#include "io/file.h"

namespace sluice {

namespace fs = std::filesystem;

std::optional<std::string> VersionHintPointer::Load() const {
  const fs::path hint = fs::path(table_dir_) / "metadata" / "version-hint.text";
  if (!fs::exists(hint)) return std::nullopt;
  std::string text = iceberg::ReadWholeFile(hint.string());
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  const fs::path file = fs::absolute(fs::path(table_dir_) / "metadata" / ("v" + text + ".metadata.json"));
  if (text.empty() || !fs::is_regular_file(file)) {
    throw IOError(fmt::format("corrupt version hint '{}': no metadata file v{}.metadata.json",
                              hint.string(), text));
  }
  return file.lexically_normal().string();
}

bool VersionHintPointer::Swap(const std::optional<std::string>& expected, const std::string& next) {
  if (Load() != expected) return false;
  WriteVersionHint(table_dir_, next);
  return true;
}

void WriteVersionHint(const std::string& table_dir, const std::string& metadata_file) {
  AtomicFileWriter writer((fs::path(table_dir) / "metadata" / "version-hint.text").string());
  writer.Write(fmt::format("{}\n", MetadataVersionOf(metadata_file)));
  writer.Commit();
}

}  // namespace sluice
