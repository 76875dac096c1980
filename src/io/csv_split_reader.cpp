#include "io/csv_split_reader.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "common/error.h"
#include "io/csv_convert.h"
#include "types/date_time.h"
#include "types/decimal.h"
#include "types/interval.h"

namespace sluice {

namespace {

// Read granularity: large enough that pread costs vanish, small enough to stay in cache-ish
// pooled memory. Past the split's end, reads shrink to kReadAhead (only one row is needed).
constexpr size_t kReadBufferBytes = 8 << 20;
constexpr size_t kReadAhead = 64 << 10;
// Most tokenized fields held before converting them (8 bytes each).
constexpr size_t kMaxRunFields = 16 << 10;

// What every conversion loop needs to know about the field column being converted.
struct ConvertArgs {
  const CsvTokenizer* tokenizer;
  const char* data;
  const CsvField* fields;
  int stride;
  int c;
  Column* column;
  size_t base;
  const std::vector<std::string>* nulls;
  bool empty_is_null;     // "" is one of the null strings
  bool only_empty_null;   // the null strings are exactly {""}
  std::string* scratch;
};

bool IsNullString(std::string_view text, const std::vector<std::string>& nulls) {
  for (const auto& n : nulls) {
    if (text == n) return true;
  }
  return false;
}

// Converts rows [from, to) with `parse`; returns the first row that does not convert, or
// `to`. Empty fields are NULL for every type but VARCHAR, where it depends on null_strings.
template <typename T, bool kVarchar, typename Parse>
size_t ConvertLoop(const ConvertArgs& a, size_t from, size_t to, Parse&& parse) {
  T* out = a.column->data<T>() + a.base;
  for (size_t i = from; i < to; i++) {
    const CsvField field = a.fields[i * a.stride + a.c];
    if (field.size() == 0) {
      if constexpr (kVarchar) {
        if (field.quoted() || !a.empty_is_null) {
          out[i] = T();
          continue;
        }
      }
      out[i] = T();
      a.column->SetNull(a.base + i);
      continue;
    }
    const std::string_view text = a.tokenizer->FieldText(a.data, field, a.scratch);
    if (!a.only_empty_null && !field.quoted() && IsNullString(text, *a.nulls)) {
      out[i] = T();
      a.column->SetNull(a.base + i);
      continue;
    }
    if (!parse(text, &out[i])) {
      out[i] = T();
      a.column->SetNull(a.base + i);
      return i;
    }
  }
  return to;
}

template <typename T>
bool ParseNarrowInteger(std::string_view text, T* out) {
  int64_t v;
  if (!ParseCsvInteger(text, &v)) return false;
  if (v < std::numeric_limits<T>::min() || v > std::numeric_limits<T>::max()) return false;
  *out = static_cast<T>(v);
  return true;
}

std::string Shorten(std::string_view text) {
  constexpr size_t kMax = 100;
  if (text.size() <= kMax) return std::string(text);
  return std::string(text.substr(0, kMax)) + "...";
}

}  // namespace

CsvSplitReader::CsvSplitReader(const CsvScanContext& context, const CsvScanFile& file,
                               const CsvSplit& split, std::vector<int> columns)
    : context_(context),
      file_(file),
      split_(split),
      columns_(std::move(columns)),
      num_columns_(static_cast<int>(context.schema.size())),
      tokenizer_(file.layout.dialect),
      reader_(file.path) {
  null_is_empty_only_ = context_.null_strings.size() == 1 && context_.null_strings[0].empty();
  // Rows are tokenized in runs of at most ~128 KB of fields, so that wide files do not need
  // a large (freshly mapped, slow to touch) field table.
  const size_t width = static_cast<size_t>(std::max(num_columns_, 1));
  run_rows_ = std::clamp<size_t>(kMaxRunFields / width, 1, kBatchSize);
  fields_ = std::make_unique_for_overwrite<CsvField[]>(run_rows_ * width);
  pending_.reserve(run_rows_);
}

void CsvSplitReader::StartBatch() {
  batch_columns_.clear();
  for (const int c : columns_) {
    batch_columns_.push_back(Column::Make(context_.schema.field(c).type, kBatchSize));
  }
  batch_rows_ = 0;
}

bool CsvSplitReader::Next(Batch* out) {
  if (!started_) {
    started_ = true;
    Begin();
  }
  if (batch_columns_.size() != columns_.size() || batch_rows_ == kBatchSize) StartBatch();
  for (;;) {
    while (!done_ && batch_rows_ + pending_.size() < kBatchSize) {
      if (pending_.size() == run_rows_) Flush();
      ReadRow();
    }
    Flush();
    if (done_ || batch_rows_ == kBatchSize) break;
  }
  if (batch_rows_ == 0) return false;
  std::vector<ColumnPtr> columns;
  columns.reserve(batch_columns_.size());
  for (auto& column : batch_columns_) {
    column->set_size(batch_rows_);
    columns.push_back(std::move(column));
  }
  *out = Batch(std::move(columns), batch_rows_);
  batch_columns_.clear();
  batch_rows_ = 0;
  return true;
}

void CsvSplitReader::Begin() {
  size_t size = kReadBufferBytes;
  while (size < static_cast<size_t>(context_.max_line_size) * 2) size *= 2;
  buffer_ = std::make_unique<PooledBuffer>(size);
  buffer_offset_ = split_.begin;
  filled_ = 0;
  pos_ = 0;
  Refill(0);
  if (split_.first_in_file) return;
  // A split that starts mid-file starts after the first newline at or after its start; the
  // row before it belongs to the previous split.
  for (;;) {
    const char* data = buffer_->data();
    const void* nl = std::memchr(data + pos_, '\n', filled_ - pos_);
    if (nl != nullptr) {
      pos_ = static_cast<const char*>(nl) - data + 1;
      return;
    }
    if (eof_) {
      done_ = true;
      return;
    }
    Refill(filled_);
  }
}

void CsvSplitReader::Refill(size_t keep_from) {
  SLUICE_CHECK(keep_from <= filled_, "keep_from={} filled={}", keep_from, filled_);
  char* data = buffer_->data();
  const size_t keep = filled_ - keep_from;
  if (keep > 0 && keep_from > 0) std::memmove(data, data + keep_from, keep);
  buffer_offset_ += static_cast<int64_t>(keep_from);
  filled_ = keep;
  pos_ = 0;
  if (filled_ == buffer_->size()) {
    buffer_->Grow(buffer_->size() * 2, filled_);
    data = buffer_->data();
  }
  const int64_t read_at = buffer_offset_ + static_cast<int64_t>(filled_);
  const int64_t to_end = split_.end + 1 - read_at;
  size_t want = buffer_->size() - filled_;
  want = std::min(want, to_end > 0 ? static_cast<size_t>(to_end) + kReadAhead : kReadAhead);
  const size_t got = reader_.ReadAt(read_at, data + filled_, want);
  filled_ += got;
  eof_ = got < want || buffer_offset_ + static_cast<int64_t>(filled_) >= reader_.size();
}

void CsvSplitReader::ReadRow() {
  if (buffer_offset_ + static_cast<int64_t>(pos_) > split_.end) {
    done_ = true;
    return;
  }
  CsvTokenizer::Row row;
  CsvField* out = fields_.get() + pending_.size() * num_columns_;
  const auto status =
      tokenizer_.NextRow(buffer_->data(), filled_, pos_, eof_, out, num_columns_, &row);
  if (status == CsvTokenizer::Status::kEnd ||
      buffer_offset_ + static_cast<int64_t>(row.start) > split_.end) {
    done_ = true;
    return;
  }
  if (status == CsvTokenizer::Status::kNeedMore) {
    SLUICE_CHECK(!eof_, "tokenizer wants more input at the end of '{}'", file_.path);
    if (filled_ - row.start > static_cast<size_t>(context_.max_line_size)) {
      ThrowLineTooLong(row.start);
    }
    Flush();  // pending rows point into the bytes Refill moves
    Refill(row.start);
    return;
  }
  pos_ = row.next;
  if (row.next - row.start > static_cast<size_t>(context_.max_line_size)) {
    ReportRowError(row, fmt::format("row longer than max_line_size ({} bytes); read_csv(..., "
                                    "max_line_size = N) reads longer rows",
                                    context_.max_line_size), 0);
    return;
  }
  if (status == CsvTokenizer::Status::kError) {
    const char* what = row.error == CsvTokenizer::ErrorKind::kUnterminatedQuote
                           ? "unterminated quoted value"
                           : "unexpected text after a closing quote";
    ReportRowError(row, what, row.error_field + 1);
    return;
  }
  if (row.num_fields != num_columns_) {
    const std::string message = fmt::format("expected {} columns but found {}", num_columns_,
                                            row.num_fields);
    const int column = row.num_fields < num_columns_ ? row.num_fields + 1 : num_columns_ + 1;
    ReportRowError(row, message, column);
    return;
  }
  pending_.push_back({static_cast<uint32_t>(row.start), static_cast<uint32_t>(row.next)});
}

size_t CsvSplitReader::ConvertRange(Column* column, int c, size_t from, size_t to) {
  const ConvertArgs a{&tokenizer_,       buffer_->data(),
                      fields_.get(),    num_columns_,
                      c,                 column,
                      batch_rows_,       &context_.null_strings,
                      IsNullString("", context_.null_strings), null_is_empty_only_,
                      &scratch_};
  const LogicalType& type = column->type();
  switch (type.id()) {
    case TypeId::kBoolean:
      return ConvertLoop<uint8_t, false>(a, from, to, [](std::string_view t, uint8_t* out) {
        bool b;
        if (!ParseCsvBoolean(t, &b)) return false;
        *out = b ? 1 : 0;
        return true;
      });
    case TypeId::kTinyInt:
      return ConvertLoop<int8_t, false>(a, from, to, ParseNarrowInteger<int8_t>);
    case TypeId::kSmallInt:
      return ConvertLoop<int16_t, false>(a, from, to, ParseNarrowInteger<int16_t>);
    case TypeId::kInteger:
      return ConvertLoop<int32_t, false>(a, from, to, ParseNarrowInteger<int32_t>);
    case TypeId::kBigInt: return ConvertLoop<int64_t, false>(a, from, to, ParseCsvInteger);
    case TypeId::kDouble: return ConvertLoop<double, false>(a, from, to, ParseCsvDouble);
    case TypeId::kDecimal: {
      const int precision = type.precision();
      const int scale = type.scale();
      if (type.IsWideDecimal()) {
        return ConvertLoop<int128_t, false>(a, from, to, [&](std::string_view t, int128_t* out) {
          const auto v = ParseDecimal(TrimCsvSpaces(t), precision, scale);
          if (v) *out = *v;
          return v.has_value();
        });
      }
      return ConvertLoop<int64_t, false>(a, from, to, [&](std::string_view t, int64_t* out) {
        const auto v = ParseDecimal(TrimCsvSpaces(t), precision, scale);
        if (v) *out = static_cast<int64_t>(*v);
        return v.has_value();
      });
    }
    case TypeId::kVarchar:
      return ConvertLoop<StringView, true>(a, from, to, [&](std::string_view t, StringView* out) {
        *out = t.size() <= StringView::kInlineSize ? StringView(t) : column->AddString(t);
        return true;
      });
    case TypeId::kDate:
      return ConvertLoop<int32_t, false>(a, from, to, [&](std::string_view t, int32_t* out) {
        return context_.date_format.ParseDate(t, out);
      });
    case TypeId::kTimestamp:
      return ConvertLoop<int64_t, false>(a, from, to, [&](std::string_view t, int64_t* out) {
        return context_.timestamp_format.ParseTimestamp(t, out);
      });
    case TypeId::kTime:
      return ConvertLoop<int64_t, false>(a, from, to, [](std::string_view t, int64_t* out) {
        const auto v = ParseTime(TrimCsvSpaces(t));
        if (v) *out = *v;
        return v.has_value();
      });
    case TypeId::kInterval:
      return ConvertLoop<Interval, false>(a, from, to, [](std::string_view t, Interval* out) {
        const auto v = ParseInterval(TrimCsvSpaces(t));
        if (v) *out = *v;
        return v.has_value();
      });
    case TypeId::kNull:
      for (size_t i = from; i < to; i++) column->SetNull(batch_rows_ + i);
      return to;
    case TypeId::kList:
    case TypeId::kStruct:
    case TypeId::kMap:
    case TypeId::kBlob:
    case TypeId::kTimestampTz:
      // Nested values as DuckDB writes them ("[1, 2]", "{a=1}"), BLOBs (\xAA) and TIMESTAMPTZs,
      // through the text cast.
      for (size_t i = from; i < to; i++) {
        const CsvField field = a.fields[i * a.stride + a.c];
        const std::string_view text = a.tokenizer->FieldText(a.data, field, a.scratch);
        const size_t row = batch_rows_ + i;
        if (field.size() == 0 || (!field.quoted() && IsNullString(text, *a.nulls))) {
          column->SetValue(row, Value::Null(type));
          continue;
        }
        try {
          column->SetValue(row, Value::Varchar(std::string(text)).CastTo(type));
        } catch (const ConversionError&) {
          column->SetValue(row, Value::Null(type));
          return i;
        }
      }
      return to;
  }
  return to;
}

void CsvSplitReader::Flush() {
  const size_t rows = pending_.size();
  if (rows == 0) return;
  size_t limit = rows;
  // Strict mode: the earliest failing row (then the first projected column failing there).
  size_t error_row = rows;
  int error_column = -1;
  std::string error_message;
  // Ignore mode: every failing row with its first error.
  std::vector<uint8_t> bad;
  std::vector<std::tuple<size_t, int, std::string>> rejected;
  for (size_t j = 0; j < columns_.size(); j++) {
    const int c = columns_[j];
    Column* column = batch_columns_[j].get();
    size_t i = 0;
    while ((i = ConvertRange(column, c, i, limit)) < limit) {
      const CsvField field = fields_[i * num_columns_ + c];
      const std::string message =
          fmt::format("could not convert \"{}\" to {}",
                      Shorten(tokenizer_.FieldText(buffer_->data(), field, &scratch_)),
                      column->type().ToString());
      if (!context_.ignore_errors) {
        error_row = i;
        error_column = c;
        error_message = message;
        limit = i;
        break;
      }
      if (bad.empty()) bad.assign(rows, 0);
      if (!bad[i]) {
        bad[i] = 1;
        rejected.emplace_back(i, c, message);
      }
      i++;
    }
  }
  if (error_row < rows) {
    done_ = true;
    const int64_t line = LineAt(buffer_offset_ + pending_[error_row].start);
    throw ConversionError(Where(line, error_column + 1) + ": " + error_message);
  }
  if (!rejected.empty()) {
    std::sort(rejected.begin(), rejected.end(),
              [](const auto& x, const auto& y) { return std::get<0>(x) < std::get<0>(y); });
    for (const auto& [row, c, message] : rejected) {
      const PendingRow& p = pending_[row];
      context_.rejects->Add(file_.path, LineAt(buffer_offset_ + p.start), c + 1, message,
                            RawLine(p.start, p.next));
    }
    CompactBatch(bad);
    batch_rows_ += rows - rejected.size();
  } else {
    batch_rows_ += rows;
  }
  pending_.clear();
}

void CsvSplitReader::CompactBatch(const std::vector<uint8_t>& bad) {
  const size_t rows = bad.size();
  for (auto& column : batch_columns_) {
    const size_t width = column->type().PhysicalSize();
    uint8_t* data = column->raw_data();
    size_t dst = 0;
    for (size_t src = 0; src < rows; src++) {
      if (bad[src]) continue;
      if (src != dst) {
        std::memcpy(data + (batch_rows_ + dst) * width, data + (batch_rows_ + src) * width,
                    width);
        if (column->validity() != nullptr) {
          if (column->IsValid(batch_rows_ + src)) {
            column->SetValid(batch_rows_ + dst);
          } else {
            column->SetNull(batch_rows_ + dst);
          }
        }
      }
      dst++;
    }
    // Freed slots are written again by later rows, which only ever mark NULLs.
    for (size_t i = dst; i < rows; i++) column->SetValid(batch_rows_ + i);
  }
}

void CsvSplitReader::ReportRowError(const CsvTokenizer::Row& row, std::string message,
                                    int column) {
  Flush();  // an earlier row's conversion error is reported first
  const int64_t line = LineAt(buffer_offset_ + static_cast<int64_t>(row.start));
  if (!context_.ignore_errors) {
    done_ = true;
    throw IOError(Where(line, column) + ": " + message);
  }
  context_.rejects->Add(file_.path, line, column, message, RawLine(row.start, row.next));
}

void CsvSplitReader::ThrowLineTooLong(size_t row_start) {
  done_ = true;
  const int64_t line = LineAt(buffer_offset_ + static_cast<int64_t>(row_start));
  throw IOError(Where(line, 0) + fmt::format(": row longer than max_line_size ({} bytes); read_csv(..., "
                                             "max_line_size = N) reads longer rows",
                                             context_.max_line_size));
}

std::string CsvSplitReader::Where(int64_t line, int column) const {
  std::string out = fmt::format("Error reading CSV '{}' line {}", file_.path, line);
  if (column > 0) {
    out += fmt::format(", column {}", column);
    if (column <= num_columns_) {
      out += fmt::format(" (\"{}\")", context_.schema.field(column - 1).name);
    }
  }
  return out;
}

int64_t CsvSplitReader::LineAt(int64_t offset) {
  if (offset < line_offset_) {
    line_offset_ = 0;
    line_number_ = 1;
  }
  std::vector<char> chunk(std::min<int64_t>(1 << 20, std::max<int64_t>(offset - line_offset_, 1)));
  while (line_offset_ < offset) {
    const size_t want = std::min<int64_t>(chunk.size(), offset - line_offset_);
    const size_t got = reader_.ReadAt(line_offset_, chunk.data(), want);
    if (got == 0) break;
    line_number_ += std::count(chunk.data(), chunk.data() + got, '\n');
    line_offset_ += static_cast<int64_t>(got);
  }
  return line_number_;
}

std::string_view CsvSplitReader::RawLine(size_t start, size_t next) const {
  std::string_view raw(buffer_->data() + start, next - start);
  while (!raw.empty() && (raw.back() == '\n' || raw.back() == '\r')) raw.remove_suffix(1);
  return raw;
}

}  // namespace sluice
