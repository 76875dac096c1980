#include "stream/stream_job.h"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "api/dataframe.h"
#include "api/sql_runner.h"
#include "common/duration.h"
#include "binder/sql_binder.h"
#include "common/error.h"
#include "common/strings.h"
#include "expr/binder.h"
#include "iceberg/table_files.h"
#include "sql/parser.h"
#include "vector/value_rows.h"

namespace sluice::stream {

namespace fs = std::filesystem;

namespace {

constexpr const char* kJobIdKey = "sluice.job-id";
constexpr const char* kCheckpointKey = "sluice.checkpoint-id";

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// The source tables a FROM item reads, and the window table function over one, if any.
struct FromScan {
  std::vector<std::string> tables;
  const sql::TableRef* window = nullptr;
};

void ScanFrom(const sql::TableRef* ref, FromScan& out) {
  if (ref == nullptr) return;
  switch (ref->kind) {
    case sql::TableRefKind::kBaseTable: out.tables.push_back(ref->name.ToString()); break;
    case sql::TableRefKind::kTableFunction:
      if (SqlBinder::IsWindowTvf(*ref) && !ref->args.empty() && ref->arg_names[0] == "table") {
        out.tables.push_back(Join(ref->args[0]->As<sql::ColumnRefExpr>().parts, "."));
        out.window = ref;
      }
      break;
    case sql::TableRefKind::kSubquery:
      if (ref->query->kind == sql::QueryKind::kSelect) {
        ScanFrom(ref->query->As<sql::SelectNode>().from.get(), out);
      }
      break;
    case sql::TableRefKind::kJoin:
      ScanFrom(ref->left.get(), out);
      ScanFrom(ref->right.get(), out);
      break;
    case sql::TableRefKind::kPivot:
    case sql::TableRefKind::kUnpivot: ScanFrom(ref->left.get(), out); break;
    case sql::TableRefKind::kFilePath: break;
  }
}

bool HasAggregate(const LogicalPlan& plan) {
  if (plan.kind == LogicalKind::kAggregate) return true;
  for (const auto& child : plan.children) {
    if (HasAggregate(*child)) return true;
  }
  return false;
}

Schema Unqualified(const Schema& schema) {
  Schema out;
  for (Field f : schema.fields()) {
    f.qualifier.clear();
    out.Add(f);
  }
  return out;
}

}  // namespace

int64_t ParseDurationMs(const std::string& text) {
  const std::optional<int64_t> ms = sluice::ParseDurationMs(text, "ms");
  if (!ms) throw InvalidInputError(fmt::format("'{}' is not a duration (10s, 500ms, 2min, 1h)", text));
  return *ms;
}

StreamJob::StreamJob(Session& session, StreamJobOptions options)
    : session_(session), options_(std::move(options)) {}

StreamJob::~StreamJob() = default;

std::string StreamJob::JobDirectory(const std::string& db, const std::string& job_id) {
  return db + "/_streams/" + job_id;
}

void StreamJob::Prepare() {
  const std::string& db = session_.warehouse().root();
  if (db.empty()) throw InvalidInputError("a streaming job needs a warehouse: --db DIR");
  statements_ = sql::ParseScript(options_.job_sql);
  for (const auto& statement : statements_) {
    if (statement->kind == sql::StatementKind::kInsert) {
      if (insert_ != nullptr) throw InvalidInputError("a streaming job has one INSERT");
      insert_ = &statement->As<sql::InsertStatement>();
    } else if (insert_ != nullptr) {
      throw InvalidInputError("a streaming job's INSERT comes last");
    } else {
      // A job declares its source each time it starts (as Flink jobs do): the declaration
      // replaces the stored one.
      if (statement->kind == sql::StatementKind::kCreateTable) {
        auto& create = statement->As<sql::CreateTableStatement>();
        if (!create.with_options.empty() && !create.if_not_exists) create.or_replace = true;
      }
      RunSqlScript(session_, statement->ToString());
    }
  }
  if (insert_ == nullptr || !insert_->query || insert_->query->kind != sql::QueryKind::kSelect) {
    throw InvalidInputError("a streaming job ends with INSERT INTO sink SELECT ... FROM source");
  }
  sink_ = insert_->table.ToString();
  if (options_.job_id.empty()) options_.job_id = ToLower(insert_->table.parts.back());
  FromScan scan;
  ScanFrom(insert_->query->As<sql::SelectNode>().from.get(), scan);
  std::vector<std::string> sources;
  for (const std::string& table : scan.tables) {
    if (session_.FindSource(table) &&
        std::find(sources.begin(), sources.end(), table) == sources.end()) {
      sources.push_back(table);
    }
  }
  if (sources.size() != 1) {
    throw InvalidInputError(fmt::format(
        "a streaming job reads one table over a stream (CREATE TABLE ... WITH ('connector' = "
        "...)); this one reads {}",
        sources.empty() ? "none" : Join(sources, ", ")));
  }
  source_ = *session_.FindSource(sources[0]);
  dead_table_ = sources[0] + "_dead_letter";
  late_table_ = sink_ + "_late";
  if (scan.window != nullptr) {
    SqlBinder binder(session_, options_.job_sql);
    window_ = binder.At(*scan.window, [&] { return binder.BindWindowTvfSpec(*scan.window); });
    windowed_ = true;
    if (window_.kind == WindowTvf::Kind::kSession) {
      throw NotImplementedError("SESSION windows in streaming jobs are not built yet");
    }
    if (source_.watermark_column.empty() ||
        ToLower(source_.watermark_column) != ToLower(window_.time_column)) {
      throw InvalidInputError(fmt::format(
          "the window's time column {} must be the source's WATERMARK column{}",
          window_.time_column,
          source_.watermark_column.empty() ? " (the source declares none)"
                                           : " (" + source_.watermark_column + ")"));
    }
  }
  if (!source_.watermark_column.empty()) time_index_ = source_.schema.Find(source_.watermark_column);
  decoder_ = std::make_unique<RecordDecoder>(source_.schema, source_.Option("format", "json"));
  reader_ = OpenStreamSource(source_);
  idle_timeout_ms_ = options_.idle_timeout_ms;
  if (idle_timeout_ms_ < 0 && !source_.Option("scan.idle-timeout").empty()) {
    idle_timeout_ms_ = ParseDurationMs(source_.Option("scan.idle-timeout"));
  }
  directory_ = JobDirectory(db, options_.job_id);
  fs::create_directories(directory_);
  checkpoints_ = std::make_unique<CheckpointStore>(directory_);

  late_schema_ = source_.schema;
  for (const char* name : {"partition", "offset", "raw", "error"}) {
    dead_schema_.Add(Field{name, LogicalType(TypeId::kVarchar), true, ""});
  }
  // The sink takes the query's columns when the job creates it.
  const LogicalPlanPtr plan = [&] {
    session_.RegisterView(source_.name, DataFrame(&session_, MakeValues(source_.schema, {})), true);
    SqlBinder binder(session_, options_.job_sql);
    return binder.BindQuery(*insert_->query);
  }();
  if (!windowed_) {
    ranked_ = RankedQuery::Analyze(insert_->query->As<sql::SelectNode>(), *plan, source_);
  }
  if (!windowed_ && HasAggregate(*plan)) {
    throw NotImplementedError(
        "a streaming aggregate without a window (a changelog of updates) is not built yet: "
        "group by window_start, window_end of TUMBLE, HOP or CUMULATE");
  }
  const bool fixed_length = window_.kind != WindowTvf::Kind::kCumulate;
  if (windowed_ && plan->schema.Find("window_end") < 0 &&
      !(fixed_length && plan->schema.Find("window_start") >= 0)) {
    throw InvalidInputError("a windowed streaming job selects window_end (or, for TUMBLE and "
                            "HOP, window_start), which says when a result is complete");
  }
  EnsureTable(sink_, Unqualified(plan->schema));
  sink_schema_ = session_.FindStore(sink_)->Current().schema;
  if (sink_schema_.size() != plan->schema.size()) {
    throw InvalidInputError(fmt::format("table {} has {} columns but the job's query returns {}",
                                        sink_, sink_schema_.size(), plan->schema.size()));
  }
}

void StreamJob::EnsureTable(const std::string& name, const Schema& schema) {
  if (session_.IsTable(name)) return;
  session_.CreateTable(name, DataFrame(&session_, MakeValues(schema, {})));
}

void StreamJob::Restore() {
  if (std::optional<Checkpoint> cp = checkpoints_->Load()) {
    state_ = std::move(*cp);
    stats_.checkpoint_id = state_.id;
    // A crash between the checkpoint and its commits: commit what is missing now.
    CommitPending();
    state_.pending.clear();
  }
  started_ms_ = NowMs();
}

int64_t StreamJob::Watermark(int64_t now_ms) const {
  int64_t low = INT64_MAX;
  int64_t idle_high = INT64_MIN;
  bool active = false;
  for (const auto& [partition, offset] : state_.offsets) {
    auto it = state_.max_event_time.find(partition);
    const int64_t mark = it == state_.max_event_time.end() || it->second == INT64_MIN
                             ? INT64_MIN
                             : it->second - source_.watermark_delay_us;
    auto seen = last_seen_ms_.find(partition);
    const int64_t since = seen == last_seen_ms_.end() ? started_ms_ : seen->second;
    if (idle_timeout_ms_ > 0 && now_ms - since > idle_timeout_ms_) {
      idle_high = std::max(idle_high, mark);
      continue;
    }
    active = true;
    low = std::min(low, mark);
  }
  // Every partition idle: the stream is caught up, so the watermark moves to the furthest
  // partition's (records a lagging partition sends later may then be late).
  if (!active) low = idle_high;
  return std::max(state_.watermark, low);
}

bool StreamJob::Step(bool drained) {
  std::vector<RawRecord> records;
  reader_->Poll(state_.offsets, options_.max_records_per_step, records);
  const int64_t now = NowMs();
  std::vector<std::vector<Value>> fresh, late, dead;
  std::vector<Value> row;
  std::string error;
  for (const RawRecord& r : records) {
    stats_.records++;
    if (!decoder_->Decode(r.payload, row, error)) {
      dead.push_back({Value::Varchar(r.partition), Value::Varchar(r.offset),
                      Value::Varchar(r.payload), Value::Varchar(error)});
      continue;
    }
    if (time_index_ >= 0 && !row[time_index_].is_null()) {
      const int64_t ts = row[time_index_].GetInt();
      if (windowed_ || ranked_) {
        // Late against the watermark as it stood before this record: the same rows are late
        // however the records were split into polls.
        state_.watermark = Watermark(now);
        if ((windowed_ ? window_.LastWindowEnd(ts) : ts) <= state_.watermark) {
          late.push_back(row);
          continue;
        }
      }
      auto [it, inserted] = state_.max_event_time.try_emplace(r.partition, ts);
      if (!inserted) it->second = std::max(it->second, ts);
    } else if (windowed_) {
      continue;  // a NULL time is in no window (as in a batch query of the window function)
    } else if (ranked_) {
      late.push_back(row);  // a row without a time is never final: the side table keeps it
      continue;
    }
    last_seen_ms_[r.partition] = now;
    fresh.push_back(row);
  }
  stats_.dead_letters += static_cast<int64_t>(dead.size());
  stats_.late_rows += static_cast<int64_t>(late.size());
  auto append = [&](const std::string& table, const Schema& schema,
                    const std::vector<std::vector<Value>>& rows) {
    if (rows.empty()) return;
    for (Batch& b : BatchesFromRows(schema, rows)) state_.pending[table].push_back(std::move(b));
  };
  append(dead_table_, dead_schema_, dead);
  append(late_table_, late_schema_, late);
  std::vector<Batch> batches = BatchesFromRows(source_.schema, fresh);
  if (windowed_ || ranked_) {
    for (Batch& b : batches) state_.buffer.push_back(std::move(b));
    state_.watermark = drained ? INT64_MAX : Watermark(now);
    if (state_.watermark > state_.fired_watermark) {
      if (ranked_) {
        FireRanked(state_.watermark);
      } else {
        Fire(state_.watermark);
      }
    }
  } else if (!batches.empty()) {
    auto& pending = state_.pending[sink_];
    for (Batch& b : RunQuery(batches, 0, 0, false)) pending.push_back(std::move(b));
  }
  return !records.empty();
}

void StreamJob::Fire(int64_t watermark) {
  auto& pending = state_.pending[sink_];
  for (Batch& b : RunQuery(state_.buffer, state_.fired_watermark, watermark, true)) {
    pending.push_back(std::move(b));
  }
  state_.fired_watermark = watermark;
  // Rows whose every window has been emitted are no longer needed.
  std::vector<Batch> kept;
  std::vector<uint32_t> keep;
  for (Batch& batch : state_.buffer) {
    const Column& time = *batch.column(static_cast<size_t>(time_index_));
    keep.clear();
    for (size_t r = 0; r < batch.num_rows(); r++) {
      if (window_.LastWindowEnd(time.GetValue(r).GetInt()) > watermark) {
        keep.push_back(static_cast<uint32_t>(r));
      }
    }
    if (keep.size() == batch.num_rows()) {
      kept.push_back(std::move(batch));
    } else if (!keep.empty()) {
      kept.push_back(batch.Gather(keep.data(), keep.size()));
    }
  }
  state_.buffer = std::move(kept);
}

void StreamJob::FireRanked(int64_t watermark) {
  // Rows at or before the watermark are final: their ranks no longer change.
  std::vector<Batch> final_rows, open_rows;
  std::vector<uint32_t> done, open;
  for (Batch& batch : state_.buffer) {
    const Column& time = *batch.column(static_cast<size_t>(time_index_));
    done.clear();
    open.clear();
    for (size_t r = 0; r < batch.num_rows(); r++) {
      (time.GetValue(r).GetInt() <= watermark ? done : open).push_back(static_cast<uint32_t>(r));
    }
    if (!done.empty()) final_rows.push_back(batch.Gather(done.data(), done.size()));
    if (!open.empty()) open_rows.push_back(batch.Gather(open.data(), open.size()));
  }
  auto& pending = state_.pending[sink_];
  for (Batch& b : RunQuery(final_rows, state_.fired_watermark, watermark, true)) {
    pending.push_back(std::move(b));
  }
  state_.fired_watermark = watermark;
  // Of the final rows, the first ranks of each partition decide the ranks of later rows.
  state_.buffer = ranked_->Keep(session_, options_.job_sql, final_rows);
  for (Batch& b : open_rows) state_.buffer.push_back(std::move(b));
}

std::vector<Batch> StreamJob::RunQuery(const std::vector<Batch>& rows, int64_t after,
                                       int64_t upto, bool bounded) {
  if (rows.empty()) return {};
  session_.RegisterView(source_.name, DataFrame(&session_, MakeValues(source_.schema, rows)),
                        true);
  SqlBinder binder(session_, options_.job_sql);
  LogicalPlanPtr plan = binder.BindQuery(*insert_->query);
  if (bounded) {
    // A window is complete when its end is at or below the watermark; a job that selects
    // only window_start (fixed-length windows) has end = start + size. A ranked job's row is
    // final when its time is.
    const int end_index =
        plan->schema.Find(ranked_ ? source_.watermark_column : std::string("window_end"));
    const ExprPtr end =
        end_index >= 0
            ? BoundColumnRef(plan->schema, end_index)
            : Call("+", {BoundColumnRef(plan->schema, plan->schema.Find("window_start")),
                         Call("to_microseconds", {Lit(Value::BigInt(window_.size))})});
    std::vector<ExprPtr> conjuncts;
    if (after != INT64_MIN) conjuncts.push_back(Call(">", {end, Lit(Value::Timestamp(after))}));
    if (upto != INT64_MAX) conjuncts.push_back(Call("<=", {end, Lit(Value::Timestamp(upto))}));
    if (!conjuncts.empty()) plan = MakeFilter(plan, And(conjuncts));
  }
  std::vector<ExprPtr> cast;
  std::vector<SortSpec> order;
  for (size_t c = 0; c < sink_schema_.size(); c++) {
    cast.push_back(Alias(CastIfNeeded(BoundColumnRef(plan->schema, static_cast<int>(c)),
                                      sink_schema_.field(c).type),
                         sink_schema_.field(c).name));
  }
  plan = MakeProject(plan, cast);
  // Sorted by every column: a replay commits the same rows in the same order.
  for (size_t c = 0; c < sink_schema_.size(); c++) {
    order.push_back(SortSpec{BoundColumnRef(plan->schema, static_cast<int>(c)), true, false});
  }
  plan = MakeSort(plan, order);
  std::vector<Batch> out;
  for (Batch& batch : session_.Execute(*plan)) {
    if (batch.num_rows() > 0) out.push_back(std::move(batch));
  }
  return out;
}

int64_t StreamJob::CommittedCheckpoint(const std::string& name) {
  const std::optional<std::string> location = session_.IcebergMetadataLocation(name);
  if (!location) return 0;
  const iceberg::TableMetadata metadata = iceberg::LoadTableMetadata(*location);
  int64_t committed = 0;
  for (const auto& snapshot : metadata.snapshots) {
    auto job = snapshot.summary.find(kJobIdKey);
    auto id = snapshot.summary.find(kCheckpointKey);
    if (job != snapshot.summary.end() && job->second == options_.job_id &&
        id != snapshot.summary.end()) {
      committed = std::max<int64_t>(committed, std::stoll(id->second));
    }
  }
  return committed;
}

void StreamJob::CommitPending() {
  for (const auto& [table, rows] : state_.pending) {
    if (rows.empty()) continue;
    const Schema& schema = table == sink_        ? sink_schema_
                           : table == late_table_ ? late_schema_
                                                  : dead_schema_;
    EnsureTable(table, schema);
    if (CommittedCheckpoint(table) >= state_.id) continue;  // committed before a crash
    std::shared_ptr<TableStore> store = session_.FindStore(table);
    std::unique_ptr<DataWriter> writer = store->BeginAppendWithSummary(
        {{kJobIdKey, options_.job_id}, {kCheckpointKey, std::to_string(state_.id)}});
    std::unique_ptr<DataSink> sink = writer->OpenSink(0);
    int64_t count = 0;
    for (const Batch& batch : rows) {
      sink->Write(batch);
      count += static_cast<int64_t>(batch.num_rows());
    }
    sink->Close();
    writer->Commit();
    if (table == sink_) stats_.rows_out += count;
  }
}

void StreamJob::TakeCheckpoint() {
  state_.id++;
  std::map<std::string, Schema> schemas = {{"", source_.schema},
                                           {sink_, sink_schema_},
                                           {late_table_, late_schema_},
                                           {dead_table_, dead_schema_}};
  checkpoints_->Save(state_, schemas);
  CommitPending();
  state_.pending.clear();
  stats_.checkpoint_id = state_.id;
}

int64_t StreamJob::BufferedRows() const {
  int64_t n = 0;
  for (const Batch& b : state_.buffer) n += static_cast<int64_t>(b.num_rows());
  return n;
}

void StreamJob::WriteStatus(const std::string& state) {
  nlohmann::json doc = {{"job_id", options_.job_id},
                        {"pid", static_cast<int64_t>(getpid())},
                        {"state", state},
                        {"source", source_.name + ": " + reader_->Describe()},
                        {"sink", sink_},
                        {"checkpoint_id", stats_.checkpoint_id},
                        {"watermark", state_.watermark == INT64_MIN || state_.watermark == INT64_MAX
                                          ? nlohmann::json(nullptr)
                                          : nlohmann::json(Value::Timestamp(state_.watermark).ToString())},
                        {"records", stats_.records},
                        {"rows_out", stats_.rows_out},
                        {"late_rows", stats_.late_rows},
                        {"dead_letters", stats_.dead_letters},
                        {"buffered_rows", BufferedRows()},
                        {"offsets", state_.offsets}};
  WriteFileAtomically(directory_ + "/status.json", doc.dump(2) + "\n");
}

StreamJobStats StreamJob::Run() {
  Prepare();
  Restore();
  WriteStatus("running");
  const std::string stop_file = directory_ + "/STOP";
  int64_t last_checkpoint = NowMs();
  bool stopped = false;
  try {
    while (true) {
      if (stop_ || fs::exists(stop_file)) {
        stopped = true;
        break;
      }
      const bool got = Step(false);
      if (options_.until_idle && !got) {
        // Drained: the end of a bounded replay moves the watermark to +infinity.
        if (windowed_ || ranked_) Step(true);
        break;
      }
      if (NowMs() - last_checkpoint >= options_.checkpoint_interval_ms) {
        TakeCheckpoint();
        WriteStatus("running");
        last_checkpoint = NowMs();
      }
      if (!got) std::this_thread::sleep_for(std::chrono::milliseconds(options_.poll_interval_ms));
    }
    TakeCheckpoint();
  } catch (const std::exception& e) {
    // The last checkpoint stays; a restart resumes from it.
    WriteStatus(std::string("failed: ") + e.what());
    throw;
  }
  std::error_code ec;
  fs::remove(stop_file, ec);
  WriteStatus(stopped ? "stopped" : "finished");
  return stats_;
}

}  // namespace sluice::stream
