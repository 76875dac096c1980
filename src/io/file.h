#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace sluice {

// A file opened for positional reads. Reads go through pread() into buffers the caller owns
// (and reuses), never mmap: fresh pages are expensive here, reused buffers are not. An
// `s3://bucket/key` path is an object in an object store: its size comes from a HEAD and
// each ReadAt is one ranged GET (objstore/s3_client.h, configured by the s3_* settings).
// Thread-safe: ReadAt may be called from several threads at once.
class FileReader {
 public:
  // Opens `path` for reading; throws IOError naming the path when it cannot.
  explicit FileReader(const std::string& path);
  ~FileReader();
  FileReader(const FileReader&) = delete;
  FileReader& operator=(const FileReader&) = delete;

  const std::string& path() const { return path_; }
  // The size when the file was opened.
  int64_t size() const { return size_; }
  // Reads up to `length` bytes at `offset` into `out`; returns the bytes read, which is less
  // than `length` only at the end of the file. Throws IOError on failure.
  size_t ReadAt(int64_t offset, char* out, size_t length) const {
    if (fd_ >= 0) return ReadLocal(offset, out, length);
    return ReadRemote(offset, out, length);
  }

 private:
  struct RemoteObject;

  size_t ReadLocal(int64_t offset, char* out, size_t length) const;
  size_t ReadRemote(int64_t offset, char* out, size_t length) const;

  std::string path_;
  int fd_ = -1;
  int64_t size_ = 0;
  std::unique_ptr<RemoteObject> remote_;  // set for s3:// paths
};

// Large read buffers kept for reuse across scans, so that a scan does not pay for first
// touching fresh pages each time it starts. Thread-safe.
class ReadBufferPool {
 public:
  // The process-wide pool.
  static ReadBufferPool& Global();

  // A buffer of at least `size` bytes (contents undefined). Give it back with Release.
  std::unique_ptr<char[]> Acquire(size_t size, size_t* actual_size);
  void Release(std::unique_ptr<char[]> buffer, size_t size);

 private:
  struct Entry {
    std::unique_ptr<char[]> buffer;
    size_t size;
  };
  static constexpr size_t kMaxPooled = 8;
  std::mutex mutex_;
  std::vector<Entry> free_;
};

// A read buffer borrowed from ReadBufferPool::Global() for the lifetime of this object.
class PooledBuffer {
 public:
  explicit PooledBuffer(size_t size) { data_ = ReadBufferPool::Global().Acquire(size, &size_); }
  ~PooledBuffer() { ReadBufferPool::Global().Release(std::move(data_), size_); }
  PooledBuffer(const PooledBuffer&) = delete;
  PooledBuffer& operator=(const PooledBuffer&) = delete;

  char* data() { return data_.get(); }
  size_t size() const { return size_; }
  // Grows to at least `size` bytes, keeping the first `keep` bytes.
  void Grow(size_t size, size_t keep);

 private:
  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
};

// Writes a file atomically: bytes go to `<path>.tmp-<random>` in the same directory, and
// Commit() fsyncs and renames it over `path`. Destroying the writer without Commit (an error
// path) removes the temporary file and leaves any previous file at `path` untouched.
// For an `s3://` path the bytes go to a temporary file in the system temp directory and
// Commit() uploads it (a PUT, or a multipart upload for large files): the object store
// replaces an object whole, so readers see the old object or the new one.
// Not thread-safe.
class AtomicFileWriter {
 public:
  // Creates the temporary file; throws IOError when it cannot.
  explicit AtomicFileWriter(std::string path);
  ~AtomicFileWriter();
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

  void Write(std::string_view bytes);
  // Makes the file visible at path(). With `sync` (the default) the bytes and the new name
  // reach the disk before Commit returns; without it the replace is still atomic, but a
  // power loss may leave the old file (for hints a reader can do without).
  // REQUIRES: called at most once.
  void Commit(bool sync = true);

  const std::string& path() const { return path_; }
  const std::string& temp_path() const { return temp_path_; }

 private:
  void Abort();

  std::string path_;
  std::string temp_path_;
  int fd_ = -1;
  bool committed_ = false;
};

// Copies `length` bytes of `in` from `offset` (to its end when `length` < 0) to `out`.
// Throws IOError when the file is shorter or a read fails.
void AppendFileRange(AtomicFileWriter& out, const FileReader& in, int64_t offset, int64_t length);

}  // namespace sluice
