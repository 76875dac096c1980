#include "exec/exchange_buffer.h"

#include <numeric>

#include <fmt/format.h>

#include "common/error.h"

namespace sluice {

namespace {

// A slot smaller than this is not worth a spill of its own while the buffer is merely over
// its share (many tiny frames would cost more than they free); a refused reservation spills
// whatever the task holds.
constexpr int64_t kMinSpillBytes = int64_t{256} << 10;

}  // namespace

int64_t ExchangeStats::total_rows() const {
  return std::accumulate(rows.begin(), rows.end(), int64_t{0});
}
int64_t ExchangeStats::total_bytes() const {
  return std::accumulate(bytes.begin(), bytes.end(), int64_t{0});
}

ExchangeBuffer::ExchangeBuffer(MemoryManager* memory, TempDirectory* temp,
                               std::vector<LogicalType> types, int map_tasks, int partitions,
                               std::atomic<int64_t>* spilled_bytes)
    : memory_(memory),
      temp_(temp),
      types_(std::move(types)),
      map_tasks_(map_tasks),
      partitions_(partitions),
      slots_(static_cast<size_t>(map_tasks) * partitions),
      spilled_metric_(spilled_bytes) {}

ExchangeBuffer::~ExchangeBuffer() {
  if (memory_ != nullptr) memory_->Release(memory_bytes_.load());
}

void ExchangeBuffer::Add(int task, int partition, Batch batch) {
  const auto bytes = static_cast<int64_t>(batch.MemoryBytes());
  Slot& s = slot(task, partition);
  s.rows += static_cast<int64_t>(batch.num_rows());
  s.bytes += bytes;
  if (memory_ != nullptr) {
    for (;;) {
      const bool within_share = memory_bytes_.load() + bytes <= memory_->limit() / 4;
      if (within_share && memory_->TryReserve(bytes)) break;
      if (SpillLargest(task, within_share ? 1 : kMinSpillBytes)) continue;
      // Over the share with only small slots of our own: take memory while there is some.
      if (memory_->TryReserve(bytes)) break;
      if (SpillLargest(task, 1)) continue;
      // This task holds nothing in memory any more and other tasks hold the budget: the
      // batch goes straight to its slot's spill file (the slot has no in-memory batches, so
      // the read order is kept) instead of failing the query.
      WriteToFile(s, batch);
      return;
    }
  }
  memory_bytes_ += bytes;
  s.memory_bytes += bytes;
  s.batches.push_back(std::move(batch));
}

void ExchangeBuffer::FinishTask(int task) {
  if (memory_ == nullptr || memory_bytes_.load() <= memory_->limit() / 4) return;
  for (int p = 0; p < partitions_; p++) {
    if (slot(task, p).memory_bytes > 0) Spill(slot(task, p));
  }
}

void ExchangeBuffer::ResetTask(int task) {
  for (int p = 0; p < partitions_; p++) {
    Slot& s = slot(task, p);
    if (memory_ != nullptr && s.memory_bytes > 0) memory_->Release(s.memory_bytes);
    memory_bytes_ -= s.memory_bytes;
    s = Slot{};
  }
}

void ExchangeBuffer::ReleaseAll() {
  for (Slot& s : slots_) {
    if (memory_ != nullptr && s.memory_bytes > 0) memory_->Release(s.memory_bytes);
    memory_bytes_ -= s.memory_bytes;
    s.memory_bytes = 0;
    s.batches.clear();
    s.batches.shrink_to_fit();
    s.file.reset();
  }
}

bool ExchangeBuffer::SpillLargest(int task, int64_t min_bytes) {
  Slot* largest = nullptr;
  for (int p = 0; p < partitions_; p++) {
    Slot& s = slot(task, p);
    if (s.memory_bytes >= min_bytes && (largest == nullptr || s.memory_bytes > largest->memory_bytes)) {
      largest = &s;
    }
  }
  if (largest == nullptr) return false;
  Spill(*largest);
  return true;
}

void ExchangeBuffer::WriteToFile(Slot& s, const Batch& batch) {
  if (s.file == nullptr) s.file = std::make_unique<SpillFile>(temp_->NewPath("exchange"), types_);
  const int64_t written = s.file->Write(batch);
  spilled_bytes_ += written;
  if (spilled_metric_ != nullptr) *spilled_metric_ += written;
}

void ExchangeBuffer::Spill(Slot& s) {
  for (const auto& b : s.batches) WriteToFile(s, b);
  s.batches.clear();
  s.batches.shrink_to_fit();
  memory_->Release(s.memory_bytes);
  memory_bytes_ -= s.memory_bytes;
  s.memory_bytes = 0;
}

// Streams one partition: for each map task, its spill file, then its in-memory batches.
class ExchangeBuffer::PartitionReader : public BatchStream {
 public:
  PartitionReader(ExchangeBuffer* buffer, int partition) : buffer_(buffer), partition_(partition) {}

  bool Next(Batch* out) override {
    while (task_ < buffer_->map_tasks_) {
      Slot& s = buffer_->slot(task_, partition_);
      if (s.file != nullptr && !file_done_) {
        if (ReadSpilled(s, out)) return true;
        file_reader_.reset();
        if (!buffer_->retained_) s.file.reset();  // read once: the disk space goes back now
        file_done_ = true;
      }
      while (next_batch_ < s.batches.size()) {
        Batch& b = s.batches[next_batch_++];
        if (b.num_rows() == 0) continue;
        if (buffer_->retained_) {
          *out = b;  // columns are shared, not copied; the buffer keeps its reservation
          return true;
        }
        const auto bytes = static_cast<int64_t>(b.MemoryBytes());
        *out = std::move(b);
        // The consumer owns the batch now and accounts for whatever it keeps.
        if (buffer_->memory_ != nullptr) {
          buffer_->memory_->Release(bytes);
          buffer_->memory_bytes_ -= bytes;
          s.memory_bytes -= bytes;
        }
        return true;
      }
      if (!buffer_->retained_) s.batches.clear();
      task_++;
      next_batch_ = 0;
      file_done_ = false;
    }
    return false;
  }

 private:
  ExchangeBuffer* buffer_;
  int partition_;
  int task_ = 0;
  size_t next_batch_ = 0;
  bool file_done_ = false;
  std::unique_ptr<BatchStream> file_reader_;

  // The next spilled batch of `s`. A read failure is retryable when the file is retained:
  // the reading task can be re-run and read it again.
  bool ReadSpilled(Slot& s, Batch* out) {
    try {
      if (file_reader_ == nullptr) file_reader_ = s.file->OpenReader();
      return file_reader_->Next(out);
    } catch (const IOError& e) {
      if (!buffer_->retained_) throw;
      throw RetryableError(fmt::format("reading exchange spill file: {}", e.message()));
    }
  }
};

std::unique_ptr<BatchStream> ExchangeBuffer::OpenPartition(int partition) {
  return std::make_unique<PartitionReader>(this, partition);
}

namespace {

// The partitions of one coalesced group, one after the other.
class ConcatStream : public BatchStream {
 public:
  explicit ConcatStream(std::vector<std::unique_ptr<BatchStream>> inputs)
      : inputs_(std::move(inputs)) {}
  bool Next(Batch* out) override {
    for (; next_ < inputs_.size(); next_++) {
      if (inputs_[next_]->Next(out)) return true;
      inputs_[next_].reset();
    }
    return false;
  }

 private:
  std::vector<std::unique_ptr<BatchStream>> inputs_;
  size_t next_ = 0;
};

}  // namespace

std::unique_ptr<BatchStream> ExchangeBuffer::OpenTask(int task) {
  if (coalesced_starts_.empty()) return OpenPartition(task);
  const int groups = static_cast<int>(coalesced_starts_.size());
  std::vector<std::unique_ptr<BatchStream>> inputs;
  if (task >= groups) return std::make_unique<ConcatStream>(std::move(inputs));  // none left
  const int end = task + 1 < groups ? coalesced_starts_[task + 1] : partitions_;
  for (int p = coalesced_starts_[task]; p < end; p++) inputs.push_back(OpenPartition(p));
  return std::make_unique<ConcatStream>(std::move(inputs));
}

ExchangeStats ExchangeBuffer::Stats() const {
  ExchangeStats stats;
  stats.rows.assign(partitions_, 0);
  stats.bytes.assign(partitions_, 0);
  for (int t = 0; t < map_tasks_; t++) {
    for (int p = 0; p < partitions_; p++) {
      const Slot& s = slots_[t * partitions_ + p];
      stats.rows[p] += s.rows;
      stats.bytes[p] += s.bytes;
    }
  }
  return stats;
}

}  // namespace sluice
