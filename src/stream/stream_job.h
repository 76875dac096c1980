#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "api/session.h"
#include "plan/window_tvf.h"
#include "sql/ast.h"
#include "stream/checkpoint_store.h"
#include "stream/ranked_query.h"
#include "stream/record_decoder.h"
#include "stream/stream_source.h"

namespace sluice::stream {

struct StreamJobOptions {
  std::string job_sql;  // the job file: DDL statements, then one INSERT INTO sink SELECT ...
  std::string job_id;   // names DIR/_streams/<job_id>/ and the sink snapshots' summaries
  bool until_idle = false;  // stop once every source is drained (a replay, a test)
  int64_t checkpoint_interval_ms = 10000;
  // A partition with no record for this long leaves the watermark (-1: the source's
  // 'scan.idle-timeout' option, else never).
  int64_t idle_timeout_ms = -1;
  int64_t poll_interval_ms = 100;  // the pause after a poll that found nothing
  size_t max_records_per_step = 100000;
};

// What a run did, for the command's summary line and tests.
struct StreamJobStats {
  int64_t records = 0;       // read from the source
  int64_t rows_out = 0;      // committed to the sink
  int64_t late_rows = 0;     // sent to <sink>_late
  int64_t dead_letters = 0;  // sent to <source>_dead_letter
  int64_t checkpoint_id = 0;
};

// Runs `INSERT INTO sink SELECT ... FROM source | TABLE(TUMBLE(TABLE source, ...)) ...` as
// micro-batches (docs/streaming.md). Each step polls the source, decodes records (bad ones
// become dead letters), advances the watermark (the smallest over the partitions not idle
// of max event time - the declared delay), buffers rows of windows still open, and when
// windows end at or before the watermark runs the batch plan of the job's SELECT over the
// buffered rows, keeping the rows of exactly those windows (sorted, so a replay writes the
// same bytes). A row whose windows have all been emitted goes to <sink>_late. Every
// checkpoint interval the state and offsets are saved (CheckpointStore), then the rows of
// the interval are committed to each table in one Iceberg snapshot whose summary records
// sluice.job-id and sluice.checkpoint-id; a restart restores the last checkpoint and
// commits what the tables do not record yet: every record counts exactly once.
// Not thread-safe; Stop() may be called from any thread (or a signal handler's flag).
class StreamJob {
 public:
  // REQUIRES: `session` has a warehouse (--db) and outlives the job.
  StreamJob(Session& session, StreamJobOptions options);
  ~StreamJob();

  // Runs until stopped (Stop(), the job's stop file) or, with until_idle, drained.
  // Throws UserError for a job it cannot run (no INSERT, no source, a changelog query).
  StreamJobStats Run();
  // Asks Run to take a last checkpoint and return. Thread-safe.
  void Stop() { stop_ = true; }
  // The job's directory under the warehouse.
  static std::string JobDirectory(const std::string& db, const std::string& job_id);

 private:
  struct Partition;
  void Prepare();
  void Restore();
  // One poll of the source; false when it returned nothing.
  bool Step(bool drained);
  void Fire(int64_t watermark);
  // The job's SELECT over `rows` (the source's), cast to the sink's columns and sorted; with
  // `windowed`, only windows ending in (after, upto].
  // The job's query over `rows`; with `bounded`, only the results complete in (after, upto]
  // (window_end, or a ranked job's time column).
  std::vector<Batch> RunQuery(const std::vector<Batch>& rows, int64_t after, int64_t upto,
                              bool bounded);
  void FireRanked(int64_t watermark);
  int64_t Watermark(int64_t now_ms) const;
  void TakeCheckpoint();
  void CommitPending();
  // The largest checkpoint id of this job that table `name`'s snapshots record (0: none).
  int64_t CommittedCheckpoint(const std::string& name);
  void EnsureTable(const std::string& name, const Schema& schema);
  void WriteStatus(const std::string& state);
  int64_t BufferedRows() const;

  Session& session_;
  StreamJobOptions options_;
  std::atomic<bool> stop_ = false;
  std::string directory_;
  std::unique_ptr<CheckpointStore> checkpoints_;
  std::vector<sql::StatementPtr> statements_;
  const sql::InsertStatement* insert_ = nullptr;
  std::string sink_, late_table_, dead_table_;
  SourceDefinition source_;
  std::unique_ptr<StreamSource> reader_;
  std::unique_ptr<RecordDecoder> decoder_;
  bool windowed_ = false;
  WindowTvf window_;
  std::optional<RankedQuery> ranked_;  // a deduplicating or Top-N job (ranked by event time)
  int time_index_ = -1;  // the source's watermark column
  Schema sink_schema_, late_schema_, dead_schema_;
  Checkpoint state_;  // offsets, event times, buffer and pending rows since the last checkpoint
  std::map<std::string, int64_t> last_seen_ms_;  // per partition: when it last had a record
  int64_t started_ms_ = 0;
  int64_t idle_timeout_ms_ = -1;
  StreamJobStats stats_;
};

// "10s", "500ms", "2min", "1h" or a number of milliseconds. Throws InvalidInputError.
int64_t ParseDurationMs(const std::string& text);

}  // namespace sluice::stream
