#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "types/logical_type.h"
#include "vector/schema.h"

namespace sluice {

// How to read CSV files (read_csv's arguments). Unset optionals are detected from a sample
// of the first file (see SniffCsv).
struct CsvOptions {
  // Field separator; detected among , | ; and tab when unset.
  std::optional<char> delimiter;
  char quote = '"';
  // Escapes a quote inside a quoted field; the quote itself (RFC 4180 "") when unset.
  std::optional<char> escape;
  // Whether the first row (after `skip`) holds column names; detected when unset.
  std::optional<bool> header;
  // Unquoted field texts read as NULL. A quoted field is never NULL, so "" stays an empty
  // string (what CsvWriter relies on for round trips). Empty fields of non-VARCHAR columns
  // are always NULL.
  std::vector<std::string> null_strings = {""};
  // Replaces the column names (header or generated); must name every column.
  std::vector<std::string> column_names;
  // Forces the type of the named columns (case-insensitive); others are inferred.
  std::vector<std::pair<std::string, LogicalType>> column_types;
  // Replaces names and types of all columns; must have as many fields as the file.
  std::optional<Schema> schema;
  // Rows sampled for type inference.
  int64_t sample_size = 20480;
  // Skip rows that do not parse (and count them) instead of failing.
  bool ignore_errors = false;
  // With ignore_errors: also write skipped rows to this CSV (file, line, column, error,
  // raw_line). Empty: do not write them.
  std::string rejects_path;
  // strptime-like formats (%Y %y %m %d %H %M %S %f %b and literal characters); empty
  // means ISO 8601 (2024-03-01, 2024-03-01 12:30:00[.123456]).
  std::string date_format;
  std::string timestamp_format;
  // Lines ignored at the start of every file, before the header.
  int64_t skip = 0;
  // Lines starting with this character are ignored.
  std::optional<char> comment;
  // Longest row accepted, in bytes; a longer one is an error (guards against a runaway
  // quote swallowing the file).
  int64_t max_line_size = 2 << 20;
  // Target bytes per split (parallel unit of a scan). Files with quoted newlines are read
  // as one split each regardless.
  int64_t target_split_bytes = 32 << 20;
};

}  // namespace sluice
