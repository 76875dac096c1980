#include "io/json_split_reader.h"

#include <fmt/format.h>

#include "common/error.h"
#include "io/csv_convert.h"
#include "io/json_nested.h"
#include "types/date_time.h"

namespace sluice {

JsonSplitReader::JsonSplitReader(const Schema& schema, const JsonScanFile& file,
                                 const JsonSplit& split, std::vector<int> columns,
                                 int64_t max_line_size, bool records_as_text)
    : schema_(schema),
      lines_(OpenJsonRecords(file, split.begin, split.end, max_line_size)),
      records_as_text_(records_as_text),
      columns_(std::move(columns)),
      output_of_(schema.size(), -1),
      stamp_(columns_.size(), -1) {
  for (size_t i = 0; i < columns_.size(); i++) output_of_[columns_[i]] = static_cast<int>(i);
  for (size_t c = 0; c < schema.size(); c++) {
    by_name_.emplace(schema.field(c).name, static_cast<int>(c));
  }
}

int JsonSplitReader::Lookup(const JsonMember& member, size_t position) {
  std::string_view key = member.key;
  if (member.key_escaped) {
    scratch_.clear();
    DecodeJsonString(member.key, &scratch_);
    key = scratch_;
  }
  if (position < order_.size()) {
    const int guess = order_[position];
    if (guess >= 0 && schema_.field(guess).name == key) return guess;
  } else {
    order_.resize(position + 1, -1);
  }
  const auto it = by_name_.find(std::string(key));
  const int column = it == by_name_.end() ? -1 : it->second;
  order_[position] = column;
  return column;
}

void JsonSplitReader::ThrowConversion(const JsonMember& member, int column, int64_t line_offset) {
  std::string text(member.text);
  if (member.kind == JsonKind::kString) {
    text.clear();
    DecodeJsonString(member.text, &text);
  }
  throw ConversionError(fmt::format(
      "Error reading JSON '{}' line {}, column \"{}\": could not convert {} to {}",
      lines_->path(), lines_->LineAt(line_offset), schema_.field(column).name,
      member.kind == JsonKind::kString ? "\"" + text + "\"" : text,
      schema_.field(column).type.ToString()));
}

void JsonSplitReader::ConvertMember(const JsonMember& m, int column, size_t row,
                                    int64_t line_offset) {
  Column& out = *batch_[output_of_[column]];
  if (m.kind == JsonKind::kNull) {
    if (out.type().id() == TypeId::kVarchar) out.data<StringView>()[row] = StringView();
    if (out.type().IsNested()) out.SetValue(row, Value::Null(out.type()));
    out.SetNull(row);
    return;
  }
  std::string_view text = m.text;
  if (m.kind == JsonKind::kString && m.escaped) {
    scratch_.clear();
    DecodeJsonString(m.text, &scratch_);
    text = scratch_;
  }
  bool ok = true;
  switch (out.type().id()) {
    case TypeId::kVarchar:
      out.data<StringView>()[row] = out.AddString(text);
      break;
    case TypeId::kBigInt:
      ok = m.kind == JsonKind::kInteger && ParseCsvInteger(text, &out.data<int64_t>()[row]);
      break;
    case TypeId::kDouble:
      ok = (m.kind == JsonKind::kInteger || m.kind == JsonKind::kFloat) &&
           ParseCsvDouble(text, &out.data<double>()[row]);
      break;
    case TypeId::kBoolean:
      ok = m.kind == JsonKind::kTrue || m.kind == JsonKind::kFalse;
      out.data<uint8_t>()[row] = m.kind == JsonKind::kTrue;
      break;
    case TypeId::kDate: {
      const std::optional<int32_t> days =
          m.kind == JsonKind::kString ? ParseDate(text) : std::nullopt;
      ok = days.has_value();
      if (ok) out.data<int32_t>()[row] = *days;
      break;
    }
    case TypeId::kTimestamp: {
      const std::optional<int64_t> micros =
          m.kind == JsonKind::kString ? ParseTimestamp(text) : std::nullopt;
      ok = micros.has_value();
      if (ok) out.data<int64_t>()[row] = *micros;
      break;
    }
    case TypeId::kTime: {
      const std::optional<int64_t> micros =
          m.kind == JsonKind::kString ? ParseTime(text) : std::nullopt;
      ok = micros.has_value();
      if (ok) out.data<int64_t>()[row] = *micros;
      break;
    }
    case TypeId::kList:
    case TypeId::kStruct:
    case TypeId::kMap: {
      JsonNode node;
      JsonParseError error;
      std::optional<Value> v;
      if (m.kind == JsonKind::kNested && ParseJson(m.text, &node, &error)) {
        v = JsonToValue(node, out.type());
      }
      ok = v.has_value();
      if (ok) out.SetValue(row, *v);
      break;
    }
    default:
      // Types only a given schema asks for (INTEGER, DECIMAL, ...): the general cast.
      try {
        out.SetValue(row, Value::Varchar(std::string(text)).CastTo(out.type()));
      } catch (const ConversionError&) {
        ok = false;
      }
  }
  if (!ok) ThrowConversion(m, column, line_offset);
  out.SetValid(row);
}

bool JsonSplitReader::NextRecordsAsText(Batch* out) {
  auto column = Column::Make(TypeId::kVarchar, kBatchSize);
  size_t rows = 0;
  std::string_view record;
  int64_t offset = 0;
  while (rows < kBatchSize && lines_->Next(&record, &offset)) {
    while (!record.empty() && (record.back() == ' ' || record.back() == '\t' ||
                               record.back() == '\r')) {
      record.remove_suffix(1);
    }
    if (record.empty()) continue;
    column->data<StringView>()[rows++] = column->AddString(record);
  }
  if (rows == 0) return false;
  column->set_size(rows);
  std::vector<ColumnPtr> columns;
  if (!columns_.empty()) columns.push_back(std::move(column));
  *out = Batch(std::move(columns), rows);
  return true;
}

bool JsonSplitReader::Next(Batch* out) {
  if (records_as_text_) return NextRecordsAsText(out);
  size_t rows = 0;
  std::string_view line;
  int64_t offset = 0;
  JsonSyntaxError error;
  while (rows < kBatchSize && lines_->Next(&line, &offset)) {
    if (!ParseJsonLine(line, &members_, &error)) {
      throw InvalidInputError(fmt::format("Error reading JSON '{}' line {}, column {}: {}",
                                          lines_->path(), lines_->LineAt(offset),
                                          error.offset + 1, error.message));
    }
    if (members_.empty()) {
      // Blank line (or "{}" is a row of NULLs: tell them apart by content).
      bool blank = true;
      for (const char c : line) blank = blank && (c == ' ' || c == '\t' || c == '\r');
      if (blank) continue;
    }
    if (rows == 0) {
      batch_.clear();
      for (const int c : columns_) batch_.push_back(Column::Make(schema_.field(c).type, kBatchSize));
    }
    const int64_t row_id = rows_seen_++;
    for (size_t i = 0; i < members_.size(); i++) {
      const int column = Lookup(members_[i], i);
      if (column < 0 || output_of_[column] < 0) continue;
      ConvertMember(members_[i], column, rows, offset);
      stamp_[output_of_[column]] = row_id;
    }
    for (size_t o = 0; o < columns_.size(); o++) {
      if (stamp_[o] == row_id) continue;
      if (batch_[o]->type().id() == TypeId::kVarchar) {
        batch_[o]->data<StringView>()[rows] = StringView();
      }
      if (batch_[o]->type().IsNested()) batch_[o]->SetValue(rows, Value::Null(batch_[o]->type()));
      batch_[o]->SetNull(rows);
    }
    rows++;
  }
  if (rows == 0) return false;
  std::vector<ColumnPtr> columns;
  columns.reserve(batch_.size());
  for (auto& c : batch_) {
    c->set_size(rows);
    columns.push_back(std::move(c));
  }
  batch_.clear();
  *out = Batch(std::move(columns), rows);
  return true;
}

}  // namespace sluice
