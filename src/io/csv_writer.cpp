#include "io/csv_writer.h"

#include <charconv>
#include <iterator>

#include <fmt/format.h>

#include "common/error.h"
#include "types/blob.h"
#include "types/date_time.h"
#include "types/decimal.h"
#include "types/interval.h"
#include "types/timestamp_tz.h"

namespace sluice {

namespace {

// Bytes collected before each write: large writes, bounded memory.
constexpr size_t kFlushBytes = 1 << 20;

// Appends `text` as one field: quoted when it holds the delimiter, the quote or a line
// break, is empty or equals the NULL text.
void AppendField(std::string_view text, const CsvWriteOptions& options, std::string* out) {
  const char delimiter = options.delimiter;
  const char quote = options.quote;
  bool needs_quotes = text.empty() || text == options.null_string;
  for (size_t i = 0; !needs_quotes && i < text.size(); i++) {
    const char c = text[i];
    needs_quotes = c == delimiter || c == quote || c == '\n' || c == '\r';
  }
  if (!needs_quotes) {
    out->append(text);
    return;
  }
  out->push_back(quote);
  for (const char c : text) {
    if (c == quote) out->push_back(quote);
    out->push_back(c);
  }
  out->push_back(quote);
}

template <typename T>
void AppendInteger(std::string* out, T value) {
  char digits[48];
  const auto result = std::to_chars(digits, digits + sizeof(digits), value);
  out->append(digits, result.ptr);
}

void AppendDigits(std::string* out, int64_t value, int width) {
  char digits[8];
  for (int i = width - 1; i >= 0; i--) {
    digits[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out->append(digits, width);
}

// ISO date; years outside 0..9999 take the general (slower) formatter.
void AppendDate(std::string* out, int32_t days) {
  const CivilDate c = CivilFromDays(days);
  if (c.year < 0 || c.year > 9999) {
    out->append(FormatDate(days));
    return;
  }
  AppendDigits(out, c.year, 4);
  out->push_back('-');
  AppendDigits(out, c.month, 2);
  out->push_back('-');
  AppendDigits(out, c.day, 2);
}

void AppendTimestamp(std::string* out, int64_t micros) {
  const int64_t days = FloorDiv(micros, kMicrosPerDay);
  const CivilDate c = CivilFromDays(static_cast<int32_t>(days));
  if (c.year < 0 || c.year > 9999) {
    out->append(FormatTimestamp(micros));
    return;
  }
  AppendDate(out, static_cast<int32_t>(days));
  int64_t rest = micros - days * kMicrosPerDay;
  const int64_t fraction = rest % kMicrosPerSecond;
  rest /= kMicrosPerSecond;
  out->push_back(' ');
  AppendDigits(out, rest / 3600, 2);
  out->push_back(':');
  AppendDigits(out, rest / 60 % 60, 2);
  out->push_back(':');
  AppendDigits(out, rest % 60, 2);
  if (fraction != 0) {
    int64_t f = fraction;
    int width = 6;
    while (f % 10 == 0) {
      f /= 10;
      width--;
    }
    out->push_back('.');
    AppendDigits(out, f, width);
  }
}

}  // namespace

CsvWriter::CsvWriter(std::string path, Schema schema, CsvWriteOptions options)
    : schema_(std::move(schema)), options_(std::move(options)) {
  file_ = std::make_unique<AtomicFileWriter>(std::move(path));
  buffer_.reserve(kFlushBytes + (64 << 10));
  buffer_ = HeaderLine(schema_, options_);
}

std::string CsvWriter::HeaderLine(const Schema& schema, const CsvWriteOptions& options) {
  std::string line;
  if (!options.header) return line;
  for (size_t c = 0; c < schema.size(); c++) {
    if (c > 0) line.push_back(options.delimiter);
    AppendField(schema.field(c).name, options, &line);
  }
  line.push_back('\n');
  return line;
}

CsvWriter::~CsvWriter() = default;

void CsvWriter::Write(const Batch& batch) {
  SLUICE_CHECK(!finished_, "write after Close");
  SLUICE_CHECK(batch.num_columns() == schema_.size(), "columns={} schema={}",
               batch.num_columns(), schema_.size());
  const size_t num_columns = batch.num_columns();
  for (size_t row = 0; row < batch.num_rows(); row++) {
    for (size_t c = 0; c < num_columns; c++) {
      if (c > 0) buffer_.push_back(options_.delimiter);
      AppendValue(*batch.column(c), row);
    }
    buffer_.push_back('\n');
    FlushIfFull();
  }
  rows_ += static_cast<int64_t>(batch.num_rows());
}

void CsvWriter::FlushIfFull() {
  if (buffer_.size() < kFlushBytes) return;
  file_->Write(buffer_);
  buffer_.clear();
}

void CsvWriter::Close() {
  SLUICE_CHECK(!finished_, "Close called twice");
  if (!buffer_.empty()) file_->Write(buffer_);
  buffer_.clear();
  file_->Commit();
  finished_ = true;
}

void CsvWriter::AppendString(std::string_view text) { AppendField(text, options_, &buffer_); }

void CsvWriter::AppendValue(const Column& column, size_t row) {
  if (column.is_constant()) row = 0;
  if (!column.IsValid(row)) {
    buffer_.append(options_.null_string);
    return;
  }
  const LogicalType& type = column.type();
  switch (type.id()) {
    case TypeId::kNull: buffer_.append(options_.null_string); break;
    case TypeId::kBoolean:
      buffer_.append(column.data<uint8_t>()[row] ? "true" : "false");
      break;
    case TypeId::kTinyInt: AppendInteger(&buffer_, column.data<int8_t>()[row]); break;
    case TypeId::kSmallInt: AppendInteger(&buffer_, column.data<int16_t>()[row]); break;
    case TypeId::kInteger: AppendInteger(&buffer_, column.data<int32_t>()[row]); break;
    case TypeId::kBigInt: AppendInteger(&buffer_, column.data<int64_t>()[row]); break;
    case TypeId::kDouble:
      fmt::format_to(std::back_inserter(buffer_), "{}", column.data<double>()[row]);
      break;
    case TypeId::kDecimal: {
      const int128_t unscaled = type.IsWideDecimal() ? column.data<int128_t>()[row]
                                                     : column.data<int64_t>()[row];
      buffer_.append(FormatDecimal(unscaled, type.scale()));
      break;
    }
    case TypeId::kVarchar: AppendString(column.data<StringView>()[row].view()); break;
    case TypeId::kDate: AppendDate(&buffer_, column.data<int32_t>()[row]); break;
    case TypeId::kTimestamp: AppendTimestamp(&buffer_, column.data<int64_t>()[row]); break;
    case TypeId::kInterval: AppendString(FormatInterval(column.data<Interval>()[row])); break;
    case TypeId::kTime: buffer_.append(FormatTime(column.data<int64_t>()[row])); break;
    case TypeId::kBlob: AppendString(FormatBlob(column.data<StringView>()[row].view())); break;
    case TypeId::kTimestampTz:
      buffer_.append(FormatTimestampTz(column.data<int64_t>()[row], CurrentTimeZone()));
      break;
    case TypeId::kList:
    case TypeId::kStruct:
    case TypeId::kMap: AppendString(column.GetValue(row).ToString()); break;  // as DuckDB
  }
}

}  // namespace sluice
