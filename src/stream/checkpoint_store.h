#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "stream/stream_source.h"
#include "types/value.h"
#include "vector/batch.h"
#include "vector/schema.h"

namespace sluice::stream {

// Where one source of a job stands: what it has read, and its rows held as state.
struct SourceCheckpoint {
  SourceOffsets offsets;
  std::map<std::string, int64_t> max_event_time;  // per partition, microseconds
  // The source's rows the job still needs (rows of windows still open, rows an interval
  // join may still match): the keyed state, of the source's schema.
  std::vector<Batch> buffer;
};

// What a streaming job needs to resume exactly where a checkpoint left it.
struct Checkpoint {
  int64_t id = 0;  // 0: none yet
  std::map<std::string, SourceCheckpoint> sources;  // by the source table's name
  int64_t fired_watermark = INT64_MIN;  // results complete at or before it were emitted
  int64_t watermark = INT64_MIN;        // the job's watermark (never moves back)
  // An interval join's rows whose windows are still open (a job windowing the join).
  std::vector<Batch> joined;
  // Rows to commit per table name at this checkpoint: committed after the checkpoint is
  // durable, and again after a restart unless the table's snapshots record the id.
  std::map<std::string, std::vector<Batch>> pending;
};

// The checkpoints of one job under DIR/_streams/<job>/: checkpoint.json names the latest,
// whose rows sit in Parquet files under cp-<id>/. A checkpoint becomes current by the atomic
// rename of checkpoint.json, after its files are written and synced, so a crash at any
// moment leaves the previous or the new checkpoint whole. Not thread-safe.
class CheckpointStore {
 public:
  explicit CheckpointStore(std::string directory) : directory_(std::move(directory)) {}
  const std::string& directory() const { return directory_; }

  // `source_schemas` gives the schema of each source's buffer, `table_schemas` that of each
  // pending table, `joined_schema` that of the joined rows.
  void Save(const Checkpoint& checkpoint, const std::map<std::string, Schema>& source_schemas,
            const std::map<std::string, Schema>& table_schemas,
            const Schema& joined_schema = Schema());
  // The latest checkpoint, or nullopt when the job never completed one. Throws IOError for
  // unreadable files, naming them. A checkpoint of a single-source job written before jobs
  // read several sources comes back with its source under the name "".
  std::optional<Checkpoint> Load() const;

 private:
  std::string directory_;
};

// Writes `text` to `path` through a synced temporary file and an atomic rename.
void WriteFileAtomically(const std::string& path, const std::string& text);

}  // namespace sluice::stream
