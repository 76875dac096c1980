#include "stream/stream_job.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
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

// The name an interval join's rows are bound to while the window over them runs.
constexpr const char* kJoinedView = "_interval_join_rows";

// The source tables a FROM item reads, and the window table function over one, if any.
// (Pointers into the AST: a job's own copies are changed through them.)
struct FromScan {
  std::vector<std::string> tables;
  std::vector<std::string> base_tables;  // the tables read other than through a window
  sql::TableRef* window = nullptr;
  sql::SelectNode* window_input = nullptr;  // the window's input when it is a (subquery)
  // Every window over TABLE t, with t's name.
  std::vector<std::pair<sql::TableRef*, std::string>> table_windows;
};

void ScanFrom(sql::TableRef* ref, FromScan& out) {
  if (ref == nullptr) return;
  switch (ref->kind) {
    case sql::TableRefKind::kBaseTable:
      out.tables.push_back(ref->name.ToString());
      out.base_tables.push_back(ref->name.ToString());
      break;
    case sql::TableRefKind::kTableFunction:
      if (!SqlBinder::IsWindowTvf(*ref) || ref->args.empty()) break;
      if (ref->arg_names[0] == "table") {
        out.tables.push_back(Join(ref->args[0]->As<sql::ColumnRefExpr>().parts, "."));
        out.table_windows.emplace_back(ref, out.tables.back());
        out.window = ref;
      } else if (ref->args[0]->kind == sql::ExprKind::kSubquery &&
                 ref->args[0]->As<sql::SubqueryExpr>().query->kind == sql::QueryKind::kSelect) {
        out.window_input = &ref->args[0]->As<sql::SubqueryExpr>().query->As<sql::SelectNode>();
        ScanFrom(out.window_input->from.get(), out);
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

bool HasKind(const LogicalPlan& plan, LogicalKind kind) {
  if (plan.kind == kind) return true;
  for (const auto& child : plan.children) {
    if (HasKind(*child, kind)) return true;
  }
  return false;
}

}  // namespace

std::vector<Batch> StreamJob::RowsWhere(const std::vector<Batch>& batches, int time_index,
                                        const std::function<bool(int64_t)>& keep) {
  std::vector<Batch> out;
  std::vector<uint32_t> selected;
  for (const Batch& batch : batches) {
    const Column& time = *batch.column(static_cast<size_t>(time_index));
    selected.clear();
    for (size_t r = 0; r < batch.num_rows(); r++) {
      const Value v = time.GetValue(r);
      if (!v.is_null() && keep(v.GetInt())) selected.push_back(static_cast<uint32_t>(r));
    }
    if (selected.size() == batch.num_rows()) {
      out.push_back(batch);
    } else if (!selected.empty()) {
      out.push_back(batch.Gather(selected.data(), selected.size()));
    }
  }
  return out;
}

namespace {

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
  if (prepared_) return;
  prepared_ = true;
  const std::string& db = session_.warehouse().local_root();
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
  const auto& select = insert_->query->As<sql::SelectNode>();
  FromScan scan;
  ScanFrom(select.from.get(), scan);
  std::vector<std::string> names;
  std::map<std::string, SourceDefinition> definitions;  // by lower-case name
  for (const std::string& table : scan.tables) {
    if (std::optional<SourceDefinition> def = session_.FindSource(table)) {
      if (definitions.emplace(ToLower(table), *def).second) names.push_back(table);
    }
  }
  if (names.empty() || names.size() > 2) {
    throw InvalidInputError(fmt::format(
        "a streaming job reads one table over a stream (CREATE TABLE ... WITH ('connector' = "
        "...)), or two joined by an interval join or on their windows; this one reads {}",
        names.empty() ? "none" : Join(names, ", ")));
  }
  // Two sources read only through windows of one shape (Nexmark q8: windowed aggregates of
  // each, joined on their windows): a window is complete for both when the watermark, the
  // lower of the two, passes its end, so the job runs as a windowed job of one source does.
  bool window_join = names.size() == 2 && scan.window_input == nullptr;
  for (const std::string& table : scan.base_tables) {
    window_join = window_join && definitions.count(ToLower(table)) == 0;
  }
  if (window_join) {
    // Checked below, once the sources are known: every window has the job's shape.
  } else if (names.size() == 2) {
    // The streams are joined in the job's SELECT, or in the (query) its window reads.
    SqlBinder binder(session_, options_.job_sql);
    join_ = IntervalJoin::Analyze(scan.window_input ? *scan.window_input : select, definitions,
                                  binder);
    names = {join_->left_source, join_->right_source};
  } else if (scan.window_input != nullptr) {
    throw NotImplementedError("a streaming window over a (query) of one stream is not built "
                              "yet: TUMBLE(TABLE source, ...)");
  }
  for (const char* name : {"partition", "offset", "raw", "error"}) {
    dead_schema_.Add(Field{name, LogicalType(TypeId::kVarchar), true, ""});
  }
  PrepareSources(names);
  const SourceDefinition& first = sources_[0].def;
  if (scan.window != nullptr) {
    SqlBinder binder(session_, options_.job_sql);
    window_ = binder.At(*scan.window, [&] { return binder.BindWindowTvfSpec(*scan.window); });
    windowed_ = true;
    if (window_.kind == WindowTvf::Kind::kSession && join_) {
      throw NotImplementedError("SESSION windows over an interval join are not built yet");
    }
    for (const std::string& key : window_.partition_by) {
      const int index = first.schema.Find(key);
      if (index < 0) {
        throw InvalidInputError(fmt::format("SESSION: PARTITION BY {}: {} has no such column",
                                            key, first.name));
      }
      session_keys_.push_back(index);
    }
    if (window_join) {
      if (window_.kind == WindowTvf::Kind::kSession) {
        throw NotImplementedError("SESSION windows joined across two sources are not built yet");
      }
      for (const auto& [ref, table] : scan.table_windows) {
        const WindowTvf other = binder.At(*ref, [&] { return binder.BindWindowTvfSpec(*ref); });
        if (other.kind != window_.kind || other.size != window_.size ||
            other.step != window_.step || other.offset != window_.offset) {
          throw InvalidInputError(
              "the windows of a job of two sources (a window join) have one shape: the same "
              "function, sizes and offset over each source");
        }
        const SourceDefinition& def = definitions.at(ToLower(table));
        if (ToLower(def.watermark_column) != ToLower(other.time_column)) {
          throw InvalidInputError(fmt::format(
              "the window's time column {} must be {}'s WATERMARK column{}", other.time_column,
              def.name, def.watermark_column.empty() ? " (it declares none)"
                                                     : " (" + def.watermark_column + ")"));
        }
      }
    } else if (join_) {
      PrepareJoinWindow(*scan.window_input);
    } else if (first.watermark_column.empty() ||
               ToLower(first.watermark_column) != ToLower(window_.time_column)) {
      throw InvalidInputError(fmt::format(
          "the window's time column {} must be the source's WATERMARK column{}",
          window_.time_column,
          first.watermark_column.empty() ? " (the source declares none)"
                                         : " (" + first.watermark_column + ")"));
    }
  }
  directory_ = JobDirectory(db, options_.job_id);
  fs::create_directories(directory_);
  checkpoints_ = std::make_unique<CheckpointStore>(directory_);

  lookups_ = std::make_unique<LookupTables>(session_, LookupTables::Find(select.from.get()));
  // The sink takes the query's columns when the job creates it.
  const LogicalPlanPtr plan = BindOver(*insert_->query, Inputs(sources_.size(), nullptr));
  if (join_) {
    // What the join produces (the job's rows, or the input of its window) is each pair once.
    const LogicalPlanPtr pairs =
        windowed_ ? BindOver(*scan.window_input, Inputs(sources_.size(), nullptr)) : plan;
    if (HasKind(*pairs, LogicalKind::kAggregate) || HasKind(*pairs, LogicalKind::kWindow) ||
        HasKind(*pairs, LogicalKind::kDistinct) || HasKind(*pairs, LogicalKind::kLimit)) {
      throw NotImplementedError(
          "an interval join's rows are selected and filtered (then, in a job's window, "
          "aggregated); aggregates, window functions, DISTINCT and LIMIT over the join itself "
          "are not built yet");
    }
    if (windowed_) {
      joined_schema_ = Unqualified(pairs->schema);
      joined_time_index_ = joined_schema_.Find(window_.time_column);
    }
    PrepareJoin();
  } else if (!windowed_) {
    ranked_ = RankedQuery::Analyze(select, *plan, first);
  }
  if (!windowed_ && HasKind(*plan, LogicalKind::kAggregate)) {
    throw NotImplementedError(
        "a streaming aggregate without a window (a changelog of updates) is not built yet: "
        "group by window_start, window_end of TUMBLE, HOP or CUMULATE");
  }
  const bool fixed_length =
      window_.kind == WindowTvf::Kind::kTumble || window_.kind == WindowTvf::Kind::kHop;
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
  table_schemas_[sink_] = sink_schema_;
}

void StreamJob::PrepareSources(const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    Source s;
    s.def = *session_.FindSource(name);
    const std::string base = ToLower(s.def.name.substr(s.def.name.rfind('.') + 1));
    s.dead_table = name + "_dead_letter";
    // Two sources have different columns, so each has its own table of late rows.
    s.late_table = names.size() == 1 ? sink_ + "_late" : sink_ + "_" + base + "_late";
    if (!s.def.watermark_column.empty()) s.time_index = s.def.schema.Find(s.def.watermark_column);
    s.decoder = std::make_unique<RecordDecoder>(s.def.schema, s.def.Option("format", "json"));
    s.reader = OpenStreamSource(s.def);
    s.idle_timeout_ms = options_.idle_timeout_ms;
    if (s.idle_timeout_ms < 0 && !s.def.Option("scan.idle-timeout").empty()) {
      s.idle_timeout_ms = ParseDurationMs(s.def.Option("scan.idle-timeout"));
    }
    table_schemas_[s.late_table] = s.def.schema;
    table_schemas_[s.dead_table] = dead_schema_;
    sources_.push_back(std::move(s));
  }
}

void StreamJob::PrepareJoin() {
  std::map<std::string, SourceDefinition> definitions;
  for (const Source& s : sources_) definitions.emplace(ToLower(s.def.name), s.def);
  // The query producing the joined rows: the job's, or its window's input.
  auto joining = [&](const sql::InsertStatement& insert) -> sql::SelectNode& {
    auto& top = insert.query->As<sql::SelectNode>();
    FromScan scan;
    ScanFrom(top.from.get(), scan);
    return scan.window_input != nullptr ? *scan.window_input : top;
  };
  unmatched_query_ = &joining(*insert_);
  // A second copy of the job whose join is inner finds the new pairs of each step.
  inner_statements_ = sql::ParseScript(options_.job_sql);
  sql::SelectNode& pairs = joining(inner_statements_.back()->As<sql::InsertStatement>());
  IntervalJoin::FindJoin(pairs.from.get(), definitions)->join_type = sql::TableRef::JoinType::kInner;
  pairs_query_ = &pairs;
  if (windowed_) {
    // A third copy windows the joined rows, bound to kJoinedView: TUMBLE(TABLE <them>, ...).
    window_statements_ = sql::ParseScript(options_.job_sql);
    const auto& insert = window_statements_.back()->As<sql::InsertStatement>();
    FromScan scan;
    ScanFrom(insert.query->As<sql::SelectNode>().from.get(), scan);
    auto table = std::make_unique<sql::ColumnRefExpr>();
    table->parts = {kJoinedView};
    scan.window->args[0] = std::move(table);
    scan.window->arg_names[0] = "table";
    window_query_ = insert.query.get();
  }
  const sql::TableRef* refs[2] = {join_->join->left.get(), join_->join->right.get()};
  const std::string aliases[2] = {join_->left_alias, join_->right_alias};
  for (int side = 0; side < 2; side++) {
    if (!(side == 0 ? join_->bounds.left_outer : join_->bounds.right_outer)) continue;
    anti_sql_[side] = fmt::format("SELECT {}.* FROM {} ANTI JOIN {} ON {}",
                                  sql::QuoteIdentifier(aliases[side]), refs[side]->ToString(),
                                  refs[1 - side]->ToString(), join_->join->condition->ToString());
    anti_query_[side] = sql::ParseQuery(anti_sql_[side]);
  }
}

void StreamJob::PrepareJoinWindow(const sql::SelectNode& input) {
  // The window's time is one of the join's time columns, selected by name in its input.
  int side = -1;
  for (const sql::SelectItem& item : input.select_list) {
    if (item.expr->kind != sql::ExprKind::kColumnRef) continue;
    const auto& ref = item.expr->As<sql::ColumnRefExpr>();
    const std::string& name = item.alias.empty() ? ref.parts.back() : item.alias;
    if (ToLower(name) == ToLower(window_.time_column)) side = join_->TimeSide(ref);
  }
  if (side < 0) {
    throw InvalidInputError(fmt::format(
        "the window's time column {} must be one of the interval join's time columns ({}.{} "
        "or {}.{}), selected by name in the window's input",
        window_.time_column, join_->left_alias, join_->left_time, join_->right_alias,
        join_->right_time));
  }
  joined_delay_ = join_->OutputDelay(side);
}

void StreamJob::EnsureTable(const std::string& name, const Schema& schema) {
  if (session_.IsTable(name)) return;
  session_.CreateTable(name, DataFrame(&session_, MakeValues(schema, {})));
}

void StreamJob::Restore() {
  if (std::optional<Checkpoint> cp = checkpoints_->Load()) {
    state_ = std::move(*cp);
    // A checkpoint written before jobs read several sources names its source "".
    auto unnamed = state_.sources.find("");
    if (unnamed != state_.sources.end() && sources_.size() == 1) {
      state_.sources[sources_[0].def.name] = std::move(unnamed->second);
      state_.sources.erase("");
    }
    // A source the job no longer reads (its SQL changed) has nothing to resume.
    std::erase_if(state_.sources, [&](const auto& entry) {
      return std::none_of(sources_.begin(), sources_.end(),
                          [&](const Source& s) { return s.def.name == entry.first; });
    });
    stats_.checkpoint_id = state_.id;
    // A crash between the checkpoint and its commits: commit what is missing now.
    CommitPending();
    state_.pending.clear();
  }
  for (size_t i = 0; i < sources_.size(); i++) StateOf(i);
  started_ms_ = NowMs();
}

int64_t StreamJob::Watermark(int64_t now_ms) const {
  int64_t low = INT64_MAX;
  int64_t idle_high = INT64_MIN;
  bool active = false;
  // `mark` of a partition that last had a record at `since`.
  auto take = [&](int64_t mark, int64_t since, int64_t idle_timeout_ms) {
    if (idle_timeout_ms > 0 && now_ms - since > idle_timeout_ms) {
      idle_high = std::max(idle_high, mark);
      return;
    }
    active = true;
    low = std::min(low, mark);
  };
  for (const Source& source : sources_) {
    const SourceCheckpoint& state = state_.sources.at(source.def.name);
    // A source with no partition yet holds the watermark back (Flink's rule: an input
    // without a watermark yet), unless it stays idle.
    if (state.offsets.empty()) take(INT64_MIN, started_ms_, source.idle_timeout_ms);
    for (const auto& [partition, offset] : state.offsets) {
      auto it = state.max_event_time.find(partition);
      const int64_t mark = it == state.max_event_time.end() || it->second == INT64_MIN
                               ? INT64_MIN
                               : it->second - source.def.watermark_delay_us;
      auto seen = source.last_seen_ms.find(partition);
      take(mark, seen == source.last_seen_ms.end() ? started_ms_ : seen->second,
           source.idle_timeout_ms);
    }
  }
  // Every partition idle: the streams are caught up, so the watermark moves to the furthest
  // partition's (records a lagging partition sends later may then be late).
  if (!active) low = idle_high;
  return std::max(state_.watermark, low);
}

bool StreamJob::Step(bool drained) {
  // Every source is polled before any record is judged, so that a source's new partitions
  // (with no time yet) hold the watermark back while the others' records are read.
  std::vector<std::vector<RawRecord>> records(sources_.size());
  bool got = false;
  for (size_t i = 0; i < sources_.size(); i++) {
    sources_[i].reader->Poll(StateOf(i).offsets, options_.max_records_per_step, records[i]);
    got = got || !records[i].empty();
  }
  const int64_t now = NowMs();
  std::vector<std::vector<Batch>> fresh(sources_.size());
  for (size_t i = 0; i < sources_.size(); i++) fresh[i] = Ingest(i, records[i], now);
  if (join_) {
    StepJoin(fresh, drained, now);
  } else if (windowed_ || ranked_) {
    for (size_t i = 0; i < sources_.size(); i++) {
      for (Batch& b : fresh[i]) StateOf(i).buffer.push_back(std::move(b));
    }
    state_.watermark = drained ? INT64_MAX : Watermark(now);
    if (state_.watermark > state_.fired_watermark) {
      if (ranked_) {
        FireRanked(state_.watermark);
      } else {
        Fire(state_.watermark);
      }
    }
  } else if (!fresh[0].empty()) {
    auto& pending = state_.pending[sink_];
    for (Batch& b : RunQuery(fresh[0], 0, 0, false)) pending.push_back(std::move(b));
  }
  return got;
}

std::vector<Batch> StreamJob::Ingest(size_t i, const std::vector<RawRecord>& records,
                                     int64_t now) {
  Source& source = sources_[i];
  SourceCheckpoint& state = StateOf(i);
  // Rows are judged late by their time (windowed: their last window's end) against the
  // watermark: a ranked job's row, or an interval join's, at or before it could miss rows
  // already emitted or dropped from the state.
  const bool judged = windowed_ || ranked_ || join_;
  const bool by_window = windowed_ && !join_;  // a join's window reads the joined rows
  std::vector<std::vector<Value>> fresh, late, dead;
  std::vector<Value> row;
  std::string error;
  for (const RawRecord& r : records) {
    stats_.records++;
    if (!source.decoder->Decode(r.payload, row, error)) {
      dead.push_back({Value::Varchar(r.partition), Value::Varchar(r.offset),
                      Value::Varchar(r.payload), Value::Varchar(error)});
      continue;
    }
    if (source.time_index >= 0 && !row[source.time_index].is_null()) {
      const int64_t ts = row[source.time_index].GetInt();
      if (judged) {
        // Late against the watermark as it stood before this record: the same rows are late
        // however the records were split into polls.
        state_.watermark = Watermark(now);
        // A SESSION row is late by its own time: a row after the watermark cannot reach a
        // session that ended at or before it (a gap separates them), so emitted sessions
        // never change.
        const bool by_end = by_window && window_.kind != WindowTvf::Kind::kSession;
        if ((by_end ? window_.LastWindowEnd(ts) : ts) <= state_.watermark) {
          late.push_back(row);
          continue;
        }
      }
      auto [it, inserted] = state.max_event_time.try_emplace(r.partition, ts);
      if (!inserted) it->second = std::max(it->second, ts);
    } else if (by_window) {
      continue;  // a NULL time is in no window (as in a batch query of the window function)
    } else if (judged) {
      late.push_back(row);  // a row without a time is never final: the side table keeps it
      continue;
    }
    source.last_seen_ms[r.partition] = now;
    fresh.push_back(row);
  }
  stats_.dead_letters += static_cast<int64_t>(dead.size());
  stats_.late_rows += static_cast<int64_t>(late.size());
  auto append = [&](const std::string& table, const Schema& schema,
                    const std::vector<std::vector<Value>>& rows) {
    if (rows.empty()) return;
    for (Batch& b : BatchesFromRows(schema, rows)) state_.pending[table].push_back(std::move(b));
  };
  append(source.dead_table, dead_schema_, dead);
  append(source.late_table, source.def.schema, late);
  return BatchesFromRows(source.def.schema, fresh);
}

void StreamJob::Fire(int64_t watermark) {
  auto& pending = state_.pending[sink_];
  Inputs inputs;
  for (size_t i = 0; i < sources_.size(); i++) inputs.push_back(&StateOf(i).buffer);
  for (Batch& b : RunQuery(*insert_->query, inputs, state_.fired_watermark, watermark, true)) {
    pending.push_back(std::move(b));
  }
  state_.fired_watermark = watermark;
  if (window_.kind == WindowTvf::Kind::kSession) {
    StateOf(0).buffer = OpenSessionRows(StateOf(0).buffer, watermark);
    return;
  }
  // Rows whose every window has been emitted are no longer needed.
  for (size_t i = 0; i < sources_.size(); i++) {
    StateOf(i).buffer = RowsWhere(StateOf(i).buffer, sources_[i].time_index, [&](int64_t ts) {
      return window_.LastWindowEnd(ts) > watermark;
    });
  }
}

std::vector<Batch> StreamJob::OpenSessionRows(const std::vector<Batch>& buffer,
                                              int64_t watermark) const {
  // Sessions are found as the batch SESSION finds them: per key, by time, a row more than
  // the gap after the previous one starts a new session, which ends gap after its last row.
  struct Row {
    std::string key;
    int64_t ts;
    uint32_t batch, row;
  };
  const int time_index = sources_[0].time_index;
  std::vector<Row> rows;
  for (size_t b = 0; b < buffer.size(); b++) {
    const Batch& batch = buffer[b];
    for (size_t r = 0; r < batch.num_rows(); r++) {
      const Value ts = batch.column(static_cast<size_t>(time_index))->GetValue(r);
      if (ts.is_null()) continue;
      std::string key;
      for (int k : session_keys_) {
        const Value v = batch.column(static_cast<size_t>(k))->GetValue(r);
        key += v.is_null() ? std::string("\x01") : "\x02" + v.ToString();
        key.push_back('\0');
      }
      rows.push_back(Row{std::move(key), ts.GetInt(), static_cast<uint32_t>(b),
                         static_cast<uint32_t>(r)});
    }
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return a.key != b.key ? a.key < b.key : a.ts < b.ts;
  });
  std::vector<std::vector<uint32_t>> kept(buffer.size());
  for (size_t i = 0; i < rows.size();) {
    size_t j = i;
    while (j + 1 < rows.size() && rows[j + 1].key == rows[i].key &&
           rows[j + 1].ts - rows[j].ts <= window_.size) {
      j++;
    }
    if (rows[j].ts + window_.size > watermark) {  // the session is still open
      for (size_t t = i; t <= j; t++) kept[rows[t].batch].push_back(rows[t].row);
    }
    i = j + 1;
  }
  std::vector<Batch> out;
  for (size_t b = 0; b < buffer.size(); b++) {
    std::vector<uint32_t>& sel = kept[b];
    if (sel.empty()) continue;
    std::sort(sel.begin(), sel.end());  // the rows in their arrival order
    out.push_back(sel.size() == buffer[b].num_rows() ? buffer[b]
                                                      : buffer[b].Gather(sel.data(), sel.size()));
  }
  return out;
}

void StreamJob::FireRanked(int64_t watermark) {
  // Rows at or before the watermark are final: their ranks no longer change.
  std::vector<Batch>& buffer = StateOf(0).buffer;
  const int time_index = sources_[0].time_index;
  std::vector<Batch> final_rows =
      RowsWhere(buffer, time_index, [&](int64_t ts) { return ts <= watermark; });
  std::vector<Batch> open_rows =
      RowsWhere(buffer, time_index, [&](int64_t ts) { return ts > watermark; });
  auto& pending = state_.pending[sink_];
  for (Batch& b : RunQuery(final_rows, state_.fired_watermark, watermark, true)) {
    pending.push_back(std::move(b));
  }
  state_.fired_watermark = watermark;
  // Of the final rows, the first ranks of each partition decide the ranks of later rows.
  buffer = ranked_->Keep(session_, options_.job_sql, final_rows);
  for (Batch& b : open_rows) buffer.push_back(std::move(b));
}

LogicalPlanPtr StreamJob::BindOver(const sql::QueryNode& query, const Inputs& inputs) {
  static const std::vector<Batch> kNone;
  lookups_->Refresh();
  for (size_t i = 0; i < sources_.size(); i++) {
    const std::vector<Batch>& rows = inputs[i] != nullptr ? *inputs[i] : kNone;
    session_.RegisterView(sources_[i].def.name,
                          DataFrame(&session_, MakeValues(sources_[i].def.schema, rows)), true);
  }
  if (inputs.size() > sources_.size() && inputs.back() != nullptr) {
    session_.RegisterView(kJoinedView,
                          DataFrame(&session_, MakeValues(joined_schema_, *inputs.back())), true);
  }
  SqlBinder binder(session_, &query == anti_query_[0].get()   ? anti_sql_[0]
                             : &query == anti_query_[1].get() ? anti_sql_[1]
                                                              : options_.job_sql);
  return binder.BindQuery(query);
}

std::vector<Batch> StreamJob::ExecuteOver(const sql::QueryNode& query, const Inputs& inputs) {
  std::vector<Batch> out;
  for (Batch& batch : session_.Execute(*BindOver(query, inputs))) {
    if (batch.num_rows() > 0) out.push_back(std::move(batch));
  }
  return out;
}

std::vector<Batch> StreamJob::RunQuery(const sql::QueryNode& query, const Inputs& inputs,
                                       int64_t after, int64_t upto, bool bounded) {
  bool any = false;
  for (const std::vector<Batch>* rows : inputs) any = any || (rows != nullptr && !rows->empty());
  if (!any) return {};
  LogicalPlanPtr plan = BindOver(query, inputs);
  if (bounded) {
    // A window is complete when its end is at or below the watermark; a job that selects
    // only window_start (fixed-length windows) has end = start + size. A ranked job's row is
    // final when its time is.
    const int end_index = plan->schema.Find(ranked_ ? sources_[0].def.watermark_column
                                                    : std::string("window_end"));
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
    EnsureTable(table, table_schemas_.at(table));
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
  std::map<std::string, Schema> source_schemas;
  for (const Source& s : sources_) source_schemas[s.def.name] = s.def.schema;
  checkpoints_->Save(state_, source_schemas, table_schemas_, joined_schema_);
  CommitPending();
  state_.pending.clear();
  stats_.checkpoint_id = state_.id;
}

int64_t StreamJob::BufferedRows() const {
  int64_t n = 0;
  for (const auto& [name, source] : state_.sources) {
    for (const Batch& b : source.buffer) n += static_cast<int64_t>(b.num_rows());
  }
  return n;
}

void StreamJob::WriteStatus(const std::string& state) {
  std::vector<std::string> described;
  nlohmann::json offsets, buffered = nlohmann::json::object();
  for (const Source& s : sources_) {
    described.push_back(s.def.name + ": " + s.reader->Describe());
    const SourceCheckpoint& st = state_.sources.at(s.def.name);
    int64_t rows = 0;
    for (const Batch& b : st.buffer) rows += static_cast<int64_t>(b.num_rows());
    buffered[s.def.name] = rows;
    // One source: its offsets; several: each source's, by name.
    if (sources_.size() == 1) {
      offsets = st.offsets;
    } else {
      offsets[s.def.name] = st.offsets;
    }
  }
  nlohmann::json doc = {{"job_id", options_.job_id},
                        {"pid", static_cast<int64_t>(getpid())},
                        {"state", state},
                        {"source", Join(described, "; ")},
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
                        {"buffered_rows_by_source", buffered},
                        {"joined_rows", [&] {
                           int64_t n = 0;
                           for (const Batch& b : state_.joined) n += static_cast<int64_t>(b.num_rows());
                           return n;
                         }()},
                        {"offsets", offsets}};
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
        if (windowed_ || ranked_ || join_) Step(true);
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
