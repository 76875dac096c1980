#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "io/data_source.h"
#include "io/file_writer.h"
#include "io/option_spec.h"
#include "vector/schema.h"

namespace sluice {

class ThreadPool;

// A file format Sluice reads and writes (CSV, JSON lines, Parquet, or one registered by an
// embedder): how a file is recognized (extensions, first bytes), the options reading and
// writing take (typed, with defaults), a reader (a DataSource) and a writer. Every place
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
  // A writer of one file at `path`. REQUIRES: `options` validated against write_options().
  // `pool` (may be null) helps encode and must outlive the writer.
  virtual std::unique_ptr<FileWriter> CreateWriter(const std::string& path, const Schema& schema,
                                                   const OptionValues& options,
                                                   ThreadPool* pool) const = 0;

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
  // Files of this format written with `options` (validated against write_options()); `pool`
  // as for CreateWriter.
  FileTarget MakeTarget(OptionValues options, ThreadPool* pool) const;

  static constexpr size_t kSniffBytes = 16;
};

}  // namespace sluice
