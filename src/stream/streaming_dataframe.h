#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/session.h"
#include "catalog/source_definition.h"
#include "expr/expr.h"
#include "plan/window_tvf.h"
#include "stream/stream_job.h"
#include "stream/stream_source.h"

namespace sluice::stream {

class DataStreamWriter;
class StreamingGroupedData;

// Spark Structured Streaming's shape over Sluice's streaming jobs (docs/streaming.md):
//
//   StreamingDataFrame bids = ReadStream(session).Table("bids");   // a declared source
//   StreamingQuery q = bids.WithWatermark("ts", "5 seconds")
//                          .Tumble("ts", "10 seconds")
//                          .GroupBy({Col("window_start"), Col("window_end"), Col("auction")})
//                          .Agg({Alias(CountStar(), "bids")})
//                          .WriteStream().Trigger(Trigger::kAvailableNow).ToTable("counts");
//   q.AwaitTermination();
//
// A streaming DataFrame is the job's SQL, built step by step from the same expressions as
// the batch DataFrame (Sql() shows it); ToTable runs it as `sluice stream run` does, so
// windows, watermarks, late rows, dead letters, checkpoints and exactly-once commits are the
// SQL job's. A window applies to the source's rows: row-level steps written before it
// (Filter, Select, WithColumn) are applied after it, which gives the same rows (the window
// of a row depends only on its time). Values; cheap to copy.
class StreamingDataFrame {
 public:
  StreamingDataFrame Select(const std::vector<ExprPtr>& exprs) const;
  StreamingDataFrame Select(const std::vector<std::string>& names) const;
  StreamingDataFrame Filter(const ExprPtr& predicate) const;
  StreamingDataFrame Where(const ExprPtr& predicate) const { return Filter(predicate); }
  StreamingDataFrame WithColumn(const std::string& name, const ExprPtr& expr) const;
  // Spark's withWatermark: rows whose windows ended more than `delay` ("5 seconds",
  // "500 ms") before the latest `column` seen are late. `column` is a TIMESTAMP column of
  // the source; the job declares the source with this watermark.
  StreamingDataFrame WithWatermark(const std::string& column, const std::string& delay) const;
  // The window table functions over the source's rows (window_start, window_end and
  // window_time added), on its watermark column `time`; durations as in WithWatermark.
  StreamingDataFrame Tumble(const std::string& time, const std::string& size) const;
  StreamingDataFrame Hop(const std::string& time, const std::string& slide,
                         const std::string& size) const;
  StreamingDataFrame Cumulate(const std::string& time, const std::string& step,
                              const std::string& max_size) const;
  StreamingDataFrame SessionWindow(const std::string& time, const std::string& gap,
                                   const std::vector<std::string>& keys = {}) const;
  StreamingGroupedData GroupBy(const std::vector<ExprPtr>& keys) const;
  StreamingGroupedData GroupBy(const std::vector<std::string>& names) const;

  // The job's query: SELECT ... FROM <source> | TABLE(<window>(TABLE <source>, ...)) ...
  std::string Sql() const;
  const std::string& source() const { return def_.name; }
  DataStreamWriter WriteStream() const;

 private:
  friend class StreamReader;
  friend class StreamingGroupedData;
  friend class DataStreamWriter;
  StreamingDataFrame(sluice::Session* session, SourceDefinition def)
      : session_(session), def_(std::move(def)) {}

  // A row-level step, applied in order over the source (or its window).
  struct Step {
    enum class Kind { kSelect, kFilter, kWithColumn, kAggregate };
    Kind kind;
    // The select list; the predicate; the column's expression; the keys, then aggregates.
    std::vector<ExprPtr> exprs;
    std::string name;            // kWithColumn: the column
    size_t keys = 0;             // kAggregate: how many of exprs are keys
    bool before_window = false;  // written before the window (applied after it)
  };
  StreamingDataFrame WithStep(Step step) const;
  StreamingDataFrame WithWindow(const std::string& call) const;

  sluice::Session* session_;
  SourceDefinition def_;           // as the job declares it (WithWatermark may change it)
  bool watermark_changed_ = false;
  std::string window_;             // "TUMBLE(TABLE src, DESCRIPTOR(ts), ...)" or empty
  std::vector<Step> steps_;        // applied in order over the source (or its window)
};

// GroupBy(...).Agg(...): aggregates per key; keys and aggregates are the output columns.
class StreamingGroupedData {
 public:
  StreamingDataFrame Agg(const std::vector<ExprPtr>& aggregates) const;

 private:
  friend class StreamingDataFrame;
  StreamingGroupedData(StreamingDataFrame input, std::vector<ExprPtr> keys)
      : input_(std::move(input)), keys_(std::move(keys)) {}
  StreamingDataFrame input_;
  std::vector<ExprPtr> keys_;
};

// Spark's DataStreamReader: Table(name) reads a source declared with CREATE TABLE ... WITH
// (connector); Format/Option/Schema/Watermark then Load(name) declare one (in the session's
// warehouse) and read it.
class StreamReader {
 public:
  // Registers the stream connectors (filesystem, kafka, redis-stream, nexmark) if needed.
  explicit StreamReader(sluice::Session& session);
  // Throws InvalidInputError when `name` is not a table over a stream.
  StreamingDataFrame Table(const std::string& name) const;
  StreamReader& Format(std::string connector);  // 'connector' = ...: filesystem, kafka, ...
  StreamReader& Option(std::string key, std::string value);
  StreamReader& Schema(sluice::Schema schema);
  // The source's event time and its delay (its WATERMARK; also WithWatermark later).
  StreamReader& Watermark(std::string column, std::string delay);
  // Declares (or replaces) source `name` with the options given, then reads it.
  StreamingDataFrame Load(const std::string& name);

 private:
  sluice::Session* session_;
  SourceDefinition def_;
  std::string format_;
  std::string watermark_delay_;
};

inline StreamReader ReadStream(sluice::Session& session) { return StreamReader(session); }

// The SQL that declares `def`, replacing a source of its name (CREATE OR REPLACE TABLE ...
// (..., WATERMARK ...) WITH (...)).
std::string SourceDdl(const SourceDefinition& def);

enum class Trigger {
  kContinuous,    // run until Stop() (Spark's default micro-batch trigger)
  kAvailableNow,  // process what the sources hold, emit every window, stop (a replay)
};

class StreamingQuery;

// Starts the job file `options.job_sql` (as `sluice stream run` reads it) on a thread of its
// own over a session of its own on `session`'s warehouse; `session` reloads its catalog when
// the job ends. Throws UserError for a job it cannot run, before starting it.
StreamingQuery StartStreamingQuery(sluice::Session& session, StreamJobOptions options);
// The declaration of source `name` of `session`'s warehouse, with its watermark set to
// `column` - `delay_us` when `column` is not empty. Throws InvalidInputError for an unknown
// source or column.
std::string SourceDdl(sluice::Session& session, const std::string& name,
                      const std::string& column = "", int64_t delay_us = 0);

// Spark's DataStreamWriter: how the job runs and where its rows go.
class DataStreamWriter {
 public:
  DataStreamWriter& Trigger(stream::Trigger trigger);
  // The job id (names its state and its snapshots' summaries); default: the sink's name.
  DataStreamWriter& QueryName(std::string name);
  DataStreamWriter& CheckpointInterval(const std::string& interval);  // default 10s
  DataStreamWriter& IdleTimeout(const std::string& timeout);
  // Starts the job writing into warehouse table `table` (created with the query's columns
  // when absent) on a thread of its own, over a session of its own on the same warehouse.
  // Throws UserError when the session has no warehouse; the job's own errors (a query it
  // cannot run) come from AwaitTermination.
  StreamingQuery ToTable(const std::string& table);

 private:
  friend class StreamingDataFrame;
  explicit DataStreamWriter(StreamingDataFrame input) : input_(std::move(input)) {}
  StreamingDataFrame input_;
  StreamJobOptions options_;
};

// A running job. Destroying it stops the job (a last checkpoint) and waits for it.
class StreamingQuery {
 public:
  StreamingQuery(StreamingQuery&&) noexcept;
  StreamingQuery& operator=(StreamingQuery&&) noexcept;
  ~StreamingQuery();

  // Waits for the job to end (a kAvailableNow job ends when drained; a continuous one when
  // stopped) and returns what it did; rethrows the job's error.
  StreamJobStats AwaitTermination();
  // Asks the job to take a last checkpoint and end, and waits for it.
  StreamJobStats Stop();
  const std::string& id() const;
  // The job's status as `sluice stream status` prints it (JSON: state, watermark, records,
  // rows_out, late_rows, buffered_rows, ...), as of its last checkpoint.
  std::string Status() const;
  // The job file run: the source declaration (when changed) and INSERT INTO ... SELECT.
  const std::string& sql() const;

 private:
  friend StreamingQuery StartStreamingQuery(sluice::Session&, StreamJobOptions);
  struct Running;
  explicit StreamingQuery(std::unique_ptr<Running> running);
  std::unique_ptr<Running> running_;
};

}  // namespace sluice::stream
