#include "io/stored_files.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "objstore/s3_client.h"

namespace sluice {

namespace fs = std::filesystem;

namespace {

// The key prefix of the objects under directory `location` ("a/b" -> "a/b/"; "" stays "").
std::string PrefixOf(const S3Location& location) {
  std::string prefix = location.key;
  if (!prefix.empty() && !prefix.ends_with('/')) prefix += '/';
  return prefix;
}

int64_t ModifiedMs(const fs::path& path) {
  std::error_code ec;
  const auto time = fs::last_write_time(path, ec);
  if (ec) return 0;
  // file_time_type's epoch is not the system clock's: convert through "now" on both.
  const auto system = std::chrono::system_clock::now() + (time - fs::file_time_type::clock::now());
  return std::chrono::duration_cast<std::chrono::milliseconds>(system.time_since_epoch()).count();
}

void WriteLocalFile(const std::string& path, std::string_view bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw IOError(fmt::format("cannot create '{}': {}", path, std::strerror(errno)));
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const std::string why = std::strerror(errno);
      ::close(fd);
      throw IOError(fmt::format("cannot write '{}': {}", path, why));
    }
    done += static_cast<size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  if (::close(fd) != 0 || !synced) {
    throw IOError(fmt::format("cannot write '{}': {}", path, std::strerror(errno)));
  }
}

}  // namespace

std::string ReadStoredFile(const std::string& path) {
  if (IsS3Path(path)) return S3Client(CurrentS3Config()).Get(ParseS3Url(path));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IOError(fmt::format("cannot open '{}'", path));
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw IOError(fmt::format("cannot read '{}'", path));
  return data;
}

void WriteStoredFile(const std::string& path, std::string_view bytes) {
  if (IsS3Path(path)) {
    S3Client(CurrentS3Config()).Put(ParseS3Url(path), bytes);
    return;
  }
  WriteLocalFile(path, bytes);
}

std::optional<int64_t> StoredFileSize(const std::string& path) {
  if (IsS3Path(path)) return S3Client(CurrentS3Config()).Head(ParseS3Url(path));
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return std::nullopt;
  const auto size = fs::file_size(path, ec);
  if (ec) return std::nullopt;
  return static_cast<int64_t>(size);
}

bool RemoveStoredFile(const std::string& path) noexcept {
  if (IsS3Path(path)) {
    try {
      S3Client(CurrentS3Config()).Delete(ParseS3Url(path));
      return true;
    } catch (const std::exception&) {
      return false;
    }
  }
  std::error_code ec;
  fs::remove(path, ec);
  return !ec;
}

std::vector<StoredFile> ListStoredFiles(const std::string& dir, bool recursive) {
  std::vector<StoredFile> out;
  if (IsS3Path(dir)) {
    const S3Location location = ParseS3Url(dir);
    const std::string prefix = PrefixOf(location);
    std::string base = dir;
    while (base.ends_with('/')) base.pop_back();
    for (const S3Object& object : S3Client(CurrentS3Config()).List(location.bucket, prefix)) {
      std::string relative = object.key.substr(prefix.size());
      if (relative.empty() || (!recursive && relative.find('/') != std::string::npos)) continue;
      out.push_back({base + "/" + relative, relative, object.size, object.modified_ms});
    }
    return out;
  }
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  auto add = [&](const fs::directory_entry& entry) {
    std::error_code ignored;
    if (!entry.is_regular_file(ignored)) return;
    const std::string relative = entry.path().lexically_relative(dir).generic_string();
    const auto size = entry.file_size(ignored);
    out.push_back({(fs::path(dir) / relative).string(), relative,
                   ignored ? 0 : static_cast<int64_t>(size), ModifiedMs(entry.path())});
  };
  if (recursive) {
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      add(*it);
    }
  } else {
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) add(*it);
  }
  if (ec) throw IOError(fmt::format("cannot list directory '{}': {}", dir, ec.message()));
  std::sort(out.begin(), out.end(),
            [](const StoredFile& a, const StoredFile& b) { return a.path < b.path; });
  return out;
}

void RemoveStoredTree(const std::string& dir) {
  if (IsS3Path(dir)) {
    const S3Location location = ParseS3Url(dir);
    const std::string prefix = PrefixOf(location);
    if (prefix.empty()) {
      throw IOError(fmt::format("refusing to remove every object of bucket '{}'", dir));
    }
    const S3Client client(CurrentS3Config());
    for (const S3Object& object : client.List(location.bucket, prefix)) {
      client.Delete(S3Location{location.bucket, object.key});
    }
    return;
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  if (ec) throw IOError(fmt::format("cannot remove directory '{}': {}", dir, ec.message()));
}

void CreateStoredDirectory(const std::string& dir) {
  if (IsS3Path(dir)) return;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw IOError(fmt::format("cannot create directory '{}': {}", dir, ec.message()));
}

}  // namespace sluice
