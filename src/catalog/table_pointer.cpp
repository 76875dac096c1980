#include "catalog/table_pointer.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "catalog/iceberg_commit.h"
#include "common/error.h"
#include "iceberg/table_files.h"
#include "io/file.h"
#include "io/stored_files.h"
#include "objstore/s3_location.h"

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
  WriteVersionHint(table_dir_, next, /*sync=*/true);  // here the hint is the commit
  return true;
}

std::string TablePointer::LockDirectory(const std::string& table_dir) const {
  if (IsS3Path(table_dir)) {
    throw NotImplementedError(fmt::format(
        "table '{}': a table of an s3:// directory alone cannot be written (commits are "
        "serialized by a catalog); write it in a warehouse: sluice sql --db s3://bucket/prefix",
        table_dir));
  }
  return table_dir;
}

std::string SqlCatalogPointer::LockDirectory(const std::string& table_dir) const {
  if (!IsS3Path(table_dir)) return table_dir;
  const std::string dir = catalog_->path() + ".locks/" + ns_ + "/" + table_;
  std::error_code ec;
  fs::create_directories(fs::path(dir) / "data", ec);
  if (ec) throw IOError(fmt::format("cannot create lock directory '{}': {}", dir, ec.message()));
  return dir;
}

namespace {

// Overwrites the hint in place when its text is no shorter than the old one (versions only
// grow, so nearly always): one small write at offset 0 leaves a reader the old text or the
// new, and creating a file (the atomic replace) costs an inode per commit.
bool OverwriteHint(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st {};
  bool done = ::fstat(fd, &st) == 0 && st.st_size <= static_cast<off_t>(text.size()) &&
              ::pwrite(fd, text.data(), text.size(), 0) == static_cast<ssize_t>(text.size());
  done = ::close(fd) == 0 && done;
  return done;
}

}  // namespace

void WriteVersionHint(const std::string& table_dir, const std::string& metadata_file, bool sync) {
  const std::string path = (fs::path(table_dir) / "metadata" / "version-hint.text").string();
  const std::string text = fmt::format("{}\n", MetadataVersionOf(metadata_file));
  if (IsS3Path(path)) {
    WriteStoredFile(path, text);  // one PUT replaces the object whole
    return;
  }
  if (!sync && OverwriteHint(path, text)) return;
  AtomicFileWriter writer(path);
  writer.Write(text);
  writer.Commit(sync);
}

}  // namespace sluice
