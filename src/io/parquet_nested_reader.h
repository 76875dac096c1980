#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "io/file.h"
#include "io/parquet_column_reader.h"
#include "io/parquet_metadata.h"
#include "io/parquet_schema.h"
#include "vector/column.h"

namespace sluice {

// Reads one nested column (a struct, list or map with everything beneath it) of one row
// group: as LIST / STRUCT / MAP values when the column has that type, else as VARCHAR JSON
// text per row (a map without a value field): '[1,null]', '{"a":1,"b":"x"}', NULL for a NULL value
// and '[]' for an empty list. Each leaf's level entries are buffered a page-sized chunk at
// a time (values already rendered as JSON), and rows are assembled from the repetition and
// definition levels of all leaves (Dremel record assembly).
// Not thread-safe; `file`, `column` and `leaves` must outlive the reader.
class ParquetNestedReader {
 public:
  // `leaves` are the file's leaves; `group` the row group to read.
  ParquetNestedReader(const FileReader& file, const ParquetColumn& column,
                      const std::vector<ParquetLeaf>& leaves, const parquet::RowGroup& group);
  ~ParquetNestedReader();
  ParquetNestedReader(const ParquetNestedReader&) = delete;
  ParquetNestedReader& operator=(const ParquetNestedReader&) = delete;

  // Assembles the next `n` rows into `out` (a fresh VARCHAR column with capacity >= n).
  // Throws IOError naming the file and column when levels or values are inconsistent.
  void Read(size_t n, Column* out);

 private:
  // The buffered level entries of one leaf; entries before `cursor` are consumed.
  struct LeafEntries {
    const ParquetLeaf* leaf = nullptr;
    std::unique_ptr<ParquetColumnReader> reader;
    int64_t unread = 0;  // entries in the chunk not yet buffered
    std::vector<uint8_t> reps;
    std::vector<uint8_t> defs;
    std::string text;            // JSON of the buffered values, concatenated
    std::vector<uint32_t> ends;  // end of each entry's JSON in `text` (empty: no value)
    std::vector<Value> values;   // typed columns: each entry's value (NULL: none)
    size_t cursor = 0;
    size_t rows_ahead = 0;  // row starts (rep 0) at or after `cursor`
  };

  [[noreturn]] void Fail(const std::string& message) const;
  // Buffers entries of `e` until it holds `rows` + 1 row starts or the chunk ends.
  void Fill(LeafEntries& e, size_t rows);
  void Buffer(LeafEntries& e, size_t count);
  void Compact(LeafEntries& e);
  void Emit(const ParquetNestedNode& node, std::string* out);
  // The same as a value of `type` (LIST, STRUCT and MAP columns).
  Value EmitValue(const ParquetNestedNode& node, const LogicalType& type);
  // Consumes the one entry each leaf under `node` has for a NULL or empty value.
  void Skip(const ParquetNestedNode& node);
  LeafEntries& First(const ParquetNestedNode& node);

  const FileReader& file_;
  const ParquetColumn& column_;
  std::vector<LeafEntries> entries_;
  int64_t rows_left_ = 0;
  std::string row_;  // scratch: the row being assembled
};

}  // namespace sluice
