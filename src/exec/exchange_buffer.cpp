#include "exec/exchange_buffer.h"

#include <algorithm>
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
  PartitionReader(ExchangeBuffer* buffer, int partition, int first_task = 0)
      : buffer_(buffer), partition_(partition), task_(first_task) {}

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
  int task_;
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

// Rows [begin, end) of an input stream whose first row is row `first` (end < 0: all).
class RowRangeStream : public BatchStream {
 public:
  RowRangeStream(std::unique_ptr<BatchStream> input, int64_t first, int64_t begin, int64_t end)
      : input_(std::move(input)), next_row_(first), begin_(begin), end_(end) {}
  bool Next(Batch* out) override {
    Batch batch;
    while ((end_ < 0 || next_row_ < end_) && input_->Next(&batch)) {
      const int64_t n = static_cast<int64_t>(batch.num_rows());
      const int64_t lo = std::max<int64_t>(begin_ - next_row_, 0);
      const int64_t hi = end_ < 0 ? n : std::min<int64_t>(end_ - next_row_, n);
      next_row_ += n;
      if (hi <= lo) continue;
      if (lo == 0 && hi == n) {
        *out = std::move(batch);
      } else {
        *out = batch.Slice(static_cast<size_t>(lo), static_cast<size_t>(hi - lo));
      }
      return true;
    }
    return false;
  }

 private:
  std::unique_ptr<BatchStream> input_;
  int64_t next_row_;
  int64_t begin_;
  int64_t end_;
};

}  // namespace

std::unique_ptr<BatchStream> ExchangeBuffer::OpenPartitionRows(int partition, int64_t row_begin,
                                                               int64_t row_end) {
  int first_task = 0;
  int64_t first_row = 0;
  while (first_task < map_tasks_ && first_row + slot(first_task, partition).rows <= row_begin) {
    first_row += slot(first_task, partition).rows;
    first_task++;
  }
  return std::make_unique<RowRangeStream>(
      std::make_unique<PartitionReader>(this, partition, first_task), first_row, row_begin,
      row_end);
}

std::unique_ptr<BatchStream> ExchangeBuffer::OpenTask(int task) {
  if (!task_slices_.empty()) {
    SLUICE_CHECK(task < static_cast<int>(task_slices_.size()), "task {} of {} skew-split tasks",
                 task, task_slices_.size());
    const TaskSlice& s = task_slices_[task];
    if (s.row_begin == 0 && s.row_end < 0) return OpenPartition(s.partition);
    return OpenPartitionRows(s.partition, s.row_begin, s.row_end);
  }
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
