#include "shuffle/resume_directory.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <lz4.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "common/error.h"
#include "shuffle/batch_serde.h"

namespace sluice {

namespace fs = std::filesystem;

namespace {

// A task file is a sequence of frames, each headed by an int32 kind: a partition number (>= 0)
// then the batch (raw and compressed sizes as uint32, then an LZ4 block); kSummaryFrame then
// a key summary (capacity, total, entry count, entries); kEndFrame closes the file.
constexpr int32_t kSummaryFrame = -1;
constexpr int32_t kEndFrame = -2;
// Frames are gathered to this size before they are written.
constexpr size_t kFlushBytes = size_t{1} << 20;

[[noreturn]] void ThrowIO(const std::string& what, const std::string& path) {
  throw IOError(fmt::format("--resume: cannot {} '{}': {}", what, path, std::strerror(errno)));
}

void WriteAll(int fd, const std::string& data, const std::string& path) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) ThrowIO("write", path);
    done += static_cast<size_t>(n);
  }
}

// Makes a rename in `dir` durable.
void SyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

// Writes `data` to `path` atomically and durably: a temporary file, fsync, rename.
void WriteFileDurably(const std::string& path, const std::string& data) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) ThrowIO("create", tmp);
  WriteAll(fd, data, tmp);
  if (::fsync(fd) != 0) ThrowIO("sync", tmp);
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) ThrowIO("rename", tmp);
  SyncDirectory(fs::path(path).parent_path().string());
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

template <typename T>
void Put(std::string* out, T value) {
  out->append(reinterpret_cast<const char*>(&value), sizeof(T));
}

std::string TextHash(const std::string& text) {
  return fmt::format("{:016x}", std::hash<std::string>()(text));
}

// Stores one map task's output beside writing it to the shuffle: frames go to a temporary
// file, which Commit syncs and renames to the task's name before the task commits.
class RecordingWriter : public ShuffleWriter {
 public:
  RecordingWriter(std::string path, std::unique_ptr<ShuffleWriter> inner)
      : path_(std::move(path)), tmp_(path_ + ".tmp"), inner_(std::move(inner)) {
    fd_ = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd_ < 0) ThrowIO("create", tmp_);
  }
  ~RecordingWriter() override {
    if (fd_ >= 0) {
      ::close(fd_);
      ::unlink(tmp_.c_str());
    }
  }

  void Write(int partition, Batch batch) override {
    raw_.clear();
    SerializeBatch(batch, &raw_);
    SLUICE_CHECK(raw_.size() < (size_t{1} << 31), "a stored batch of {} bytes", raw_.size());
    const int bound = LZ4_compressBound(static_cast<int>(raw_.size()));
    compressed_.resize(static_cast<size_t>(bound));
    const int n =
        LZ4_compress_default(raw_.data(), compressed_.data(), static_cast<int>(raw_.size()), bound);
    SLUICE_CHECK(n > 0, "LZ4 failed on a batch of {} bytes", raw_.size());
    Put<int32_t>(&buffer_, partition);
    Put<uint32_t>(&buffer_, static_cast<uint32_t>(raw_.size()));
    Put<uint32_t>(&buffer_, static_cast<uint32_t>(n));
    buffer_.append(compressed_.data(), static_cast<size_t>(n));
    if (buffer_.size() >= kFlushBytes) Flush();
    inner_->Write(partition, std::move(batch));
  }

  void RecordKeySummary(HeavyHitters summary) override {
    Put<int32_t>(&buffer_, kSummaryFrame);
    Put<int32_t>(&buffer_, summary.capacity());
    Put<int64_t>(&buffer_, summary.total());
    const std::vector<HeavyHitters::Entry> top = summary.Top();
    Put<int32_t>(&buffer_, static_cast<int32_t>(top.size()));
    for (const auto& e : top) {
      Put<uint64_t>(&buffer_, e.hash);
      Put<int64_t>(&buffer_, e.count);
    }
    inner_->RecordKeySummary(std::move(summary));
  }

  void Commit() override {
    Put<int32_t>(&buffer_, kEndFrame);
    Flush();
    if (::fsync(fd_) != 0) ThrowIO("sync", tmp_);
    ::close(fd_);
    fd_ = -1;
    if (::rename(tmp_.c_str(), path_.c_str()) != 0) ThrowIO("rename", tmp_);
    inner_->Commit();
  }

  void Abort() override {
    buffer_.clear();
    if (fd_ >= 0) {
      ::close(fd_);
      fd_ = -1;
      ::unlink(tmp_.c_str());
    }
    inner_->Abort();
  }

 private:
  void Flush() {
    WriteAll(fd_, buffer_, tmp_);
    buffer_.clear();
  }

  std::string path_;
  std::string tmp_;
  std::unique_ptr<ShuffleWriter> inner_;
  int fd_ = -1;
  std::string buffer_;  // frames not written yet
  std::string raw_;
  std::string compressed_;
};

// Reads the values of a stored task file in order, a frame at a time (a task's output may be
// larger than memory), naming the file in every error.
class FrameReader {
 public:
  explicit FrameReader(std::string path) : path_(std::move(path)), in_(path_, std::ios::binary) {
    std::error_code ec;
    remaining_ = fs::file_size(path_, ec);
    if (!in_ || ec) ThrowIO("read", path_);
  }
  template <typename T>
  T Take() {
    T value;
    Read(reinterpret_cast<char*>(&value), sizeof(T));
    return value;
  }
  // The next `n` bytes into `out`.
  void Take(size_t n, std::string* out) {
    if (n > remaining_) Damaged();
    out->resize(n);
    Read(out->data(), n);
  }
  [[noreturn]] void Damaged() const {
    throw IOError(fmt::format(
        "--resume: the stored map output '{}' is damaged; remove the --resume directory to run "
        "the job from the start",
        path_));
  }

 private:
  void Read(char* out, size_t n) {
    if (n > remaining_ || !in_.read(out, static_cast<std::streamsize>(n))) Damaged();
    remaining_ -= n;
  }

  std::string path_;
  std::ifstream in_;
  uintmax_t remaining_ = 0;
};

}  // namespace

std::string ResumeDirectory::StageKey::Name() const {
  return fmt::format("job{}-stage{}-{:016x}-tasks{}-ranks{}", job, stage, fingerprint, tasks,
                     ranks);
}

ResumeDirectory::ResumeDirectory(std::string dir, const std::string& journal)
    : dir_(std::move(dir)) {
  std::error_code ec;
  fs::create_directories(fs::path(dir_) / "stages", ec);
  if (ec) {
    throw IOError(fmt::format("--resume: cannot create directory '{}': {}", dir_, ec.message()));
  }
  std::istringstream lines(journal);
  int statement = 0;
  std::string hash;
  while (lines >> statement >> hash) committed_[statement] = hash;
}

std::string ResumeDirectory::ReadJournal(const std::string& dir) {
  return ReadFile((fs::path(dir) / "statements").string());
}

int ResumeDirectory::BeginStatement() {
  job_ = 0;
  return ++statement_;
}

std::string ResumeDirectory::NextJob() { return fmt::format("{}.{}", statement_, ++job_); }

bool ResumeDirectory::Committed(int statement, const std::string& text) const {
  const auto it = committed_.find(statement);
  return it != committed_.end() && it->second == TextHash(text);
}

void ResumeDirectory::RecordCommitted(int statement, const std::string& text) {
  committed_[statement] = TextHash(text);
  std::string journal;
  for (const auto& [index, hash] : committed_) journal += fmt::format("{} {}\n", index, hash);
  WriteFileDurably((fs::path(dir_) / "statements").string(), journal);
}

std::string ResumeDirectory::StageDir(const StageKey& key) const {
  return (fs::path(dir_) / "stages" / key.Name()).string();
}

std::string ResumeDirectory::MarkerPath(const StageKey& key) const {
  return StageDir(key) + fmt::format("/r{}.done", key.rank);
}

bool ResumeDirectory::HasCompleteStage(const StageKey& key) const {
  std::error_code ec;
  return fs::is_regular_file(MarkerPath(key), ec);
}

void ResumeDirectory::ClearStage(const StageKey& key) {
  std::error_code ec;
  fs::create_directories(StageDir(key), ec);
  if (ec) {
    throw IOError(
        fmt::format("--resume: cannot create directory '{}': {}", StageDir(key), ec.message()));
  }
  fs::remove(MarkerPath(key), ec);
}

std::unique_ptr<ShuffleWriter> ResumeDirectory::RecordTask(const StageKey& key, int task,
                                                           std::unique_ptr<ShuffleWriter> inner) {
  return std::make_unique<RecordingWriter>(StageDir(key) + fmt::format("/r{}.t{}", key.rank, task),
                                           std::move(inner));
}

void ResumeDirectory::CompleteStage(const StageKey& key, const ExchangeStats& stats) {
  std::string marker = fmt::format("rows {}", stats.rows.size());
  for (const int64_t rows : stats.rows) marker += fmt::format(" {}", rows);
  marker += "\n";
  WriteFileDurably(MarkerPath(key), marker);
}

std::vector<int64_t> ResumeDirectory::StoredRows(const StageKey& key) const {
  std::istringstream in(ReadFile(MarkerPath(key)));
  std::string word;
  size_t n = 0;
  std::vector<int64_t> rows;
  if (!(in >> word >> n) || word != "rows") return rows;
  rows.resize(n);
  for (auto& r : rows) {
    if (!(in >> r)) return {};
  }
  return rows;
}

void ResumeDirectory::RestoreTask(const StageKey& key, int task, Shuffle& shuffle,
                                  const std::vector<LogicalType>& types) const {
  const std::string path = StageDir(key) + fmt::format("/r{}.t{}", key.rank, task);
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    throw IOError(fmt::format(
        "--resume: the stored map output '{}' is missing; remove the --resume directory to run "
        "the job from the start",
        path));
  }
  FrameReader in(path);
  std::unique_ptr<ShuffleWriter> writer = shuffle.OpenWriter(task);
  std::string raw;
  std::string block;
  for (;;) {
    const auto kind = in.Take<int32_t>();
    if (kind == kEndFrame) break;
    if (kind == kSummaryFrame) {
      const auto capacity = in.Take<int32_t>();
      const auto total = in.Take<int64_t>();
      const auto n = in.Take<int32_t>();
      if (capacity <= 0 || n < 0 || n > capacity) in.Damaged();
      std::vector<HeavyHitters::Entry> entries(static_cast<size_t>(n));
      for (auto& e : entries) {
        e.hash = in.Take<uint64_t>();
        e.count = in.Take<int64_t>();
      }
      writer->RecordKeySummary(HeavyHitters::FromEntries(capacity, std::move(entries), total));
      continue;
    }
    if (kind < 0 || kind >= shuffle.partitions()) in.Damaged();
    const auto raw_size = in.Take<uint32_t>();
    const auto compressed_size = in.Take<uint32_t>();
    if (raw_size >= (uint32_t{1} << 31) || compressed_size >= (uint32_t{1} << 31)) in.Damaged();
    in.Take(compressed_size, &block);
    raw.resize(raw_size);
    const int n = LZ4_decompress_safe(block.data(), raw.data(), static_cast<int>(block.size()),
                                      static_cast<int>(raw_size));
    if (n != static_cast<int>(raw_size)) in.Damaged();
    writer->Write(kind,
                  DeserializeBatch(reinterpret_cast<const uint8_t*>(raw.data()), raw_size, types));
  }
  writer->Commit();
}

void ResumeDirectory::RemoveAll() {
  std::error_code ec;
  fs::remove_all(fs::path(dir_) / "stages", ec);
  fs::remove(fs::path(dir_) / "statements", ec);
}

}  // namespace sluice
