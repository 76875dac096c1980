#include "api/dataframe.h"


#include "api/result_format.h"
#include "api/session.h"
#include "common/strings.h"
#include "exec/scheduler.h"
#include "api/file_write.h"
#include "io/file_format_registry.h"
#include "io/file_set_target.h"

namespace sluice {

namespace {

// A bound reference to column i of a schema, for joins where names may repeat.
ExprPtr RefAt(const Schema& schema, int index) { return BoundColumnRef(schema, index); }

std::vector<ExprPtr> NamesToCols(const std::vector<std::string>& names) {
  std::vector<ExprPtr> cols;
  for (const auto& n : names) cols.push_back(Col(n));
  return cols;
}

}  // namespace

DataFrame GroupedData::Agg(const std::vector<ExprPtr>& aggregates) const {
  return DataFrame(session_, MakeAggregate(plan_, keys_, aggregates));
}

DataFrame GroupedData::Count() const {
  return DataFrame(session_, MakeAggregate(plan_, keys_, {sluice::Alias(CountStar(), "count")}));
}

DataFrame DataFrame::Select(const std::vector<ExprPtr>& exprs) const {
  return DataFrame(session_, MakeProject(plan_, exprs));
}

DataFrame DataFrame::Select(const std::vector<std::string>& names) const {
  return Select(NamesToCols(names));
}

DataFrame DataFrame::Filter(const ExprPtr& predicate) const {
  return DataFrame(session_, MakeFilter(plan_, predicate));
}

DataFrame DataFrame::WithColumn(const std::string& name, const ExprPtr& expr) const {
  std::vector<ExprPtr> exprs;
  bool replaced = false;
  for (size_t i = 0; i < schema().size(); i++) {
    if (EqualsIgnoreCase(schema().field(i).name, name)) {
      exprs.push_back(sluice::Alias(expr, name));
      replaced = true;
    } else {
      exprs.push_back(RefAt(schema(), static_cast<int>(i)));
    }
  }
  if (!replaced) exprs.push_back(sluice::Alias(expr, name));
  return Select(exprs);
}

DataFrame DataFrame::WithColumnRenamed(const std::string& from, const std::string& to) const {
  const int index = schema().IndexOf(from);
  std::vector<ExprPtr> exprs;
  for (size_t i = 0; i < schema().size(); i++) {
    ExprPtr ref = RefAt(schema(), static_cast<int>(i));
    exprs.push_back(static_cast<int>(i) == index ? sluice::Alias(ref, to) : ref);
  }
  return Select(exprs);
}

DataFrame DataFrame::Drop(const std::vector<std::string>& names) const {
  std::vector<bool> dropped(schema().size(), false);
  for (const auto& n : names) dropped[schema().IndexOf(n)] = true;
  std::vector<ExprPtr> exprs;
  for (size_t i = 0; i < schema().size(); i++) {
    if (!dropped[i]) exprs.push_back(RefAt(schema(), static_cast<int>(i)));
  }
  return Select(exprs);
}

GroupedData DataFrame::GroupBy(const std::vector<ExprPtr>& keys) const {
  return GroupedData(session_, plan_, keys);
}

GroupedData DataFrame::GroupBy(const std::vector<std::string>& names) const {
  return GroupBy(NamesToCols(names));
}

DataFrame DataFrame::Agg(const std::vector<ExprPtr>& aggregates) const {
  return DataFrame(session_, MakeAggregate(plan_, {}, aggregates));
}

DataFrame DataFrame::Join(const DataFrame& other, const std::vector<std::string>& on,
                          const std::string& how) const {
  const JoinKind kind = ParseJoinKind(how);
  Schema combined = schema();
  for (const auto& f : other.schema().fields()) combined.Add(f);
  const int nleft = static_cast<int>(schema().size());
  std::vector<ExprPtr> equalities;
  std::vector<bool> right_key(other.schema().size(), false);
  for (const auto& name : on) {
    const int l = schema().IndexOf(name);
    const int r = other.schema().IndexOf(name);
    right_key[r] = true;
    equalities.push_back(Call("=", {RefAt(combined, l), RefAt(combined, nleft + r)}));
  }
  ExprPtr condition = equalities.size() == 1 ? equalities[0] : And(equalities);
  auto joined = MakeJoin(plan_, other.plan_, kind, condition);
  if (kind == JoinKind::kSemi || kind == JoinKind::kAnti) return DataFrame(session_, joined);
  // USING semantics: each key once; for right/full joins the key comes from whichever side
  // matched.
  std::vector<ExprPtr> exprs;
  for (int i = 0; i < nleft; i++) {
    ExprPtr ref = RefAt(joined->schema, i);
    bool is_key = false;
    int r_index = -1;
    for (const auto& name : on) {
      if (EqualsIgnoreCase(name, schema().field(i).name)) {
        is_key = true;
        r_index = nleft + other.schema().IndexOf(name);
      }
    }
    if (is_key && (kind == JoinKind::kRight || kind == JoinKind::kFull)) {
      exprs.push_back(sluice::Alias(sluice::Coalesce({ref, RefAt(joined->schema, r_index)}), schema().field(i).name));
    } else {
      exprs.push_back(ref);
    }
  }
  for (size_t r = 0; r < other.schema().size(); r++) {
    if (!right_key[r]) exprs.push_back(RefAt(joined->schema, nleft + static_cast<int>(r)));
  }
  return DataFrame(session_, MakeProject(joined, exprs));
}

DataFrame DataFrame::Join(const DataFrame& other, const ExprPtr& condition,
                          const std::string& how) const {
  return DataFrame(session_, MakeJoin(plan_, other.plan_, ParseJoinKind(how), condition));
}

DataFrame DataFrame::CrossJoin(const DataFrame& other) const {
  return DataFrame(session_, MakeJoin(plan_, other.plan_, JoinKind::kCross, nullptr));
}

DataFrame DataFrame::Union(const DataFrame& other) const {
  return DataFrame(session_, MakeUnion(plan_, other.plan_));
}

DataFrame DataFrame::Distinct() const { return DataFrame(session_, MakeDistinct(plan_)); }

DataFrame DataFrame::DropDuplicates(const std::vector<std::string>& subset) const {
  if (subset.empty()) return Distinct();
  // One row per distinct subset: any_value of the other columns, as Spark keeps "a" row.
  std::vector<ExprPtr> keys, aggs;
  for (const auto& name : subset) keys.push_back(Col(name));
  std::vector<std::string> order;
  for (size_t i = 0; i < schema().size(); i++) {
    const std::string& name = schema().field(i).name;
    bool is_key = false;
    for (const auto& s : subset) is_key |= EqualsIgnoreCase(s, name);
    if (!is_key) aggs.push_back(sluice::Alias(Aggregate("any_value", {RefAt(schema(), static_cast<int>(i))}), name));
  }
  DataFrame grouped(session_, MakeAggregate(plan_, keys, aggs));
  // Restore the original column order.
  std::vector<ExprPtr> reorder;
  for (const auto& f : schema().fields()) reorder.push_back(Col(f.name));
  return grouped.Select(reorder);
}

DataFrame DataFrame::OrderBy(const std::vector<SortSpec>& keys) const {
  return DataFrame(session_, MakeSort(plan_, keys));
}

DataFrame DataFrame::OrderBy(const std::vector<std::string>& names, bool ascending) const {
  std::vector<SortSpec> keys;
  for (const auto& n : names) keys.push_back(SortSpec{Col(n), ascending, false});
  return OrderBy(keys);
}

DataFrame DataFrame::Limit(int64_t n, int64_t offset) const {
  return DataFrame(session_, MakeLimit(plan_, n, offset));
}

DataFrame DataFrame::Repartition(int n, const std::vector<ExprPtr>& keys) const {
  return DataFrame(session_, MakeRepartition(plan_, n, keys));
}

DataFrame DataFrame::Coalesce(int n) const { return DataFrame(session_, MakeCoalesce(plan_, n)); }

DataFrame DataFrame::Cache() const { return DataFrame(session_, MakeCache(plan_)); }

DataFrame DataFrame::Alias(const std::string& name) const {
  std::vector<ExprPtr> exprs;
  for (size_t i = 0; i < schema().size(); i++) exprs.push_back(RefAt(schema(), static_cast<int>(i)));
  auto projected = std::const_pointer_cast<LogicalPlan>(MakeProject(plan_, exprs));
  for (auto& f : projected->schema.mutable_fields()) f.qualifier = name;
  return DataFrame(session_, projected);
}

DataFrame DataFrame::Hint(const std::string& name) const {
  const std::string hint = ToLower(name);
  if (hint != "broadcast" && hint != "merge" && hint != "shuffle_hash") {
    throw InvalidInputError(fmt::format(
        "unknown join hint '{}': expected broadcast, merge or shuffle_hash", name));
  }
  return DataFrame(session_, WithJoinHint(plan_, hint));
}

DataFrame DataFrame::Salt(const std::string& key, int buckets) const {
  if (buckets < 2 || buckets > 4096) {
    throw InvalidInputError(
        fmt::format("Salt(\"{}\", {}): buckets must be between 2 and 4096", key, buckets));
  }
  schema().IndexOf(key);  // throws BindError with a suggestion when there is no such column
  return DataFrame(session_, WithSkewKey(plan_, key, buckets));
}

int64_t DataFrame::Count() const {
  auto counted = MakeAggregate(plan_, {}, {CountStar()});
  std::vector<Batch> result = session_->Execute(*counted);
  for (const auto& b : result) {
    if (b.num_rows() > 0) return b.column(0)->GetValue(0).GetInt();
  }
  return 0;
}

std::vector<Batch> DataFrame::Collect() const { return session_->Execute(*plan_); }

std::vector<std::vector<Value>> DataFrame::CollectRows() const {
  std::vector<std::vector<Value>> rows;
  for (const auto& b : Collect()) {
    for (size_t r = 0; r < b.num_rows(); r++) rows.push_back(b.GetRow(r));
  }
  return rows;
}

std::string DataFrame::ShowString(int64_t n) const {
  std::vector<Batch> batches = session_->Execute(*MakeLimit(plan_, n + 1, 0));
  return FormatTable(schema(), batches, static_cast<size_t>(n));
}

void DataFrame::Show(int64_t n) const { fmt::print("{}", ShowString(n)); }

std::string DataFrame::Explain(bool analyze) const {
  if (!analyze) return session_->Explain(*plan_);
  QueryProfile profile;
  session_->Execute(*plan_, &profile);
  return profile.explain;
}

DataFrameWriter DataFrameWriter::PartitionBy(std::vector<std::string> columns) const {
  DataFrameWriter w = *this;
  w.partition_by_ = std::move(columns);
  return w;
}

DataFrameWriter DataFrameWriter::MaxFilesPerPartition(int n) const {
  DataFrameWriter w = *this;
  w.max_files_per_partition_ = n;
  return w;
}

DataFrameWriter DataFrameWriter::BucketBy(int n, std::vector<std::string> columns) const {
  DataFrameWriter w = *this;
  w.num_buckets_ = n;
  w.bucket_by_ = std::move(columns);
  return w;
}

void DataFrameWriter::CheckNotBucketed(const char* what) const {
  if (num_buckets_ != 0 || !bucket_by_.empty()) {
    throw InvalidInputError(fmt::format(
        "BucketBy applies to SaveAsTable only: {} files cannot hold a bucket layout", what));
  }
}

void DataFrameWriter::SaveAsTable(const std::string& name, bool replace) const {
  if (!partition_by_.empty()) {
    throw InvalidInputError(fmt::format(
        "SaveAsTable(\"{}\"): PartitionBy is for Csv/Parquet/Json directories; a table is "
        "split with BucketBy",
        name));
  }
  const bool bucketed = num_buckets_ != 0 || !bucket_by_.empty();
  session_->CreateTable(name, DataFrame(session_, plan_), replace,
                        bucketed ? BucketSpec{bucket_by_, num_buckets_, {}} : BucketSpec{});
}

void DataFrameWriter::Json(const std::string& path) const { Format("json").Save(path); }

void DataFrameWriter::Csv(const std::string& path) const { Format("csv").Save(path); }

void DataFrameWriter::Parquet(const std::string& path) const { Format("parquet").Save(path); }

DataFrameWriter DataFrameWriter::Format(std::string name) const {
  DataFrameWriter w = *this;
  w.format_ = std::move(name);
  return w;
}

DataFrameWriter DataFrameWriter::Option(std::string name, std::string value) const {
  DataFrameWriter w = *this;
  w.options_.emplace_back(std::move(name), std::move(value));
  return w;
}

LogicalPlanPtr DataFrameWriter::SavePlan(const std::string& path, ThreadPool* pool) const {
  const FileFormatRegistry& formats = FileFormats();
  const FileFormat* by_extension = formats.ForExtension(path);
  const FileFormat& format = !format_.empty()          ? formats.Get(format_)
                             : by_extension != nullptr ? *by_extension
                                                       : formats.Get("parquet");
  CheckNotBucketed(format.name().c_str());
  OptionValues options =
      format.NewWriteOptions(fmt::format("DataFrameWriter (format {})", format.name()));
  for (const auto& [name, value] : options_) options.SetText(name, value);
  FileWriteRequest request;
  request.path = path;
  // A path the format claims by its extension is one file; any other is a directory.
  request.layout = by_extension == &format ? FileLayout::kSingleFile : FileLayout::kPartFiles;
  request.partition_by = partition_by_;
  request.max_files_per_partition = max_files_per_partition_;
  request.statement = "SAVE";
  return PlanFileWrite(plan_, request, [&](const Schema& schema, FileSetSpec spec) {
    return std::make_shared<FileSetTarget>(format, options, schema, std::move(spec), pool);
  });
}

void DataFrameWriter::Save(const std::string& path) const {
  const std::shared_ptr<ThreadPool> pool = session_->pool();  // outlives the writers
  RunWrite(*session_, *SavePlan(path, pool.get()));
}

ExprPtr Sum(ExprPtr e) { return Aggregate("sum", {std::move(e)}); }
ExprPtr Avg(ExprPtr e) { return Aggregate("avg", {std::move(e)}); }
ExprPtr Min(ExprPtr e) { return Aggregate("min", {std::move(e)}); }
ExprPtr Max(ExprPtr e) { return Aggregate("max", {std::move(e)}); }
ExprPtr Count(ExprPtr e) { return Aggregate("count", {std::move(e)}); }
ExprPtr CountStar() { return Aggregate("count_star", {}); }
ExprPtr CountDistinct(ExprPtr e) { return Aggregate("count", {std::move(e)}, true); }
SortSpec Asc(ExprPtr e) { return SortSpec{std::move(e), true, false}; }
SortSpec Desc(ExprPtr e) { return SortSpec{std::move(e), false, false}; }
ExprPtr operator+(ExprPtr a, ExprPtr b) { return Call("+", {std::move(a), std::move(b)}); }
ExprPtr operator-(ExprPtr a, ExprPtr b) { return Call("-", {std::move(a), std::move(b)}); }
ExprPtr operator*(ExprPtr a, ExprPtr b) { return Call("*", {std::move(a), std::move(b)}); }
ExprPtr operator/(ExprPtr a, ExprPtr b) { return Call("/", {std::move(a), std::move(b)}); }
ExprPtr Eq(ExprPtr a, ExprPtr b) { return Call("=", {std::move(a), std::move(b)}); }
ExprPtr Neq(ExprPtr a, ExprPtr b) { return Call("<>", {std::move(a), std::move(b)}); }
ExprPtr Lt(ExprPtr a, ExprPtr b) { return Call("<", {std::move(a), std::move(b)}); }
ExprPtr Le(ExprPtr a, ExprPtr b) { return Call("<=", {std::move(a), std::move(b)}); }
ExprPtr Gt(ExprPtr a, ExprPtr b) { return Call(">", {std::move(a), std::move(b)}); }
ExprPtr Ge(ExprPtr a, ExprPtr b) { return Call(">=", {std::move(a), std::move(b)}); }
ExprPtr Lit(int v) { return Lit(Value::Integer(v)); }
ExprPtr Lit(int64_t v) { return Lit(Value::BigInt(v)); }
ExprPtr Lit(double v) { return Lit(Value::Double(v)); }
ExprPtr Lit(const char* v) { return Lit(Value::Varchar(v)); }

}  // namespace sluice
