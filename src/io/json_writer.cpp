#include "io/json_writer.h"

#include <charconv>
#include <cmath>
#include <iterator>

#include <fmt/format.h>

#include "common/error.h"
#include "io/json_tokenizer.h"
#include "types/blob.h"
#include "types/date_time.h"
#include "types/decimal.h"
#include "types/interval.h"
#include "types/timestamp_tz.h"

namespace sluice {

namespace {
constexpr size_t kFlushBytes = 1 << 20;

template <typename T>
void AppendInteger(std::string* out, T value) {
  char digits[48];
  const auto result = std::to_chars(digits, digits + sizeof(digits), value);
  out->append(digits, result.ptr);
}
}  // namespace

JsonWriter::JsonWriter(std::string path, Schema schema, bool array)
    : schema_(std::move(schema)), array_(array) {
  file_ = std::make_unique<AtomicFileWriter>(std::move(path));
  for (size_t c = 0; c < schema_.size(); c++) {
    std::string key = c == 0 ? "{" : ",";
    AppendJsonString(schema_.field(c).name, &key);
    key.push_back(':');
    keys_.push_back(std::move(key));
  }
  buffer_.reserve(kFlushBytes + (64 << 10));
  if (array_) buffer_.append(kJsonArrayHead);
}

JsonWriter::~JsonWriter() = default;

void JsonWriter::Write(const Batch& batch) {
  SLUICE_CHECK(!finished_, "write after Close");
  SLUICE_CHECK(batch.num_columns() == schema_.size(), "columns={} schema={}",
               batch.num_columns(), schema_.size());
  for (size_t row = 0; row < batch.num_rows(); row++) {
    if (array_ && (rows_ > 0 || row > 0)) buffer_.append(kJsonArraySeparator);
    if (keys_.empty()) buffer_.push_back('{');
    for (size_t c = 0; c < keys_.size(); c++) {
      buffer_.append(keys_[c]);
      AppendValue(*batch.column(c), row);
    }
    buffer_.append(array_ ? "}" : "}\n");
    if (buffer_.size() >= kFlushBytes) {
      file_->Write(buffer_);
      buffer_.clear();
    }
  }
  rows_ += static_cast<int64_t>(batch.num_rows());
}

void JsonWriter::Close() {
  SLUICE_CHECK(!finished_, "Close called twice");
  if (array_) buffer_.append(kJsonArrayTail);
  if (!buffer_.empty()) file_->Write(buffer_);
  buffer_.clear();
  file_->Commit();
  finished_ = true;
}

void JsonWriter::AppendValue(const Column& column, size_t row) {
  AppendJsonValue(column, row, &buffer_);
}

void AppendJsonValue(const Column& column, size_t row, std::string* out) {
  std::string& buf = *out;
  if (column.is_constant()) row = 0;
  if (!column.IsValid(row)) {
    buf.append("null");
    return;
  }
  const LogicalType& type = column.type();
  switch (type.id()) {
    case TypeId::kNull: buf.append("null"); break;
    case TypeId::kBoolean: buf.append(column.data<uint8_t>()[row] ? "true" : "false"); break;
    case TypeId::kTinyInt: AppendInteger(&buf, column.data<int8_t>()[row]); break;
    case TypeId::kSmallInt: AppendInteger(&buf, column.data<int16_t>()[row]); break;
    case TypeId::kInteger: AppendInteger(&buf, column.data<int32_t>()[row]); break;
    case TypeId::kBigInt: AppendInteger(&buf, column.data<int64_t>()[row]); break;
    case TypeId::kDouble: {
      const double v = column.data<double>()[row];
      if (!std::isfinite(v)) {
        buf.append("null");
        break;
      }
      const size_t at = buf.size();
      fmt::format_to(std::back_inserter(buf), "{}", v);
      // fmt writes "inf"-free shortest form; make sure it reads back as a JSON number.
      if (buf.find_first_of(".e", at) == std::string::npos) buf.append(".0");
      break;
    }
    case TypeId::kDecimal: {
      const int128_t unscaled = type.IsWideDecimal() ? column.data<int128_t>()[row]
                                                     : column.data<int64_t>()[row];
      buf.append(FormatDecimal(unscaled, type.scale()));
      break;
    }
    case TypeId::kVarchar:
      AppendJsonString(column.data<StringView>()[row].view(), &buf);
      break;
    case TypeId::kDate: AppendJsonString(FormatDate(column.data<int32_t>()[row]), &buf); break;
    case TypeId::kTimestamp:
      AppendJsonString(FormatTimestamp(column.data<int64_t>()[row]), &buf);
      break;
    case TypeId::kInterval:
      AppendJsonString(FormatInterval(column.data<Interval>()[row]), &buf);
      break;
    case TypeId::kTime: AppendJsonString(FormatTime(column.data<int64_t>()[row]), &buf); break;
    case TypeId::kBlob:
      AppendJsonString(FormatBlob(column.data<StringView>()[row].view()), &buf);
      break;
    case TypeId::kTimestampTz:
      AppendJsonString(FormatTimestampTz(column.data<int64_t>()[row], CurrentTimeZone()), &buf);
      break;
    case TypeId::kList: {  // a JSON array
      const ListEntry e = column.list_entries()[row];
      buf.push_back('[');
      for (uint64_t j = 0; j < e.length; j++) {
        if (j > 0) buf.push_back(',');
        AppendJsonValue(column.child(0), e.offset + j, out);
      }
      buf.push_back(']');
      break;
    }
    case TypeId::kMap: {  // a JSON object keyed by the keys' text, as DuckDB's to_json
      const ListEntry e = column.list_entries()[row];
      const Column& entries = column.child(0);
      buf.push_back('{');
      for (uint64_t j = 0; j < e.length; j++) {
        if (j > 0) buf.push_back(',');
        AppendJsonString(entries.child(0).GetValue(e.offset + j).ToString(), out);
        buf.push_back(':');
        AppendJsonValue(entries.child(1), e.offset + j, out);
      }
      buf.push_back('}');
      break;
    }
    case TypeId::kStruct: {  // a JSON object
      buf.push_back('{');
      const auto& fields = type.StructFields();
      for (size_t f = 0; f < fields.size(); f++) {
        if (f > 0) buf.push_back(',');
        AppendJsonString(fields[f].name, out);
        buf.push_back(':');
        AppendJsonValue(column.child(f), row, out);
      }
      buf.push_back('}');
      break;
    }
  }
}

}  // namespace sluice
