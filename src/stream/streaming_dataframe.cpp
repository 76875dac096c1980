#include "stream/streaming_dataframe.h"

#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <fstream>
#include <iterator>
#include <thread>

#include "api/sql_runner.h"
#include "common/duration.h"
#include "common/error.h"
#include "common/strings.h"
#include "expr/expr_sql.h"
#include "sql/ast_expr.h"
#include "stream/stream_source.h"

namespace sluice::stream {

namespace {

// "s.bids" -> "s"."bids".
std::string QuoteName(const std::string& name) {
  std::vector<std::string> parts;
  for (const std::string& part : Split(name, '.')) parts.push_back(QuoteSqlName(part));
  return Join(parts, ".");
}

int64_t DurationMs(const std::string& text, const char* what) {
  const std::optional<int64_t> ms = sluice::ParseDurationMs(text, nullptr);
  if (!ms || *ms <= 0) {
    throw InvalidInputError(
        fmt::format("{}: '{}' is not a duration (\"10 seconds\", \"500 ms\", \"2 min\")", what, text));
  }
  return *ms;
}

std::string Interval(int64_t ms) { return fmt::format("INTERVAL '{}' MILLISECOND", ms); }

// `e` as SQL text of the job (ExprToSql), or an error that says what to do instead.
std::string ExprSql(const Expr& e) {
  try {
    return ExprToSql(e);
  } catch (const InvalidInputError&) {
    throw InvalidInputError(fmt::format(
        "{} cannot run in a streaming DataFrame (window functions and subqueries: write the "
        "job in SQL)",
        e.ToString()));
  }
}

// The select-list item of `e`: its SQL, with its alias.
std::string Item(const Expr& e) {
  return e.alias.empty() ? ExprSql(e) : ExprSql(e) + " AS " + QuoteSqlName(e.alias);
}

// The column name the item of `e` gets.
std::string OutputName(const Expr& e) {
  if (!e.alias.empty()) return e.alias;
  if (e.kind == ExprKind::kColumnRef) return e.name;
  return ExprSql(e);
}

}  // namespace

std::string SourceDdl(const SourceDefinition& def) {
  std::vector<std::string> columns;
  for (const Field& f : def.schema.fields()) columns.push_back(QuoteSqlName(f.name) + " " + f.type.ToString());
  if (!def.watermark_column.empty()) {
    const std::string c = QuoteSqlName(def.watermark_column);
    const int64_t us = def.watermark_delay_us;
    columns.push_back(fmt::format("WATERMARK FOR {} AS {} - INTERVAL '{}' {}", c, c,
                                  us % 1000 == 0 ? us / 1000 : us,
                                  us % 1000 == 0 ? "MILLISECOND" : "MICROSECOND"));
  }
  std::vector<std::string> options;
  for (const auto& [key, value] : def.options) options.push_back(sql::QuoteString(key) + " = " + sql::QuoteString(value));
  return fmt::format("CREATE OR REPLACE TABLE {} ({}) WITH ({})", QuoteName(def.name), Join(columns, ", "),
                     Join(options, ", "));
}

// --- StreamingDataFrame ----------------------------------------------------------------

StreamingDataFrame StreamingDataFrame::WithStep(Step step) const {
  StreamingDataFrame out = *this;
  out.steps_.push_back(std::move(step));
  return out;
}

StreamingDataFrame StreamingDataFrame::Select(const std::vector<ExprPtr>& exprs) const {
  return WithStep(Step{Step::Kind::kSelect, exprs, {}, {}, false});
}

StreamingDataFrame StreamingDataFrame::Select(const std::vector<std::string>& names) const {
  std::vector<ExprPtr> exprs;
  for (const std::string& n : names) exprs.push_back(Col(n));
  return Select(exprs);
}

StreamingDataFrame StreamingDataFrame::Filter(const ExprPtr& predicate) const {
  return WithStep(Step{Step::Kind::kFilter, {predicate}, {}, {}, false});
}

StreamingDataFrame StreamingDataFrame::WithColumn(const std::string& name, const ExprPtr& expr) const {
  return WithStep(Step{Step::Kind::kWithColumn, {expr}, name, 0, false});
}

StreamingDataFrame StreamingDataFrame::WithWatermark(const std::string& column,
                                                     const std::string& delay) const {
  const int index = def_.schema.Find(column);
  if (index < 0) {
    throw InvalidInputError(fmt::format("WithWatermark: {} has no column \"{}\"", def_.name, column));
  }
  if (def_.schema.field(index).type.id() != TypeId::kTimestamp) {
    throw InvalidInputError(fmt::format("WithWatermark: the column {} is {}, not TIMESTAMP", column,
                                        def_.schema.field(index).type.ToString()));
  }
  if (!window_.empty()) {
    throw InvalidInputError("WithWatermark comes before the window (Tumble, Hop, ...)");
  }
  StreamingDataFrame out = *this;
  out.def_.watermark_column = def_.schema.field(index).name;
  out.def_.watermark_delay_us = DurationMs(delay, "WithWatermark") * 1000;
  out.watermark_changed_ = true;
  return out;
}

StreamingDataFrame StreamingDataFrame::WithWindow(const std::string& call) const {
  if (!window_.empty()) throw InvalidInputError("a streaming DataFrame takes one window");
  for (const Step& s : steps_) {
    if (s.kind == Step::Kind::kAggregate) {
      throw InvalidInputError("a window comes before the aggregation (GroupBy ... Agg)");
    }
  }
  StreamingDataFrame out = *this;
  out.window_ = call;
  for (Step& s : out.steps_) s.before_window = true;
  return out;
}

namespace {

void CheckTime(const SourceDefinition& def, const std::string& time, const char* what) {
  if (def.schema.Find(time) < 0) {
    throw InvalidInputError(fmt::format("{}: {} has no column \"{}\"", what, def.name, time));
  }
}

}  // namespace

StreamingDataFrame StreamingDataFrame::Tumble(const std::string& time, const std::string& size) const {
  CheckTime(def_, time, "Tumble");
  return WithWindow(fmt::format("TUMBLE(TABLE {}, DESCRIPTOR({}), {})", QuoteName(def_.name),
                                QuoteSqlName(time), Interval(DurationMs(size, "Tumble"))));
}

StreamingDataFrame StreamingDataFrame::Hop(const std::string& time, const std::string& slide,
                                           const std::string& size) const {
  CheckTime(def_, time, "Hop");
  return WithWindow(fmt::format("HOP(TABLE {}, DESCRIPTOR({}), {}, {})", QuoteName(def_.name),
                                QuoteSqlName(time), Interval(DurationMs(slide, "Hop")),
                                Interval(DurationMs(size, "Hop"))));
}

StreamingDataFrame StreamingDataFrame::Cumulate(const std::string& time, const std::string& step,
                                                const std::string& max_size) const {
  CheckTime(def_, time, "Cumulate");
  return WithWindow(fmt::format("CUMULATE(TABLE {}, DESCRIPTOR({}), {}, {})", QuoteName(def_.name),
                                QuoteSqlName(time), Interval(DurationMs(step, "Cumulate")),
                                Interval(DurationMs(max_size, "Cumulate"))));
}

StreamingDataFrame StreamingDataFrame::SessionWindow(const std::string& time,
                                                     const std::string& gap,
                                                     const std::vector<std::string>& keys) const {
  CheckTime(def_, time, "Session");
  std::string by;
  if (!keys.empty()) {
    std::vector<std::string> quoted;
    for (const std::string& k : keys) {
      CheckTime(def_, k, "Session");
      quoted.push_back(QuoteSqlName(k));
    }
    by = " PARTITION BY " + (keys.size() == 1 ? quoted[0] : "(" + Join(quoted, ", ") + ")");
  }
  return WithWindow(fmt::format("SESSION(TABLE {}{}, DESCRIPTOR({}), {})", QuoteName(def_.name), by,
                                QuoteSqlName(time), Interval(DurationMs(gap, "Session"))));
}

StreamingGroupedData StreamingDataFrame::GroupBy(const std::vector<ExprPtr>& keys) const {
  return StreamingGroupedData(*this, keys);
}

StreamingGroupedData StreamingDataFrame::GroupBy(const std::vector<std::string>& names) const {
  std::vector<ExprPtr> keys;
  for (const std::string& n : names) keys.push_back(Col(n));
  return GroupBy(keys);
}

StreamingDataFrame StreamingGroupedData::Agg(const std::vector<ExprPtr>& aggregates) const {
  std::vector<ExprPtr> exprs = keys_;
  exprs.insert(exprs.end(), aggregates.begin(), aggregates.end());
  StreamingDataFrame out = input_;
  out.steps_.push_back(StreamingDataFrame::Step{StreamingDataFrame::Step::Kind::kAggregate, exprs,
                                                {}, keys_.size(), false});
  return out;
}

std::string StreamingDataFrame::Sql() const {
  std::vector<std::string> columns;
  for (const Field& f : def_.schema.fields()) columns.push_back(f.name);
  const std::vector<std::string> window_columns = {"window_start", "window_end", "window_time"};
  if (!window_.empty()) columns.insert(columns.end(), window_columns.begin(), window_columns.end());
  std::string text = "SELECT * FROM " + (window_.empty() ? QuoteName(def_.name) : "TABLE(" + window_ + ")");
  auto has = [&](const std::string& name) {
    return std::any_of(columns.begin(), columns.end(),
                       [&](const std::string& c) { return EqualsIgnoreCase(c, name); });
  };
  for (const Step& s : steps_) {
    const std::string from = " FROM (" + text + ") AS _s";
    switch (s.kind) {
      case Step::Kind::kFilter: text = "SELECT *" + from + " WHERE " + ExprSql(*s.exprs[0]); break;
      case Step::Kind::kSelect: {
        std::vector<std::string> items;
        std::vector<std::string> names;
        for (const ExprPtr& e : s.exprs) {
          items.push_back(Item(*e));
          names.push_back(OutputName(*e));
        }
        // A select written before the window keeps the window's columns (it is applied
        // after the window).
        if (s.before_window && !window_.empty()) {
          for (const std::string& w : window_columns) {
            items.push_back(QuoteSqlName(w));
            names.push_back(w);
          }
        }
        text = "SELECT " + Join(items, ", ") + from;
        columns = names;
        break;
      }
      case Step::Kind::kWithColumn: {
        const std::string item = ExprSql(*s.exprs[0]) + " AS " + QuoteSqlName(s.name);
        if (has(s.name)) {
          text = "SELECT * REPLACE (" + item + ")" + from;
        } else {
          text = "SELECT *, " + item + from;
          columns.push_back(s.name);
        }
        break;
      }
      case Step::Kind::kAggregate: {
        std::vector<std::string> items, keys, names;
        for (size_t i = 0; i < s.exprs.size(); i++) {
          items.push_back(Item(*s.exprs[i]));
          names.push_back(OutputName(*s.exprs[i]));
          if (i < s.keys) keys.push_back(ExprSql(*s.exprs[i]));
        }
        text = "SELECT " + Join(items, ", ") + from + (keys.empty() ? "" : " GROUP BY " + Join(keys, ", "));
        columns = names;
        break;
      }
    }
  }
  return text;
}

DataStreamWriter StreamingDataFrame::WriteStream() const { return DataStreamWriter(*this); }

// --- StreamReader ------------------------------------------------------------------------

StreamReader::StreamReader(sluice::Session& session) : session_(&session) { RegisterConnectors(); }

StreamingDataFrame StreamReader::Table(const std::string& name) const {
  std::optional<SourceDefinition> def = session_->FindSource(name);
  if (!def) {
    throw InvalidInputError(fmt::format(
        "{} is not a table over a stream (declare it with CREATE TABLE ... WITH ('connector' = "
        "...), or with ReadStream(session).Format(...).Load(name))",
        name));
  }
  return StreamingDataFrame(session_, std::move(*def));
}

StreamReader& StreamReader::Format(std::string connector) {
  format_ = std::move(connector);
  return *this;
}

StreamReader& StreamReader::Option(std::string key, std::string value) {
  def_.options[ToLower(key)] = std::move(value);
  return *this;
}

StreamReader& StreamReader::Schema(sluice::Schema schema) {
  def_.schema = std::move(schema);
  return *this;
}

StreamReader& StreamReader::Watermark(std::string column, std::string delay) {
  def_.watermark_column = std::move(column);
  watermark_delay_ = std::move(delay);
  return *this;
}

StreamingDataFrame StreamReader::Load(const std::string& name) {
  if (format_.empty()) throw InvalidInputError("ReadStream: Format(connector) comes before Load");
  if (def_.schema.size() == 0) throw InvalidInputError("ReadStream: Schema(...) comes before Load");
  SourceDefinition def = def_;
  def.name = name;
  def.options["connector"] = format_;
  if (!def.watermark_column.empty()) def.watermark_delay_us = DurationMs(watermark_delay_, "Watermark") * 1000;
  RunSqlScript(*session_, SourceDdl(def));
  return Table(name);
}

// --- DataStreamWriter / StreamingQuery ---------------------------------------------------

DataStreamWriter& DataStreamWriter::Trigger(stream::Trigger trigger) {
  options_.until_idle = trigger == Trigger::kAvailableNow;
  return *this;
}

DataStreamWriter& DataStreamWriter::QueryName(std::string name) {
  options_.job_id = std::move(name);
  return *this;
}

DataStreamWriter& DataStreamWriter::CheckpointInterval(const std::string& interval) {
  options_.checkpoint_interval_ms = DurationMs(interval, "CheckpointInterval");
  return *this;
}

DataStreamWriter& DataStreamWriter::IdleTimeout(const std::string& timeout) {
  options_.idle_timeout_ms = DurationMs(timeout, "IdleTimeout");
  return *this;
}

struct StreamingQuery::Running {
  std::unique_ptr<sluice::Session> session;
  std::unique_ptr<StreamJob> job;
  std::thread thread;
  StreamJobStats stats;
  std::exception_ptr error;
  std::string id, sql, status_file;

  sluice::Session* user_session = nullptr;  // sees the job's commits once it ends

  StreamJobStats Join() {
    if (thread.joinable()) {
      thread.join();
      user_session->ReloadCatalog();
    }
    if (error) std::rethrow_exception(error);
    return stats;
  }
};

StreamingQuery DataStreamWriter::ToTable(const std::string& table) {
  StreamJobOptions options = options_;
  options.job_sql = (input_.watermark_changed_ ? SourceDdl(input_.def_) + ";\n" : std::string()) +
                    "INSERT INTO " + QuoteName(table) + "\n" + input_.Sql() + ";\n";
  return StartStreamingQuery(*input_.session_, std::move(options));
}

StreamingQuery StartStreamingQuery(sluice::Session& session, StreamJobOptions options) {
  if (!session.warehouse().persistent()) {
    throw InvalidInputError("a streaming query writes into a warehouse: open the session with a --db directory");
  }
  auto running = std::make_unique<StreamingQuery::Running>();
  running->sql = options.job_sql;
  running->session = std::make_unique<sluice::Session>(session.settings(), session.warehouse().root());
  running->job = std::make_unique<StreamJob>(*running->session, std::move(options));
  running->job->Prepare();  // the query's errors now, as Spark's start() reports them
  running->user_session = &session;
  running->id = running->job->job_id();
  running->status_file = StreamJob::JobDirectory(session.warehouse().local_root(), running->id) + "/status.json";
  StreamingQuery::Running* r = running.get();
  r->thread = std::thread([r] {
    try {
      r->stats = r->job->Run();
    } catch (...) {
      r->error = std::current_exception();
    }
  });
  return StreamingQuery(std::move(running));
}

std::string SourceDdl(sluice::Session& session, const std::string& name, const std::string& column,
                      int64_t delay_us) {
  RegisterConnectors();
  std::optional<SourceDefinition> def = session.FindSource(name);
  if (!def) throw InvalidInputError(fmt::format("{} is not a table over a stream", name));
  if (!column.empty()) {
    const int index = def->schema.Find(column);
    if (index < 0 || def->schema.field(index).type.id() != TypeId::kTimestamp) {
      throw InvalidInputError(fmt::format("withWatermark: {} has no TIMESTAMP column \"{}\"", name, column));
    }
    def->watermark_column = def->schema.field(index).name;
    def->watermark_delay_us = delay_us;
  }
  return SourceDdl(*def);
}

StreamingQuery::StreamingQuery(std::unique_ptr<Running> running) : running_(std::move(running)) {}
StreamingQuery::StreamingQuery(StreamingQuery&&) noexcept = default;
StreamingQuery& StreamingQuery::operator=(StreamingQuery&&) noexcept = default;

StreamingQuery::~StreamingQuery() {
  if (running_ == nullptr) return;
  running_->job->Stop();
  if (!running_->thread.joinable()) return;
  running_->thread.join();
  try {
    running_->user_session->ReloadCatalog();
  } catch (...) {  // a destructor does not throw; the next query reports the catalog's error
  }
}

StreamJobStats StreamingQuery::AwaitTermination() { return running_->Join(); }

StreamJobStats StreamingQuery::Stop() {
  running_->job->Stop();
  return running_->Join();
}

const std::string& StreamingQuery::id() const { return running_->id; }
const std::string& StreamingQuery::sql() const { return running_->sql; }

std::string StreamingQuery::Status() const {
  std::ifstream in(running_->status_file);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace sluice::stream
