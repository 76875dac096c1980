#include "shuffle/spill_file.h"

#include <fcntl.h>
#include <lz4.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/error.h"
#include "shuffle/batch_serde.h"

namespace sluice {

namespace {

// Each batch is a frame: raw size, compressed size (uint32 each), then the LZ4 block.
constexpr size_t kFrameHeader = 8;

[[noreturn]] void ThrowIO(const std::string& what, const std::string& path) {
  throw IOError(what + " spill file " + path + ": " + std::strerror(errno));
}

void PreadFully(int fd, uint8_t* out, size_t n, int64_t offset, const std::string& path) {
  while (n > 0) {
    const ssize_t got = ::pread(fd, out, n, offset);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) ThrowIO("cannot read", path);
    out += got;
    n -= static_cast<size_t>(got);
    offset += got;
  }
}

// Reads the frames of a SpillFile from the start; shares the file's descriptor.
class SpillReader : public BatchStream {
 public:
  explicit SpillReader(const SpillFile& file, int fd, int64_t end)
      : file_(file), fd_(fd), end_(end) {}

  bool Next(Batch* out) override {
    if (offset_ >= end_) return false;
    uint32_t header[2];
    PreadFully(fd_, reinterpret_cast<uint8_t*>(header), kFrameHeader, offset_, file_.path());
    compressed_.resize(header[1]);
    raw_.resize(header[0]);
    PreadFully(fd_, compressed_.data(), header[1], offset_ + kFrameHeader, file_.path());
    offset_ += kFrameHeader + header[1];
    const int n = LZ4_decompress_safe(reinterpret_cast<const char*>(compressed_.data()),
                                      reinterpret_cast<char*>(raw_.data()),
                                      static_cast<int>(header[1]), static_cast<int>(header[0]));
    SLUICE_CHECK(n == static_cast<int>(header[0]), "corrupt spill frame in {}: {} of {} bytes",
                 file_.path(), n, header[0]);
    *out = DeserializeBatch(raw_.data(), raw_.size(), file_.types());
    return true;
  }

 private:
  const SpillFile& file_;
  int fd_;
  int64_t end_;
  int64_t offset_ = 0;
  std::vector<uint8_t> compressed_;
  std::vector<uint8_t> raw_;
};

}  // namespace

SpillFile::SpillFile(std::string path, std::vector<LogicalType> types)
    : path_(std::move(path)), types_(std::move(types)) {
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd_ < 0) ThrowIO("cannot create", path_);
}

SpillFile::~SpillFile() {
  ::close(fd_);
  ::unlink(path_.c_str());
}

namespace {

// The encode buffers of the spill files written by this thread. Per thread rather than per
// file: a query may hold hundreds of spill files (an exchange has one per map task and
// partition), and buffers of a batch's size kept in each were memory outside the budget.
struct EncodeBuffers {
  std::string raw;
  std::string compressed;
};
EncodeBuffers& ThreadEncodeBuffers() {
  thread_local EncodeBuffers buffers;
  return buffers;
}

}  // namespace

int64_t SpillFile::Write(const Batch& batch) {
  std::string& raw = ThreadEncodeBuffers().raw;
  std::string& compressed = ThreadEncodeBuffers().compressed;
  raw.clear();
  SerializeBatch(batch, &raw);
  SLUICE_CHECK(raw.size() < (size_t{1} << 31), "spilled batch of {} bytes", raw.size());
  const int bound = LZ4_compressBound(static_cast<int>(raw.size()));
  compressed.resize(kFrameHeader + static_cast<size_t>(bound));
  const int n = LZ4_compress_default(raw.data(), compressed.data() + kFrameHeader,
                                     static_cast<int>(raw.size()), bound);
  SLUICE_CHECK(n > 0, "LZ4 compression of {} bytes failed", raw.size());
  const uint32_t header[2] = {static_cast<uint32_t>(raw.size()), static_cast<uint32_t>(n)};
  std::memcpy(compressed.data(), header, kFrameHeader);
  const char* p = compressed.data();
  size_t left = kFrameHeader + static_cast<size_t>(n);
  int64_t at = offset_;
  while (left > 0) {
    const ssize_t put = ::pwrite(fd_, p, left, at);
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0) ThrowIO("cannot write", path_);
    p += put;
    left -= static_cast<size_t>(put);
    at += put;
  }
  const int64_t written = at - offset_;
  offset_ = at;
  rows_ += static_cast<int64_t>(batch.num_rows());
  batches_++;
  max_batch_bytes_ = std::max(max_batch_bytes_, static_cast<int64_t>(raw.size()));
  return written;
}

std::unique_ptr<BatchStream> SpillFile::OpenReader() const {
  return std::make_unique<SpillReader>(*this, fd_, offset_);
}

}  // namespace sluice
