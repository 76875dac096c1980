#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace sluice::dbt {

// A seed file read as dbt reads it (Python's csv module under agate): fields separated by
// `delimiter`, "..." quoting with "" for a quote, quoted fields may hold delimiters and
// newlines, CRLF / CR / LF all end a row (and read as \n inside quotes), a UTF-8 BOM is
// skipped. The first row names the columns; a short row is padded with NULLs (so a blank
// line is a row of NULLs, as in agate). Values are the raw texts; NULL handling happens in
// type inference.
struct SeedCsv {
  std::vector<std::string> names;
  std::vector<std::vector<std::string>> rows;  // each has names.size() fields
  std::vector<int64_t> lines;                  // the line each row starts on (1-based)
};

// Throws DbtError naming `path` and the line of an unterminated quote, a row with more
// fields than the header, an empty or duplicated column name, or a file without a header.
SeedCsv ParseSeedCsv(const std::string& text, const std::string& path, char delimiter = ',');

// agate's types as dbt tests them, in the order it tries them: the first type every value
// of the column casts to wins (Integer only takes an all-NULL column).
enum class SeedType { kInteger, kNumber, kDate, kDateTime, kBoolean, kText };

// The SQL type dbt's default adapter gives a column: integer / float8 (Number with a
// fractional digit anywhere) / date / timestamp / boolean / text, here BIGINT, DOUBLE, DATE,
// TIMESTAMP, BOOLEAN, VARCHAR.
struct SeedColumnType {
  SeedType type = SeedType::kText;
  std::string sql_type;
};

// Infers the type of every column; columns named in `text_columns` (those with a
// column_types override) are Text. NULL texts are "" and "null" in any case, after trimming.
std::vector<SeedColumnType> InferSeedTypes(const SeedCsv& csv,
                                           const std::set<std::string>& text_columns);

// The value of `text` as a column of `type` holds it, in the text form Sluice's CAST reads
// ("$1,200" -> "1200", "TRUE" -> "true", "2024-1-5" -> "2024-01-05", a Text value as is),
// or nullopt for NULL. REQUIRES: `text` casts to `type` (it was inferred from it).
std::optional<std::string> NormalizeSeedValue(SeedType type, const std::string& text);

}  // namespace sluice::dbt
