#include "mpi/mpi_shuffle.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <functional>

#include <lz4.h>

#include "common/error.h"
#include "mpi/mpi_cluster.h"
#include "mpi/shuffle_server.h"
#include "shuffle/batch_serde.h"

namespace sluice {

namespace {

// Little helpers for the flat encodings below (host byte order: ranks run one build).
template <typename T>
void Put(std::string* out, T value) {
  out->append(reinterpret_cast<const char*>(&value), sizeof(T));
}

template <typename T>
T Take(const std::string& in, size_t* at) {
  SLUICE_CHECK(*at + sizeof(T) <= in.size(), "truncated exchange message");
  T value;
  std::memcpy(&value, in.data() + *at, sizeof(T));
  *at += sizeof(T);
  return value;
}

// A frame's length word: the bytes that follow, with this bit set when they are an LZ4 block
// (preceded by the batch's serialized size) rather than the serialized batch itself.
constexpr uint64_t kCompressedFrame = uint64_t{1} << 63;
// Batches smaller than this travel as they are (LZ4 gains little on them), as do batches
// that do not shrink by a tenth.
constexpr size_t kMinCompressBytes = 4096;

// Appends `raw` (one serialized batch) to `frames` as a frame, LZ4-compressed when `compress`
// and that pays. Returns the frame's size.
size_t AppendFrame(std::string_view raw, bool compress, std::string* frames) {
  const size_t at = frames->size();
  if (compress && raw.size() >= kMinCompressBytes && raw.size() < (size_t{1} << 31)) {
    const int bound = LZ4_compressBound(static_cast<int>(raw.size()));
    frames->resize(at + 2 * sizeof(uint64_t) + static_cast<size_t>(bound));
    char* block = frames->data() + at + 2 * sizeof(uint64_t);
    const int n = LZ4_compress_default(raw.data(), block, static_cast<int>(raw.size()), bound);
    if (n > 0 && static_cast<size_t>(n) < raw.size() - raw.size() / 10) {
      const uint64_t length = (sizeof(uint64_t) + static_cast<uint64_t>(n)) | kCompressedFrame;
      const uint64_t raw_size = raw.size();
      std::memcpy(frames->data() + at, &length, sizeof(length));
      std::memcpy(frames->data() + at + sizeof(uint64_t), &raw_size, sizeof(raw_size));
      frames->resize(at + 2 * sizeof(uint64_t) + static_cast<size_t>(n));
      return frames->size() - at;
    }
    frames->resize(at);
  }
  Put<uint64_t>(frames, raw.size());
  frames->append(raw);
  return frames->size() - at;
}

// Batches framed as Serve writes them, decoded one at a time.
class FrameStream : public BatchStream {
 public:
  FrameStream(std::string frames, const std::vector<LogicalType>* types)
      : frames_(std::move(frames)), types_(types) {}
  bool Next(Batch* out) override {
    if (at_ >= frames_.size()) return false;
    const uint64_t length = Take<uint64_t>(frames_, &at_);
    const uint64_t size = length & ~kCompressedFrame;
    SLUICE_CHECK(at_ + size <= frames_.size(), "truncated exchange frame");
    const char* data = frames_.data() + at_;
    if ((length & kCompressedFrame) == 0) {
      *out = DeserializeBatch(reinterpret_cast<const uint8_t*>(data), size, *types_);
    } else {
      size_t header = at_;
      const auto raw_size = Take<uint64_t>(frames_, &header);
      SLUICE_CHECK(raw_size < (uint64_t{1} << 31), "exchange frame of {} bytes", raw_size);
      raw_.resize(raw_size);
      const int n = LZ4_decompress_safe(data + sizeof(uint64_t), raw_.data(),
                                        static_cast<int>(size - sizeof(uint64_t)),
                                        static_cast<int>(raw_size));
      SLUICE_CHECK(n == static_cast<int>(raw_size), "corrupt LZ4 exchange frame");
      *out = DeserializeBatch(reinterpret_cast<const uint8_t*>(raw_.data()), raw_size, *types_);
    }
    at_ += size;
    return true;
  }

 private:
  std::string frames_;
  const std::vector<LogicalType>* types_;
  size_t at_ = 0;
  std::string raw_;  // a decompressed batch
};

// Rows of one piece held by another rank: asked for on the first Next, then decoded.
class RemotePieceStream : public BatchStream {
 public:
  RemotePieceStream(MpiCluster* cluster, ShuffleServer::Request request, int rank,
                    const std::vector<LogicalType>* types)
      : cluster_(cluster), request_(request), rank_(rank), types_(types) {}
  bool Next(Batch* out) override {
    if (frames_ == nullptr) {
      request_.reply_tag = cluster_->NextReplyTag();
      const int64_t fields[5] = {request_.shuffle, request_.partition, request_.row_begin,
                                 request_.row_end, request_.reply_tag};
      const std::string what = fmt::format("partition {} of exchange #{} in stage {}",
                                           request_.partition, request_.shuffle, cluster_->stage());
      // One message of five integers, as the server's probe expects.
      std::vector<MPI_Request> sent(1);
      MPI_Isend(fields, 5, MPI_INT64_T, rank_, ShuffleServer::kRequestTag, cluster_->fetch_comm(),
                &sent[0]);
      cluster_->Wait(sent, {rank_}, what);
      frames_ = std::make_unique<FrameStream>(
          cluster_->ReceiveBytes(cluster_->reply_comm(), rank_,
                                 static_cast<int>(request_.reply_tag), what),
          types_);
    }
    return frames_->Next(out);
  }

 private:
  MpiCluster* cluster_;
  ShuffleServer::Request request_;
  int rank_;
  const std::vector<LogicalType>* types_;
  std::unique_ptr<FrameStream> frames_;
};

// Streams one after the other, each opened when the previous one ends.
class PieceConcatStream : public BatchStream {
 public:
  explicit PieceConcatStream(std::vector<std::function<std::unique_ptr<BatchStream>()>> opens)
      : opens_(std::move(opens)) {}
  bool Next(Batch* out) override {
    for (;;) {
      if (current_ == nullptr) {
        if (next_ >= opens_.size()) return false;
        current_ = opens_[next_++]();
      }
      if (current_->Next(out)) return true;
      current_.reset();
    }
  }

 private:
  std::vector<std::function<std::unique_ptr<BatchStream>()>> opens_;
  size_t next_ = 0;
  std::unique_ptr<BatchStream> current_;
};

}  // namespace

// One attempt of one map task run on this rank: counts what it writes, then writes it to
// the rank's LocalShuffle.
class MpiShuffle::Writer : public ShuffleWriter {
 public:
  Writer(MpiShuffle* shuffle, int task, std::unique_ptr<ShuffleWriter> local)
      : shuffle_(shuffle), task_(task), local_(std::move(local)) {}
  void Write(int partition, Batch batch) override {
    const size_t at = static_cast<size_t>(task_) * shuffle_->partitions_ + partition;
    shuffle_->rows_[at] += static_cast<int64_t>(batch.num_rows());
    shuffle_->bytes_[at] += DataBytes(batch);
    local_->Write(partition, std::move(batch));
  }
  void RecordKeySummary(HeavyHitters summary) override {
    shuffle_->summaries_[task_] = summary;
    local_->RecordKeySummary(std::move(summary));
  }
  void Commit() override {
    local_->Commit();
    shuffle_->committed_[task_] = 1;
  }
  void Abort() override {
    local_->Abort();
    const size_t first = static_cast<size_t>(task_) * shuffle_->partitions_;
    std::fill_n(shuffle_->rows_.begin() + first, shuffle_->partitions_, 0);
    std::fill_n(shuffle_->bytes_.begin() + first, shuffle_->partitions_, 0);
    shuffle_->summaries_[task_].reset();
  }

 private:
  MpiShuffle* shuffle_;
  int task_;
  std::unique_ptr<ShuffleWriter> local_;
};

MpiShuffle::MpiShuffle(MpiCluster* cluster, int64_t id, MemoryManager* memory, TempDirectory* temp,
                       const ShuffleSpec& spec)
    : cluster_(cluster),
      id_(id),
      types_(spec.types),
      map_tasks_(spec.map_tasks),
      partitions_(spec.partitions),
      local_(memory, temp, spec),
      rows_(static_cast<size_t>(spec.map_tasks) * spec.partitions, 0),
      bytes_(rows_.size(), 0),
      committed_(static_cast<size_t>(spec.map_tasks), 0),
      summaries_(static_cast<size_t>(spec.map_tasks)) {
  local_.set_retained(true);
  cluster_->server().Register(id_, this);
}

MpiShuffle::~MpiShuffle() { cluster_->server().Unregister(id_); }

std::unique_ptr<ShuffleWriter> MpiShuffle::OpenWriter(int task) {
  SLUICE_CHECK(task >= 0 && task < map_tasks_, "map task {} of {}", task, map_tasks_);
  return std::make_unique<Writer>(this, task, local_.OpenWriter(task));
}

std::string MpiShuffle::EncodeLocalStats() const {
  std::string out;
  for (int t = 0; t < map_tasks_; t++) {
    if (committed_[t] == 0) continue;
    Put<int32_t>(&out, t);
    const size_t first = static_cast<size_t>(t) * partitions_;
    out.append(reinterpret_cast<const char*>(&rows_[first]), sizeof(int64_t) * partitions_);
    out.append(reinterpret_cast<const char*>(&bytes_[first]), sizeof(int64_t) * partitions_);
    const auto& summary = summaries_[t];
    Put<int32_t>(&out, summary ? summary->capacity() : 0);
    if (!summary) continue;
    Put<int64_t>(&out, summary->total());
    const std::vector<HeavyHitters::Entry> top = summary->Top();
    Put<int32_t>(&out, static_cast<int32_t>(top.size()));
    for (const auto& e : top) {
      Put<uint64_t>(&out, e.hash);
      Put<int64_t>(&out, e.count);
    }
  }
  return out;
}

void MpiShuffle::DecodeStats(int rank, const std::string& bytes,
                             std::vector<std::optional<HeavyHitters>>* keys) {
  size_t at = 0;
  while (at < bytes.size()) {
    const auto t = Take<int32_t>(bytes, &at);
    SLUICE_CHECK(t >= 0 && t < map_tasks_ && holder_[t] < 0,
                 "exchange #{}: map task {} reported twice (rank {})", id_, t, rank);
    holder_[t] = rank;
    for (int p = 0; p < partitions_; p++) {
      const auto rows = Take<int64_t>(bytes, &at);
      all_rows_[static_cast<size_t>(t) * partitions_ + p] = rows;
      stats_.rows[p] += rows;
    }
    for (int p = 0; p < partitions_; p++) stats_.bytes[p] += Take<int64_t>(bytes, &at);
    const auto capacity = Take<int32_t>(bytes, &at);
    if (capacity == 0) continue;
    const auto total = Take<int64_t>(bytes, &at);
    const auto n = Take<int32_t>(bytes, &at);
    std::vector<HeavyHitters::Entry> entries;
    for (int i = 0; i < n; i++) {
      HeavyHitters::Entry e;
      e.hash = Take<uint64_t>(bytes, &at);
      e.count = Take<int64_t>(bytes, &at);
      entries.push_back(e);
    }
    (*keys)[t] = HeavyHitters::FromEntries(capacity, std::move(entries), total);
  }
}

void MpiShuffle::FinishMapStage() {
  cluster_->MaybeInjectFault();
  const std::vector<std::string> all = cluster_->AllGather(EncodeLocalStats());
  holder_.assign(map_tasks_, -1);
  all_rows_.assign(static_cast<size_t>(map_tasks_) * partitions_, 0);
  stats_ = ExchangeStats{};
  stats_.rows.assign(partitions_, 0);
  stats_.bytes.assign(partitions_, 0);
  std::vector<std::optional<HeavyHitters>> keys(map_tasks_);
  for (int rank = 0; rank < static_cast<int>(all.size()); rank++)
    DecodeStats(rank, all[rank], &keys);
  // Merged in task order, as LocalShuffle does: the same summary as one process's.
  std::optional<HeavyHitters> merged;
  for (const auto& summary : keys) {
    if (!summary) continue;
    if (merged) {
      merged->Merge(*summary);
    } else {
      merged = *summary;
    }
  }
  if (merged) stats_.heavy_keys = merged->Top();
  finished_ = true;
}

ExchangeStats MpiShuffle::Stats() const {
  SLUICE_CHECK(finished_, "statistics of exchange #{} before its map stage finished", id_);
  return stats_;
}

std::vector<MpiShuffle::Piece> MpiShuffle::PiecesOf(const ShuffleRead& read) const {
  std::vector<Piece> pieces;
  for (int p = read.first; p < read.end; p++) {
    std::vector<int64_t> held(cluster_->size(), 0);  // rows of p before task t, per rank
    int64_t row = 0;                                 // rows of p before task t, all ranks
    for (int t = 0; t < map_tasks_; t++) {
      const int rank = holder_[t];
      const int64_t n = all_rows_[static_cast<size_t>(t) * partitions_ + p];
      if (rank < 0 || n == 0) continue;
      int64_t lo = row;
      int64_t hi = row + n;
      if (!read.whole()) {
        lo = std::max(lo, read.row_begin);
        if (read.row_end >= 0) hi = std::min(hi, read.row_end);
      }
      if (lo < hi) {
        const int64_t begin = held[rank] + (lo - row);
        const int64_t end = held[rank] + (hi - row);
        if (!pieces.empty() && pieces.back().rank == rank && pieces.back().partition == p &&
            pieces.back().end == begin) {
          pieces.back().end = end;
        } else {
          pieces.push_back({rank, p, begin, end});
        }
      }
      held[rank] += n;
      row += n;
    }
  }
  return pieces;
}

std::unique_ptr<BatchStream> MpiShuffle::Open(const ShuffleRead& read) {
  SLUICE_CHECK(finished_, "exchange #{} read before its map stage finished", id_);
  SLUICE_CHECK(read.first >= 0 && read.first <= read.end && read.end <= partitions_,
               "read of partitions [{}, {}) of {}", read.first, read.end, partitions_);
  std::vector<std::function<std::unique_ptr<BatchStream>()>> opens;
  for (const Piece& piece : PiecesOf(read)) {
    if (piece.rank == cluster_->rank()) {
      opens.push_back([this, piece] {
        return local_.Open(ShuffleRead::Slice(piece.partition, piece.begin, piece.end));
      });
    } else {
      opens.push_back([this, piece] {
        const ShuffleServer::Request request{id_, piece.partition, piece.begin, piece.end, 0};
        return std::make_unique<RemotePieceStream>(cluster_, request, piece.rank, &types_);
      });
    }
  }
  return std::make_unique<PieceConcatStream>(std::move(opens));
}

std::string MpiShuffle::Serve(int partition, int64_t row_begin, int64_t row_end) {
  SLUICE_CHECK(partition >= 0 && partition < partitions_, "partition {} of {}", partition,
               partitions_);
  std::string frames;
  std::string raw;
  auto stream = local_.Open(ShuffleRead::Slice(partition, row_begin, row_end));
  Batch batch;
  int64_t raw_bytes = 0;
  while (stream->Next(&batch)) {
    raw.clear();
    SerializeBatch(batch, &raw);
    raw_bytes += static_cast<int64_t>(raw.size());
    AppendFrame(raw, cluster_->compress_shuffle(), &frames);
  }
  cluster_->CountServed(raw_bytes, static_cast<int64_t>(frames.size()));
  return frames;
}

void MpiShuffle::ReleaseAll() {
  // Another rank may still be reading this rank's output.
  cluster_->Barrier();
  local_.ReleaseAll();
}

std::unique_ptr<Shuffle> MpiShuffleTransport::Create(const ShuffleSpec& spec) {
  return std::make_unique<MpiShuffle>(cluster_, cluster_->server().NextShuffleId(), memory_, temp_,
                                      spec);
}

}  // namespace sluice
