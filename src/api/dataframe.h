#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "expr/expr.h"
#include "io/csv_options.h"
#include "plan/logical_plan.h"

namespace sluice {

class Session;
class DataFrame;
class ThreadPool;

// The result of DataFrame::GroupBy, waiting for its aggregates.
class GroupedData {
 public:
  GroupedData(Session* session, LogicalPlanPtr plan, std::vector<ExprPtr> keys)
      : session_(session), plan_(std::move(plan)), keys_(std::move(keys)) {}
  // Each aggregate is an aggregate call, optionally aliased: Sum(Col("x")).
  DataFrame Agg(const std::vector<ExprPtr>& aggregates) const;
  DataFrame Count() const;

 private:
  Session* session_;
  LogicalPlanPtr plan_;
  std::vector<ExprPtr> keys_;
};

// Writes a DataFrame's rows (an action): a plan whose write node streams every task's rows
// into files of a registered FileFormat (io/file_set_target.h), as COPY ... TO does.
class DataFrameWriter {
 public:
  DataFrameWriter(Session* session, LogicalPlanPtr plan)
      : session_(session), plan_(std::move(plan)) {}
  // Format("csv").Save(path): a path ending in ".csv" gets one file (rows in order); any
  // other path becomes a directory with one part-N.csv per task. Atomic: a failed write
  // leaves any previous file or directory intact.
  void Csv(const std::string& path) const;
  // Format("parquet").Save(path): same layout rules, part-N.parquet in a directory.
  void Parquet(const std::string& path) const;
  // Format("json").Save(path): JSON lines, same layout rules.
  void Json(const std::string& path) const;

  // Any registered FileFormat by name ("csv", "parquet", "json", or an embedder's): Save
  // writes it with the options given by Option (as COPY's: "header", "compression", ...),
  // validated against the format's write options. Without Format, Save picks the format the
  // registry finds for the path's extension, else Parquet.
  DataFrameWriter Format(std::string name) const;
  DataFrameWriter Option(std::string name, std::string value) const;
  // Same layout rules as Csv: a path ending in one of the format's extensions gets one file,
  // any other a directory of part-N files. Throws BindError for an unknown format or option.
  void Save(const std::string& path) const;
  // The plan Save(path) runs (its root is the write node), for EXPLAIN. Runs nothing.
  // `pool` (may be null) helps encode and must outlive the plan's run.
  LogicalPlanPtr SavePlan(const std::string& path, ThreadPool* pool = nullptr) const;

  // Hive-partitioned output: Csv/Parquet/Json(path) then write path/c1=v1/c2=v2/part-<task>.ext,
  // one file per partition value per task, without the partition columns in the files.
  DataFrameWriter PartitionBy(std::vector<std::string> columns) const;
  // Caps the files per partition directory by writing from at most `n` tasks (0: no cap).
  DataFrameWriter MaxFilesPerPartition(int n) const;
  // Buckets the table SaveAsTable writes: rows hashed on `columns` into `n` buckets, stored
  // with the table (as SQL's CLUSTERED BY (columns) INTO n BUCKETS). Joins and GROUP BYs on
  // the bucket columns then need no exchange. Only for SaveAsTable.
  DataFrameWriter BucketBy(int n, std::vector<std::string> columns) const;

  // Saves the rows as the warehouse table `name` (replacing its rows, schema and layout when
  // `replace`, else InvalidInputError if it exists). Throws BindError for an unknown bucket
  // column, InvalidInputError for a bucket count out of range or with PartitionBy.
  void SaveAsTable(const std::string& name, bool replace = false) const;

 private:
  // Throws InvalidInputError when BucketBy was given: `what` cannot bucket.
  void CheckNotBucketed(const char* what) const;

  Session* session_;
  LogicalPlanPtr plan_;
  std::vector<std::string> partition_by_;
  int max_files_per_partition_ = 0;
  std::vector<std::string> bucket_by_;
  int num_buckets_ = 0;
  std::string format_;
  std::vector<std::pair<std::string, std::string>> options_;
};

// A lazy, immutable relation: every transformation returns a new DataFrame sharing the
// plan below; nothing runs until an action (Count, Show, Collect, Write). Expressions are
// checked when a transformation is made, so mistakes surface at once with a clear error.
class DataFrame {
 public:
  DataFrame(Session* session, LogicalPlanPtr plan)
      : session_(session), plan_(std::move(plan)) {}

  const Schema& schema() const { return plan_->schema; }
  const LogicalPlanPtr& plan() const { return plan_; }
  std::vector<std::string> columns() const { return schema().Names(); }

  // Transformations.
  DataFrame Select(const std::vector<ExprPtr>& exprs) const;
  DataFrame Select(const std::vector<std::string>& names) const;
  DataFrame Filter(const ExprPtr& predicate) const;
  DataFrame Where(const ExprPtr& predicate) const { return Filter(predicate); }
  // Adds a column, or replaces the one with the same name (in place).
  DataFrame WithColumn(const std::string& name, const ExprPtr& expr) const;
  DataFrame WithColumnRenamed(const std::string& from, const std::string& to) const;
  DataFrame Drop(const std::vector<std::string>& names) const;
  GroupedData GroupBy(const std::vector<ExprPtr>& keys) const;
  GroupedData GroupBy(const std::vector<std::string>& names) const;
  DataFrame Agg(const std::vector<ExprPtr>& aggregates) const;  // over all rows
  // Equi-join on columns of the same name in both (kept once in the output, as Spark).
  DataFrame Join(const DataFrame& other, const std::vector<std::string>& on,
                 const std::string& how = "inner") const;
  // Join on a condition over both sides' columns (names must be unambiguous).
  DataFrame Join(const DataFrame& other, const ExprPtr& condition,
                 const std::string& how = "inner") const;
  DataFrame CrossJoin(const DataFrame& other) const;
  // UNION ALL by position (Spark's union).
  DataFrame Union(const DataFrame& other) const;
  DataFrame Distinct() const;
  DataFrame DropDuplicates(const std::vector<std::string>& subset = {}) const;
  DataFrame OrderBy(const std::vector<SortSpec>& keys) const;
  DataFrame OrderBy(const std::vector<std::string>& names, bool ascending = true) const;
  DataFrame Limit(int64_t n, int64_t offset = 0) const;
  DataFrame Repartition(int n, const std::vector<ExprPtr>& keys = {}) const;
  DataFrame Coalesce(int n) const;
  // Keeps the result in memory the first time an action runs it; later actions reuse it.
  DataFrame Cache() const;
  // Sets the table qualifier of every column (for t.col references in conditions).
  DataFrame Alias(const std::string& name) const;
  // Marks this DataFrame as a join input to be joined with a strategy: "broadcast", "merge"
  // (sort-merge) or "shuffle_hash", as SQL's /*+ BROADCAST(t) */. A join type that cannot use
  // the strategy (a FULL join cannot broadcast) falls back, and EXPLAIN says why. Throws
  // InvalidInputError on another name.
  DataFrame Hint(const std::string& name) const;
  // Marks column `key` of this DataFrame as skewed (a few hot values hold many rows), as SQL's
  // /*+ SKEW(t, key, buckets) */: a join on `key` gives these rows a deterministic salt in
  // [0, buckets) and replicates the other input once per salt, and a GROUP BY `key`
  // aggregates by (key, salt) first, then by key. Throws InvalidInputError on an unknown
  // column or buckets outside [2, 4096].
  DataFrame Salt(const std::string& key, int buckets) const;

  // Actions.
  int64_t Count() const;
  std::vector<Batch> Collect() const;
  std::vector<std::vector<Value>> CollectRows() const;
  // The first n rows as a text table (also what Show prints).
  std::string ShowString(int64_t n = 20) const;
  void Show(int64_t n = 20) const;
  DataFrameWriter Write() const { return DataFrameWriter(session_, plan_); }
  // The physical plan as a stage graph; with analyze, runs it and adds metrics.
  std::string Explain(bool analyze = false) const;

 private:
  Session* session_;
  LogicalPlanPtr plan_;
};

// Expression helpers for the DataFrame API.
ExprPtr Sum(ExprPtr e);
ExprPtr Avg(ExprPtr e);
ExprPtr Min(ExprPtr e);
ExprPtr Max(ExprPtr e);
ExprPtr Count(ExprPtr e);
ExprPtr CountStar();
ExprPtr CountDistinct(ExprPtr e);
SortSpec Asc(ExprPtr e);
SortSpec Desc(ExprPtr e);
ExprPtr operator+(ExprPtr a, ExprPtr b);
ExprPtr operator-(ExprPtr a, ExprPtr b);
ExprPtr operator*(ExprPtr a, ExprPtr b);
ExprPtr operator/(ExprPtr a, ExprPtr b);
// Comparisons are named functions, not operators: overloading == or < on shared_ptr
// would silently change pointer comparisons and ordered containers.
ExprPtr Eq(ExprPtr a, ExprPtr b);
ExprPtr Neq(ExprPtr a, ExprPtr b);
ExprPtr Lt(ExprPtr a, ExprPtr b);
ExprPtr Le(ExprPtr a, ExprPtr b);
ExprPtr Gt(ExprPtr a, ExprPtr b);
ExprPtr Ge(ExprPtr a, ExprPtr b);
ExprPtr Lit(int v);
ExprPtr Lit(int64_t v);
ExprPtr Lit(double v);
ExprPtr Lit(const char* v);

}  // namespace sluice
