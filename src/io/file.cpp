#include "io/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>

#include <fmt/format.h>

#include "common/error.h"
#include "objstore/s3_client.h"

namespace sluice {

namespace {

std::string ErrnoText() { return std::strerror(errno); }

std::string RandomSuffix() {
  std::random_device device;
  return fmt::format("{:08x}{:08x}", device(), device());
}

std::string DirectoryOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace

struct FileReader::RemoteObject {
  RemoteObject(S3Client c, S3Location l) : client(std::move(c)), location(std::move(l)) {}
  S3Client client;
  S3Location location;
};

FileReader::FileReader(const std::string& path) : path_(path) {
  if (IsS3Path(path)) {
    remote_ = std::make_unique<RemoteObject>(S3Client(CurrentS3Config()), ParseS3Url(path));
    const std::optional<int64_t> size = remote_->client.Head(remote_->location);
    if (!size) {
      throw IOError(fmt::format("Cannot open file '{}': no such object in bucket '{}'", path,
                                remote_->location.bucket));
    }
    size_ = *size;
    return;
  }
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw IOError(fmt::format("Cannot open file '{}': {}", path, ErrnoText()));
  struct stat st;
  if (::fstat(fd_, &st) != 0) {
    const std::string reason = ErrnoText();
    ::close(fd_);
    throw IOError(fmt::format("Cannot stat file '{}': {}", path, reason));
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd_);
    throw IOError(fmt::format("Cannot read '{}': it is a directory", path));
  }
  size_ = st.st_size;
}

FileReader::~FileReader() {
  if (fd_ >= 0) ::close(fd_);
}

size_t FileReader::ReadRemote(int64_t offset, char* out, size_t length) const {
  if (offset >= size_) return 0;
  // Asking for no more than the object holds avoids a 416 answer at its end.
  length = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(length), size_ - offset));
  return remote_->client.GetRange(remote_->location, offset, out, length);
}

size_t FileReader::ReadLocal(int64_t offset, char* out, size_t length) const {
  size_t done = 0;
  while (done < length) {
    const ssize_t n = ::pread(fd_, out + done, length - done, offset + done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw IOError(fmt::format("Cannot read file '{}': {}", path_, ErrnoText()));
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  return done;
}

ReadBufferPool& ReadBufferPool::Global() {
  static ReadBufferPool pool;
  return pool;
}

std::unique_ptr<char[]> ReadBufferPool::Acquire(size_t size, size_t* actual_size) {
  {
    std::lock_guard lock(mutex_);
    // The smallest pooled buffer that fits, so big buffers stay available for big requests.
    auto best = free_.end();
    for (auto it = free_.begin(); it != free_.end(); ++it) {
      if (it->size >= size && (best == free_.end() || it->size < best->size)) best = it;
    }
    if (best != free_.end()) {
      std::unique_ptr<char[]> out = std::move(best->buffer);
      *actual_size = best->size;
      free_.erase(best);
      return out;
    }
  }
  *actual_size = size;
  return std::make_unique_for_overwrite<char[]>(size);
}

void ReadBufferPool::Release(std::unique_ptr<char[]> buffer, size_t size) {
  if (!buffer) return;
  std::lock_guard lock(mutex_);
  if (free_.size() >= kMaxPooled) {
    // Drop the smallest: large buffers are the costly ones to re-create.
    auto smallest = std::min_element(free_.begin(), free_.end(),
                                     [](const Entry& a, const Entry& b) { return a.size < b.size; });
    if (smallest->size >= size) return;
    free_.erase(smallest);
  }
  free_.push_back({std::move(buffer), size});
}

void PooledBuffer::Grow(size_t size, size_t keep) {
  if (size <= size_) return;
  size_t new_size = 0;
  std::unique_ptr<char[]> grown = ReadBufferPool::Global().Acquire(size, &new_size);
  if (keep > 0) std::memcpy(grown.get(), data_.get(), keep);
  ReadBufferPool::Global().Release(std::move(data_), size_);
  data_ = std::move(grown);
  size_ = new_size;
}

AtomicFileWriter::AtomicFileWriter(std::string path) : path_(std::move(path)) {
  if (IsS3Path(path_)) {
    ParseS3Url(path_);  // a bad URL fails now, not after the bytes are written
    temp_path_ =
        (std::filesystem::temp_directory_path() / ("sluice-upload-" + RandomSuffix())).string();
  } else {
    temp_path_ = path_ + ".tmp-" + RandomSuffix();
  }
  fd_ = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw IOError(fmt::format("Cannot create file '{}': {}", temp_path_, ErrnoText()));
  }
}

AtomicFileWriter::~AtomicFileWriter() {
  if (!committed_) Abort();
}

void AtomicFileWriter::Abort() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  ::unlink(temp_path_.c_str());
}

void AtomicFileWriter::Write(std::string_view bytes) {
  SLUICE_CHECK(fd_ >= 0 && !committed_, "write to a closed file {}", path_);
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw IOError(fmt::format("Cannot write file '{}': {}", temp_path_, ErrnoText()));
    }
    done += static_cast<size_t>(n);
  }
}

void AtomicFileWriter::Commit(bool sync) {
  SLUICE_CHECK(fd_ >= 0 && !committed_, "commit of a closed file {}", path_);
  if (sync && !IsS3Path(path_) && ::fsync(fd_) != 0) {
    throw IOError(fmt::format("Cannot sync file '{}': {}", temp_path_, ErrnoText()));
  }
  if (::close(fd_) != 0) {
    fd_ = -1;
    throw IOError(fmt::format("Cannot close file '{}': {}", temp_path_, ErrnoText()));
  }
  fd_ = -1;
  if (IsS3Path(path_)) {
    // An upload that fails leaves the old object; the destructor removes the local copy.
    S3Client(CurrentS3Config()).UploadFile(temp_path_, ParseS3Url(path_));
    committed_ = true;
    ::unlink(temp_path_.c_str());
    return;
  }
  if (::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    throw IOError(fmt::format("Cannot rename '{}' to '{}': {}", temp_path_, path_, ErrnoText()));
  }
  committed_ = true;
  if (!sync) return;
  // Persist the rename itself; failure here only weakens durability, not atomicity.
  const int dir = ::open(DirectoryOf(path_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

void AppendFileRange(AtomicFileWriter& out, const FileReader& in, int64_t offset, int64_t length) {
  if (length < 0) length = in.size() - offset;
  PooledBuffer buffer(size_t{1} << 20);
  while (length > 0) {
    const size_t want = static_cast<size_t>(std::min<int64_t>(length, buffer.size()));
    const size_t got = in.ReadAt(offset, buffer.data(), want);
    if (got == 0) {
      throw IOError(fmt::format("File '{}' ended at {} while {} more bytes were expected",
                                in.path(), offset, length));
    }
    out.Write(std::string_view(buffer.data(), got));
    offset += static_cast<int64_t>(got);
    length -= static_cast<int64_t>(got);
  }
}

}  // namespace sluice
