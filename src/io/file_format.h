#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "io/data_source.h"
#include "io/data_writer.h"
#include "io/option_spec.h"
#include "vector/schema.h"

namespace sluice {

class ThreadPool;

// A file format Sluice reads and writes (CSV, JSON lines, Parquet, or one registered by an
// embedder): how a file is recognized (extensions, first bytes), the options reading and
// writing take (typed, with defaults), a reader (a DataSource) and the DataSink that writes
// one file (FileSetTarget lays the files of a write out and commits them). Every place
// that deals with files (FROM 'path', read_<name>(), COPY, DataFrameWriter) finds formats in
// the FileFormatRegistry, so a new format is one class plus one registration line.
// Implementations are immutable and thread-safe.
class FileFormat {
 public:
  virtual ~FileFormat() = default;

  // Lower-case: COPY's FORMAT name, the read_<name> table function, DataFrameWriter::Format.
  virtual std::string name() const = 0;
  // Lower-case file name endings with the dot; the first is the one written (".json",
  // ".jsonl", ".ndjson").
  virtual std::vector<std::string> extensions() const = 0;
  // More table-function names that read this format besides read_<name> (read_csv_auto).
  virtual std::vector<std::string> read_function_aliases() const { return {}; }
  // Whether the first bytes of a file (up to kSniffBytes, fewer for a short file) identify
  // this format; for files whose extension no format claims.
  virtual bool MatchesContent(std::string_view head) const { return false; }

  // The options read_<name>() takes, and those COPY ... TO and DataFrameWriter take.
  virtual const std::vector<OptionSpec>& read_options() const = 0;
  virtual const std::vector<OptionSpec>& write_options() const = 0;

  // Opens one file or every file of a glob as one source. REQUIRES: `options` validated
  // against read_options(). Throws IOError / InvalidInputError for unreadable files.
  virtual std::unique_ptr<DataSource> OpenFiles(const std::string& path_or_glob,
                                                const OptionValues& options) const = 0;
  // A sink writing one file at `path` with the rows of `schema`; the file appears there only
  // on Close (until then it has a temporary name, removed if the sink is destroyed first).
  // REQUIRES: `options` validated against write_options(). `pool` (may be null) helps encode
  // and must outlive the sink. Throws IOError when the file cannot be created.
  virtual std::unique_ptr<DataSink> CreateFileSink(const std::string& path, const Schema& schema,
                                                   const OptionValues& options,
                                                   ThreadPool* pool) const = 0;
  // Joins files written by CreateFileSink (same schema and options) into one file at `path`
  // (atomically), their rows in the order given: the single file of a write that ran in
  // parallel. The default appends their bytes, which suits formats of independent lines
  // (JSON lines); formats with a header or a footer override it.
  virtual void ConcatenateFiles(const std::vector<std::string>& parts, const std::string& path,
                                const Schema& schema, const OptionValues& options) const;

  // Empty option sets to fill from user input; `owner` names the caller in errors.
  OptionValues NewReadOptions(std::string owner) const {
    return OptionValues(&read_options(), std::move(owner), "Invalid named parameter");
  }
  OptionValues NewWriteOptions(std::string owner) const {
    return OptionValues(&write_options(), std::move(owner));
  }
  // Opens a path, directory or glob; files in key=value directories become a Hive-partitioned
  // dataset (see OpenDataset).
  std::unique_ptr<DataSource> Open(const std::string& pattern, const OptionValues& options) const;
  // The extension written: extensions()[0].
  std::string WriteExtension() const;

  static constexpr size_t kSniffBytes = 16;
};

}  // namespace sluice
