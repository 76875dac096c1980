#include "io/csv_sniffer.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>

#include <fmt/format.h>

#include "common/error.h"
#include "common/strings.h"
#include "io/csv_convert.h"
#include "io/file.h"
#include "types/date_time.h"
#include "types/timestamp_tz.h"

namespace sluice {

namespace {

// The sniffer reads at most this much of a file's start.
constexpr size_t kSniffBytes = 8 << 20;
// Rows per candidate delimiter when detecting the dialect.
constexpr size_t kDelimiterSampleRows = 1000;

// Tokenized sample rows; fields of row i are fields[rows[i].first_field ...).
struct Sample {
  struct Row {
    size_t first_field;
    int num_fields;
    size_t start;
    size_t next;
    bool spans_lines;
    bool error;
  };
  std::vector<Row> rows;
  std::vector<CsvField> fields;
};

Sample TokenizeSample(const CsvTokenizer& tokenizer, const char* data, size_t size, size_t pos,
                      bool at_eof, size_t max_rows) {
  Sample sample;
  std::vector<CsvField> row_fields(64);
  while (sample.rows.size() < max_rows) {
    CsvTokenizer::Row row;
    CsvTokenizer::Status status;
    for (;;) {
      status = tokenizer.NextRow(data, size, pos, at_eof, row_fields.data(),
                                 static_cast<int>(row_fields.size()), &row);
      if (status != CsvTokenizer::Status::kRow ||
          row.num_fields <= static_cast<int>(row_fields.size())) {
        break;
      }
      row_fields.resize(row.num_fields);
    }
    // A row cut off by the end of the sample is left out.
    if (status == CsvTokenizer::Status::kEnd || status == CsvTokenizer::Status::kNeedMore) break;
    const bool error = status == CsvTokenizer::Status::kError;
    const int kept = error ? 0 : row.num_fields;
    sample.rows.push_back(
        {sample.fields.size(), kept, row.start, row.next, row.spans_lines, error});
    sample.fields.insert(sample.fields.end(), row_fields.begin(), row_fields.begin() + kept);
    pos = row.next;
  }
  return sample;
}

// The most common field count among well-formed rows, and how many rows have it.
std::pair<int, size_t> ModalFieldCount(const Sample& sample) {
  std::map<int, size_t> counts;
  for (const auto& row : sample.rows) {
    if (!row.error) counts[row.num_fields]++;
  }
  std::pair<int, size_t> best{0, 0};
  for (const auto& [fields, rows] : counts) {
    if (rows > best.second) best = {fields, rows};
  }
  return best;
}

char DetectDelimiter(CsvDialect dialect, const char* data, size_t size, size_t pos,
                     bool at_eof) {
  char best = ',';
  std::pair<int, size_t> best_score{1, 0};
  for (const char candidate : {',', '|', ';', '\t'}) {
    if (candidate == dialect.quote) continue;
    dialect.delimiter = candidate;
    const Sample sample =
        TokenizeSample(CsvTokenizer(dialect), data, size, pos, at_eof, kDelimiterSampleRows);
    const auto [fields, rows] = ModalFieldCount(sample);
    if (fields <= 1) continue;
    // Most rows agreeing first; more columns break ties.
    if (rows > best_score.second || (rows == best_score.second && fields > best_score.first)) {
      best = candidate;
      best_score = {fields, rows};
    }
  }
  return best;
}

enum TypeBit : uint32_t {
  kBoolBit = 1,
  kBigIntBit = 2,
  kDoubleBit = 4,
  kDateBit = 8,
  kTimestampBit = 16,
  kTimeBit = 32,
  kTimestampTzBit = 64,
  kAllBits = 127,
};

// "2024-01-01 10:00:00+02" (a date, a time and a zone): TIMESTAMPTZ, as DuckDB sniffs it.
bool IsTimestampWithZone(std::string_view text) {
  try {
    return text.size() > 10 && text[4] == '-' && ParseTimestampTz(text, CurrentTimeZone());
  } catch (const InvalidInputError&) {
    return false;  // an unknown zone name: not a timestamp
  }
}

// "9:30", "12:30:00": a time of day, not a timestamp that ParseTime would take the time of.
bool StartsWithTimeOfDay(std::string_view text) {
  const size_t colon = text.find(':');
  return (colon == 1 || colon == 2) && std::isdigit(static_cast<unsigned char>(text[0]));
}

// The candidate types (bits) that `text` can be; a zero-padded number is not a number
// (HasCsvLeadingZero).
uint32_t ValueTypes(std::string_view text, uint32_t candidates, const TemporalFormat& date,
                    const TemporalFormat& timestamp) {
  uint32_t out = 0;
  if (HasCsvLeadingZero(text)) candidates &= ~(kBigIntBit | kDoubleBit);
  if ((candidates & kBoolBit) && IsCsvBooleanWord(text)) out |= kBoolBit;
  int64_t i;
  if ((candidates & kBigIntBit) && ParseCsvInteger(text, &i)) out |= kBigIntBit;
  double d;
  if ((candidates & kDoubleBit) && ParseCsvDouble(text, &d)) out |= kDoubleBit;
  int32_t days;
  if ((candidates & kDateBit) && date.ParseDate(text, &days)) out |= kDateBit;
  int64_t micros;
  if ((candidates & kTimestampBit) && timestamp.ParseTimestamp(text, &micros)) {
    out |= kTimestampBit;
  }
  const std::string_view trimmed = TrimCsvSpaces(text);
  if ((candidates & kTimestampTzBit) && IsTimestampWithZone(trimmed)) out |= kTimestampTzBit;
  // "12:30:00" (DuckDB sniffs TIME too).
  if ((candidates & kTimeBit) && StartsWithTimeOfDay(trimmed) && ParseTime(trimmed)) {
    out |= kTimeBit;
  }
  return out;
}

LogicalType TypeFromBits(uint32_t bits, bool saw_value) {
  if (!saw_value) return TypeId::kVarchar;
  if (bits & kBoolBit) return TypeId::kBoolean;
  if (bits & kBigIntBit) return TypeId::kBigInt;
  if (bits & kDoubleBit) return TypeId::kDouble;
  if (bits & kDateBit) return TypeId::kDate;
  if (bits & kTimestampBit) return TypeId::kTimestamp;
  if (bits & kTimestampTzBit) return TypeId::kTimestampTz;
  if (bits & kTimeBit) return TypeId::kTime;
  return TypeId::kVarchar;
}

bool IsNullText(std::string_view text, bool quoted, const std::vector<std::string>& nulls) {
  if (text.empty()) return true;
  if (quoted) return false;
  return std::find(nulls.begin(), nulls.end(), text) != nulls.end();
}

void DeduplicateNames(std::vector<std::string>* names) {
  const size_t n = names->size();
  for (size_t i = 0; i < n; i++) {
    if ((*names)[i].empty()) (*names)[i] = GeneratedColumnName(i, n);
  }
  std::vector<std::string> seen;
  for (auto& name : *names) {
    std::string candidate = name;
    for (int suffix = 1; std::find(seen.begin(), seen.end(), ToLower(candidate)) != seen.end();
         suffix++) {
      candidate = fmt::format("{}_{}", name, suffix);
    }
    name = candidate;
    seen.push_back(ToLower(candidate));
  }
}

void ApplyOverrides(const CsvOptions& options, const std::string& path, CsvFileLayout* layout) {
  const size_t n = layout->names.size();
  if (!options.column_names.empty()) {
    if (options.column_names.size() != n) {
      throw InvalidInputError(fmt::format("CSV file '{}' has {} columns but {} names were given",
                                          path, n, options.column_names.size()));
    }
    layout->names = options.column_names;
    DeduplicateNames(&layout->names);
  }
  if (options.schema) {
    if (options.schema->size() != n) {
      throw InvalidInputError(fmt::format(
          "CSV file '{}' has {} columns but the given schema has {} ({})", path, n,
          options.schema->size(), options.schema->ToString()));
    }
    for (size_t i = 0; i < n; i++) {
      layout->names[i] = options.schema->field(i).name;
      layout->types[i] = options.schema->field(i).type;
      layout->type_fixed[i] = true;
    }
  }
  for (const auto& [name, type] : options.column_types) {
    const std::string lower = ToLower(name);
    size_t i = 0;
    while (i < n && ToLower(layout->names[i]) != lower) i++;
    if (i == n) {
      throw InvalidInputError(fmt::format("CSV file '{}' has no column \"{}\" to set the type of{}",
                                          path, name, DidYouMean(name, layout->names)));
    }
    layout->types[i] = type;
    layout->type_fixed[i] = true;
  }
}

}  // namespace

std::string GeneratedColumnName(size_t index, size_t num_columns) {
  const size_t width = num_columns <= 1 ? 1 : std::to_string(num_columns - 1).size();
  return fmt::format("column{:0{}}", index, width);
}

CsvFileLayout SniffCsv(const FileReader& file, const CsvOptions& options,
                       const CsvFileLayout* reference) {
  PooledBuffer buffer(kSniffBytes);
  const size_t size = file.ReadAt(0, buffer.data(), std::min<size_t>(kSniffBytes, file.size()));
  const bool at_eof = static_cast<int64_t>(size) >= file.size();
  const char* data = buffer.data();

  size_t pos = 0;
  // A UTF-8 byte order mark is not part of the first value.
  if (size >= 3 && std::memcmp(data, "\xEF\xBB\xBF", 3) == 0) pos = 3;
  for (int64_t i = 0; i < options.skip && pos < size; i++) {
    const void* nl = std::memchr(data + pos, '\n', size - pos);
    pos = nl == nullptr ? size : static_cast<const char*>(nl) - data + 1;
  }

  CsvFileLayout layout;
  if (reference != nullptr) {
    layout.dialect = reference->dialect;
    layout.dialect.skip_blank_lines = true;
  } else {
    layout.dialect.quote = options.quote;
    layout.dialect.escape = options.escape.value_or(options.quote);
    layout.dialect.comment = options.comment.value_or('\0');
    layout.dialect.delimiter = options.delimiter ? *options.delimiter
                                                 : DetectDelimiter(layout.dialect, data, size,
                                                                   pos, at_eof);
  }
  const CsvTokenizer tokenizer(layout.dialect);
  const size_t max_rows = static_cast<size_t>(std::max<int64_t>(options.sample_size, 1)) + 1;
  const Sample sample = TokenizeSample(tokenizer, data, size, pos, at_eof, max_rows);
  if (sample.rows.empty()) {
    layout.empty = true;
    layout.data_start = static_cast<int64_t>(size);
    return layout;
  }
  int num_columns = ModalFieldCount(sample).first;
  if (num_columns == 0) num_columns = std::max(sample.rows[0].num_fields, 1);

  // Candidate types per column, from the rows after the first and from the first alone.
  const TemporalFormat date_format(options.date_format);
  const TemporalFormat timestamp_format(options.timestamp_format);
  std::string scratch;
  auto text_of = [&](const Sample::Row& row, int c, bool* quoted) {
    const CsvField field = sample.fields[row.first_field + c];
    *quoted = field.quoted();
    return tokenizer.FieldText(data, field, &scratch);
  };
  std::vector<uint32_t> bits(num_columns, kAllBits);
  std::vector<bool> saw_value(num_columns, false);
  for (size_t r = 1; r < sample.rows.size(); r++) {
    const Sample::Row& row = sample.rows[r];
    if (row.error || row.num_fields != num_columns) continue;
    layout.multiline |= row.spans_lines;
    for (int c = 0; c < num_columns; c++) {
      bool quoted;
      const std::string_view text = text_of(row, c, &quoted);
      if (IsNullText(text, quoted, options.null_strings)) continue;
      saw_value[c] = true;
      if (bits[c] != 0) bits[c] &= ValueTypes(text, bits[c], date_format, timestamp_format);
    }
  }
  const Sample::Row& first = sample.rows[0];
  layout.multiline |= first.spans_lines;
  const bool first_usable = !first.error && first.num_fields == num_columns;

  if (reference != nullptr) {
    layout.header = reference->header;
  } else if (options.header) {
    layout.header = *options.header;
  } else if (first_usable) {
    // A header is a row of non-null strings above data that has some typed column, or above
    // all-string data when its names are distinct.
    bool all_strings = true;
    bool any_value = false;
    std::vector<std::string> lowered;
    for (int c = 0; c < num_columns; c++) {
      bool quoted;
      const std::string_view text = text_of(first, c, &quoted);
      lowered.push_back(ToLower(text));
      if (text.empty()) continue;
      any_value = true;
      if (ValueTypes(text, kAllBits, date_format, timestamp_format) != 0) all_strings = false;
    }
    bool typed_below = false;
    for (int c = 0; c < num_columns; c++) {
      if (TypeFromBits(bits[c], saw_value[c]).id() != TypeId::kVarchar) typed_below = true;
    }
    std::sort(lowered.begin(), lowered.end());
    const bool distinct = std::adjacent_find(lowered.begin(), lowered.end()) == lowered.end();
    layout.header = all_strings && any_value && (typed_below || distinct);
  }

  if (!layout.header && first_usable) {
    for (int c = 0; c < num_columns; c++) {
      bool quoted;
      const std::string_view text = text_of(first, c, &quoted);
      if (IsNullText(text, quoted, options.null_strings)) continue;
      saw_value[c] = true;
      if (bits[c] != 0) bits[c] &= ValueTypes(text, bits[c], date_format, timestamp_format);
    }
  }
  for (int c = 0; c < num_columns; c++) {
    layout.types.push_back(TypeFromBits(bits[c], saw_value[c]));
    layout.type_fixed.push_back(false);
  }
  if (layout.header) {
    for (int c = 0; c < num_columns; c++) {
      bool quoted;
      layout.names.emplace_back(c < first.num_fields ? text_of(first, c, &quoted) : "");
    }
    layout.data_start = static_cast<int64_t>(first.next);
  } else {
    layout.names.resize(num_columns);
    layout.data_start = static_cast<int64_t>(pos);
  }
  DeduplicateNames(&layout.names);
  ApplyOverrides(options, file.path(), &layout);
  // A lone column has no delimiter to tell an empty line from a NULL value: keep them.
  layout.dialect.skip_blank_lines = num_columns > 1;
  return layout;
}

}  // namespace sluice
