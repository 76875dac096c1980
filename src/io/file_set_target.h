#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "io/data_writer.h"
#include "io/option_spec.h"
#include "vector/schema.h"

namespace sluice {

class FileFormat;
class ThreadPool;

// How the files of a write are laid out under its path.
enum class FileLayout {
  kSingleFile,        // one file at the path, rows in sink order (COPY TO 'x.csv')
  kPartFiles,         // a directory of part-<sink><ext> files, one per task
  kHivePartitioned,   // path/k=v/part-<sink><ext> by the partition columns' values
};

// What a file write makes, besides its format and options.
struct FileSetSpec {
  std::string path;
  FileLayout layout = FileLayout::kSingleFile;
  // kHivePartitioned: distinct indices into the rows' schema, not all of them.
  std::vector<int> partition_columns;
  // The statement, for EXPLAIN: "COPY TO", "SAVE".
  std::string statement = "COPY TO";
  // Rows a task's open files may hold before encoding (more open files write theirs out
  // early: smaller row groups).
  int64_t max_buffered_bytes = int64_t{16} << 20;
};

// The files of a COPY TO or a DataFrameWriter save, as a DataTarget: tasks stream their
// rows into files of one FileFormat (CreateFileSink) under a staging directory beside the
// path (`<path>.tmp-write`), and Commit moves them into place: the single file (the parts
// joined in sink order by the format's ConcatenateFiles, or the one part renamed) or the
// directory (swapped in by renames). Until Commit the path keeps what it held; a writer
// destroyed uncommitted removes the staging directory. An `s3://` path stages locally and
// Commit uploads (io/file_publish.h). Immutable and thread-safe.
class FileSetTarget : public DataTarget {
 public:
  // REQUIRES: `options` validated against format.write_options(); `format` (registered)
  // and `pool` (may be null; helps encode single files and part files) outlive the writes.
  FileSetTarget(const FileFormat& format, OptionValues options, Schema schema, FileSetSpec spec,
                ThreadPool* pool);

  std::unique_ptr<DataWriter> Begin() const override;
  std::unique_ptr<DataWriter> BeginJoined() const override;
  // COPY TO 'path' (FORMAT parquet[, PARTITION_BY (a, b)])
  std::string Describe() const override;
  // Every process writes its tasks' part files into the staging directory, which must then
  // be on storage they all see (docs/scale-out.md). An object store target stages in a
  // local temp directory, which the other processes do not see.
  bool WritableByEveryProcess() const override;

 private:
  const FileFormat& format_;
  OptionValues options_;
  Schema schema_;
  FileSetSpec spec_;
  ThreadPool* pool_;
};

}  // namespace sluice
