#include "shuffle/local_shuffle.h"

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "common/error.h"
#include "shuffle/exchange_stats.h"

namespace sluice {

namespace {

// A slot smaller than this is not worth a spill of its own while the buffer is merely over
// its share (many tiny frames would cost more than they free); a refused reservation spills
// whatever the task holds.
constexpr int64_t kMinSpillBytes = int64_t{256} << 10;

}  // namespace

// One attempt of one map task: writes go to the task's own slots.
class LocalShuffle::Writer : public ShuffleWriter {
 public:
  Writer(LocalShuffle* shuffle, int task) : shuffle_(shuffle), task_(task) {}
  void Write(int partition, Batch batch) override {
    SLUICE_CHECK(partition >= 0 && partition < shuffle_->partitions_, "partition {} of {}",
                 partition, shuffle_->partitions_);
    shuffle_->Add(task_, partition, std::move(batch));
  }
  void RecordKeySummary(HeavyHitters summary) override {
    shuffle_->key_summaries_[task_] = std::move(summary);
  }
  void Commit() override { shuffle_->FinishTask(task_); }
  void Abort() override { shuffle_->ResetTask(task_); }

 private:
  LocalShuffle* shuffle_;
  int task_;
};

LocalShuffle::LocalShuffle(MemoryManager* memory, TempDirectory* temp, const ShuffleSpec& spec)
    : memory_(memory),
      temp_(temp),
      types_(spec.types),
      map_tasks_(spec.map_tasks),
      partitions_(spec.partitions),
      slots_(static_cast<size_t>(spec.map_tasks) * spec.partitions),
      key_summaries_(static_cast<size_t>(spec.map_tasks)),
      spilled_metric_(spec.spilled_metric) {}

LocalShuffle::~LocalShuffle() {
  if (memory_ != nullptr) memory_->Release(memory_bytes_.load());
}

std::unique_ptr<ShuffleWriter> LocalShuffle::OpenWriter(int task) {
  SLUICE_CHECK(task >= 0 && task < map_tasks_, "map task {} of {}", task, map_tasks_);
  return std::make_unique<Writer>(this, task);
}

void LocalShuffle::Add(int task, int partition, Batch batch) {
  // Memory is what the buffers hold; statistics are what the rows are (ExchangeStats).
  const auto bytes = static_cast<int64_t>(batch.MemoryBytes());
  Slot& s = slot(task, partition);
  s.rows += static_cast<int64_t>(batch.num_rows());
  s.bytes += DataBytes(batch);
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

void LocalShuffle::FinishTask(int task) {
  if (memory_ == nullptr || memory_bytes_.load() <= memory_->limit() / 4) return;
  for (int p = 0; p < partitions_; p++) {
    if (slot(task, p).memory_bytes > 0) Spill(slot(task, p));
  }
}

void LocalShuffle::ResetTask(int task) {
  for (int p = 0; p < partitions_; p++) {
    Slot& s = slot(task, p);
    if (memory_ != nullptr && s.memory_bytes > 0) memory_->Release(s.memory_bytes);
    memory_bytes_ -= s.memory_bytes;
    s = Slot{};
  }
  key_summaries_[task].reset();
}

void LocalShuffle::ReleaseAll() {
  for (Slot& s : slots_) {
    if (memory_ != nullptr && s.memory_bytes > 0) memory_->Release(s.memory_bytes);
    memory_bytes_ -= s.memory_bytes;
    s.memory_bytes = 0;
    s.batches.clear();
    s.batches.shrink_to_fit();
    s.file.reset();
  }
}

bool LocalShuffle::SpillLargest(int task, int64_t min_bytes) {
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

void LocalShuffle::WriteToFile(Slot& s, const Batch& batch) {
  if (s.file == nullptr) s.file = std::make_unique<SpillFile>(temp_->NewPath("exchange"), types_);
  const int64_t written = s.file->Write(batch);
  spilled_bytes_ += written;
  if (spilled_metric_ != nullptr) *spilled_metric_ += written;
}

void LocalShuffle::Spill(Slot& s) {
  for (const auto& b : s.batches) WriteToFile(s, b);
  s.batches.clear();
  s.batches.shrink_to_fit();
  memory_->Release(s.memory_bytes);
  memory_bytes_ -= s.memory_bytes;
  s.memory_bytes = 0;
}

// Streams one partition: for each map task, its spill file, then its in-memory batches.
class LocalShuffle::PartitionReader : public BatchStream {
 public:
  PartitionReader(LocalShuffle* buffer, int partition, int first_task = 0)
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
  LocalShuffle* buffer_;
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

std::unique_ptr<BatchStream> LocalShuffle::OpenPartition(int partition, int first_task) {
  return std::make_unique<PartitionReader>(this, partition, first_task);
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

std::unique_ptr<BatchStream> LocalShuffle::Open(const ShuffleRead& read) {
  SLUICE_CHECK(read.first >= 0 && read.first <= read.end && read.end <= partitions_,
               "read of partitions [{}, {}) of {}", read.first, read.end, partitions_);
  if (!read.whole()) {
    SLUICE_CHECK(read.end == read.first + 1, "a row slice of {} partitions", read.end - read.first);
    // Skip whole map-task slots before row_begin without reading them.
    int first_task = 0;
    int64_t first_row = 0;
    while (first_task < map_tasks_ && first_row + slot(first_task, read.first).rows <= read.row_begin) {
      first_row += slot(first_task, read.first).rows;
      first_task++;
    }
    return std::make_unique<RowRangeStream>(OpenPartition(read.first, first_task), first_row,
                                            read.row_begin, read.row_end);
  }
  if (read.end == read.first + 1) return OpenPartition(read.first);
  std::vector<std::unique_ptr<BatchStream>> inputs;
  for (int p = read.first; p < read.end; p++) inputs.push_back(OpenPartition(p));
  return std::make_unique<ConcatStream>(std::move(inputs));
}

ExchangeStats LocalShuffle::Stats() const {
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
  std::optional<HeavyHitters> keys;
  for (const auto& summary : key_summaries_) {
    if (!summary) continue;
    if (keys) {
      keys->Merge(*summary);
    } else {
      keys = *summary;
    }
  }
  if (keys) stats.heavy_keys = keys->Top();
  return stats;
}

}  // namespace sluice
