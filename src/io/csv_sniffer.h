#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/csv_options.h"
#include "io/csv_tokenizer.h"
#include "types/logical_type.h"

namespace sluice {

class FileReader;

// What sniffing learned about one CSV file: everything a split reader needs besides the
// byte range.
struct CsvFileLayout {
  CsvDialect dialect;
  bool header = false;
  // Final names and types (after overrides and deduplication).
  std::vector<std::string> names;
  std::vector<LogicalType> types;
  // True for columns whose type came from an override rather than inference.
  std::vector<bool> type_fixed;
  // Byte offset of the first data row (after `skip` lines and the header).
  int64_t data_start = 0;
  // A quoted field in the sample spans lines, so the file cannot be split at newlines.
  bool multiline = false;
  // The file holds no row at all (not even a header).
  bool empty = false;
};

// Detects the dialect (unless set in `options`), header, column names and types of `file`
// from up to options.sample_size rows at its start. With `reference` (the layout of the
// first file of a multi-file scan), uses its dialect and header setting instead of detecting
// them. Throws InvalidInputError for overrides that do not fit the file.
CsvFileLayout SniffCsv(const FileReader& file, const CsvOptions& options,
                       const CsvFileLayout* reference = nullptr);

// Names for columns without one, DuckDB style: column0..column9, or column00.. when there
// are more than 10 columns.
std::string GeneratedColumnName(size_t index, size_t num_columns);

}  // namespace sluice
