#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sluice {

// One field of a tokenized row: a byte range of the tokenizer's input (quotes removed but
// escapes still in place), and whether it was quoted / contains escapes.
struct CsvField {
  static constexpr uint32_t kQuoted = 1u << 31;
  static constexpr uint32_t kEscaped = 1u << 30;
  static constexpr uint32_t kSizeMask = kEscaped - 1;

  uint32_t offset;
  uint32_t size_and_flags;

  uint32_t size() const { return size_and_flags & kSizeMask; }
  bool quoted() const { return (size_and_flags & kQuoted) != 0; }
  bool escaped() const { return (size_and_flags & kEscaped) != 0; }
};

// The dialect of a CSV file: what separates, quotes and comments.
struct CsvDialect {
  char delimiter = ',';
  char quote = '"';
  char escape = '"';
  char comment = '\0';  // '\0': no comment lines
  // Empty lines are skipped (always, except for single-column files where they are NULLs).
  bool skip_blank_lines = true;
};

// Splits CSV text into rows and fields, one row per call. Stateless between rows, so a
// caller that runs out of input restarts the row once it has more. Rows end at LF; a CR
// before the LF is dropped. Not thread-safe (holds no state but is cheap to copy).
class CsvTokenizer {
 public:
  enum class Status {
    kRow,        // a complete row: fields written, `next` is where the following row starts
    kNeedMore,   // input ended inside a row (and !at_eof): retry from `start` with more bytes
    kEnd,        // no more rows (only blank or comment lines were left)
    kError,      // a malformed row [start, next): unterminated or misplaced quote
  };
  enum class ErrorKind { kNone, kUnterminatedQuote, kTextAfterQuote };

  struct Row {
    size_t start = 0;        // first byte of the row (after skipped blank/comment lines)
    size_t next = 0;         // first byte after the row (after its newline)
    int num_fields = 0;      // fields found, which may exceed max_fields (those not written)
    bool spans_lines = false;  // a quoted field contains a newline
    ErrorKind error = ErrorKind::kNone;
    int error_field = 0;     // 0-based field of the error
  };

  explicit CsvTokenizer(const CsvDialect& dialect);

  // Tokenizes the row at data[pos]; `at_eof` says no bytes follow data[size). Writes up to
  // `max_fields` fields (offsets relative to `data`) into `fields`.
  // REQUIRES: size < 1 GiB (offsets fit in CsvField).
  Status NextRow(const char* data, size_t size, size_t pos, bool at_eof, CsvField* fields,
                 int max_fields, Row* row) const;

  // The value of a field: a view into `data`, or for escaped fields the unescaped text in
  // `scratch`.
  std::string_view FieldText(const char* data, CsvField field, std::string* scratch) const {
    if (!field.escaped()) return {data + field.offset, field.size()};
    return Unescape(data, field, scratch);
  }

  const CsvDialect& dialect() const { return dialect_; }

 private:
  std::string_view Unescape(const char* data, CsvField field, std::string* scratch) const;
  // Scans a quoted field whose opening quote is at data[p]. Returns the position of the
  // closing quote, or `size` when input ended first; sets *escaped.
  size_t FindClosingQuote(const char* data, size_t p, size_t size, bool at_eof,
                          bool* escaped, bool* need_more) const;

  CsvDialect dialect_;
};

}  // namespace sluice
