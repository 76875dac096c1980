#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "api/session.h"
#include "plan/window_tvf.h"
#include "sql/ast.h"
#include "stream/checkpoint_store.h"
#include "stream/interval_join.h"
#include "stream/lookup_tables.h"
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

// Runs `INSERT INTO sink SELECT ... FROM source | TABLE(TUMBLE(TABLE source, ...)) ...`, or an
// interval join of two sources, as micro-batches (docs/streaming.md). Each step polls every
// source, decodes records (bad ones become dead letters), advances the watermark (the
// smallest, over the partitions of every source that are not idle, of max event time - the
// source's declared delay: Flink's minimum over an operator's inputs), buffers rows of
// windows still open (an interval join: rows that may still match), and when
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

  // Reads the job: declares its sources, checks its query, creates its sink. Run() does it
  // first when not done. Throws UserError for a job it cannot run (no INSERT, no source, a
  // changelog query).
  void Prepare();
  // Runs until stopped (Stop(), the job's stop file) or, with until_idle, drained.
  // Throws UserError for a job it cannot run (no INSERT, no source, a changelog query).
  StreamJobStats Run();
  // The job's id (StreamJobOptions::job_id, else the sink's name once prepared).
  const std::string& job_id() const { return options_.job_id; }
  // Asks Run to take a last checkpoint and return. Thread-safe.
  void Stop() { stop_ = true; }
  // The job's directory under the warehouse.
  static std::string JobDirectory(const std::string& db, const std::string& job_id);

 private:
  // One table over a stream that the job reads, and its runtime state outside checkpoints.
  struct Source {
    SourceDefinition def;
    std::unique_ptr<StreamSource> reader;
    std::unique_ptr<RecordDecoder> decoder;
    int time_index = -1;  // the WATERMARK column, or -1
    int64_t idle_timeout_ms = -1;
    std::string late_table;  // <sink>_late, or <sink>_<source>_late in a job of two sources
    std::string dead_table;  // <source>_dead_letter
    std::map<std::string, int64_t> last_seen_ms;  // per partition: when it last had a record
  };
  // Rows bound to each source's name while a query runs, parallel to sources_ (null: none),
  // then, for a job windowing an interval join, the join's rows.
  using Inputs = std::vector<const std::vector<Batch>*>;

  void PrepareSources(const std::vector<std::string>& names);
  void PrepareJoin();
  // A window over the join's rows: TUMBLE((SELECT ... FROM a JOIN b ...), DESCRIPTOR(t), ...).
  void PrepareJoinWindow(const sql::SelectNode& input);
  void Restore();
  // One poll of every source; false when none returned anything.
  bool Step(bool drained);
  // Decodes source `i`'s records: dead letters and late rows go to pending, the other rows
  // are returned.
  std::vector<Batch> Ingest(size_t i, const std::vector<RawRecord>& records, int64_t now);
  void Fire(int64_t watermark);
  // SESSION: the rows of `buffer` whose session (per the window's PARTITION BY keys) ends
  // after `watermark`, kept whole; the rows of sessions already emitted are dropped.
  std::vector<Batch> OpenSessionRows(const std::vector<Batch>& buffer, int64_t watermark) const;
  void FireRanked(int64_t watermark);
  // An interval join's step (stream_job_join.cpp): the new rows of each side meet the other
  // side's rows, unmatched rows of an outer join are emitted once they expire, and rows that
  // can no longer match leave the state.
  void StepJoin(std::vector<std::vector<Batch>>& fresh, bool drained, int64_t now);
  // Emits the windows over the join's rows that the inputs' watermark moving from `before`
  // to `watermark` completed, and drops the rows no open window needs.
  void FireJoined(int64_t before, int64_t watermark);
  // Of `side`'s (0 left, 1 right) `rows`, those no row of `other` matches.
  std::vector<Batch> Unmatched(int side, const std::vector<Batch>& rows,
                               const std::vector<Batch>& other);
  // `query` bound over `inputs` (each source's name bound to its rows).
  LogicalPlanPtr BindOver(const sql::QueryNode& query, const Inputs& inputs);
  // The rows of `query` over `inputs`, as its plan returns them.
  std::vector<Batch> ExecuteOver(const sql::QueryNode& query, const Inputs& inputs);
  // The job's query over `inputs`, cast to the sink's columns and sorted; with `bounded`, only
  // the results complete in (after, upto] (window_end, or a ranked job's time column).
  std::vector<Batch> RunQuery(const sql::QueryNode& query, const Inputs& inputs, int64_t after,
                              int64_t upto, bool bounded);
  // The job's query over `rows` of its only source.
  std::vector<Batch> RunQuery(const std::vector<Batch>& rows, int64_t after, int64_t upto,
                              bool bounded) {
    return RunQuery(*insert_->query, {&rows}, after, upto, bounded);
  }
  int64_t Watermark(int64_t now_ms) const;
  // The rows of `batches` whose time (column `time_index`) is not NULL and `keep` accepts.
  static std::vector<Batch> RowsWhere(const std::vector<Batch>& batches, int time_index,
                                      const std::function<bool(int64_t)>& keep);
  SourceCheckpoint& StateOf(size_t i) { return state_.sources[sources_[i].def.name]; }
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
  std::string sink_;
  std::vector<Source> sources_;
  // A job of two sources joins them (sources_[0] is the join's left side).
  std::optional<IntervalJoin> join_;
  // The job parsed again with the interval join made inner: new pairs are found with it, and
  // an outer join's unmatched rows are added when they expire.
  std::vector<sql::StatementPtr> inner_statements_;
  const sql::QueryNode* pairs_query_ = nullptr;
  // The query of the joined rows as written (outer): unmatched rows go through it.
  const sql::QueryNode* unmatched_query_ = nullptr;
  // A job windowing the join: its query with the window reading kJoinedView, the joined
  // rows' columns, the window's time among them, and how far it trails the watermark.
  std::vector<sql::StatementPtr> window_statements_;
  const sql::QueryNode* window_query_ = nullptr;
  Schema joined_schema_;
  int joined_time_index_ = -1;
  int64_t joined_delay_ = 0;
  // Per side: SELECT side.* FROM side ANTI JOIN other ON <the join's condition>.
  sql::QueryPtr anti_query_[2];
  std::string anti_sql_[2];
  std::unique_ptr<LookupTables> lookups_;  // the tables of temporal joins
  bool windowed_ = false;
  WindowTvf window_;
  std::vector<int> session_keys_;  // SESSION: the PARTITION BY columns in the source
  std::optional<RankedQuery> ranked_;  // a deduplicating or Top-N job (ranked by event time)
  Schema sink_schema_, dead_schema_;
  std::map<std::string, Schema> table_schemas_;  // of every table the job commits to
  bool prepared_ = false;
  Checkpoint state_;  // offsets, event times, buffers and pending rows since the last checkpoint
  int64_t started_ms_ = 0;
  StreamJobStats stats_;
};

// "10s", "500ms", "2min", "1h" or a number of milliseconds. Throws InvalidInputError.
int64_t ParseDurationMs(const std::string& text);

}  // namespace sluice::stream
