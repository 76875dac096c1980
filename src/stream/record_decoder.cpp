#include "stream/record_decoder.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/strings.h"

namespace sluice::stream {

namespace {

// `v` as a value of `type`; false with `error` when it does not convert.
bool Convert(const Value& v, const Field& field, Value& out, std::string& error) {
  try {
    out = v.is_null() ? Value::Null(field.type) : v.CastTo(field.type);
    return true;
  } catch (const UserError& e) {
    error = fmt::format("column {}: {}", field.name, e.message());
    return false;
  }
}

// RFC 4180 fields of one line.
std::vector<std::string> SplitCsv(const std::string& line, std::vector<bool>& quoted) {
  std::vector<std::string> fields(1);
  quoted.assign(1, false);
  bool in_quotes = false;
  for (size_t i = 0; i < line.size(); i++) {
    const char c = line[i];
    if (in_quotes) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        i++;
      } else if (c == '"') {
        in_quotes = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      in_quotes = true;
      quoted.back() = true;
    } else if (c == ',') {
      fields.emplace_back();
      quoted.push_back(false);
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  return fields;
}

}  // namespace

RecordDecoder::RecordDecoder(Schema schema, const std::string& format)
    : schema_(std::move(schema)) {
  for (size_t c = 0; c < schema_.size(); c++) {
    exact_.emplace(schema_.field(c).name, c);
    folded_.emplace(ToLower(schema_.field(c).name), c);
  }
  const std::string f = ToLower(format);
  if (f == "json" || f == "parquet") {  // a Parquet segment's rows travel as JSON objects
    json_ = true;
  } else if (f == "csv") {
    json_ = false;
  } else {
    throw InvalidInputError(fmt::format("unknown 'format' = '{}' (json, csv or parquet)", format));
  }
}

bool RecordDecoder::Decode(const std::string& payload, std::vector<Value>& row,
                           std::string& error) const {
  row.clear();
  return json_ ? DecodeJson(payload, row, error) : DecodeCsv(payload, row, error);
}

bool RecordDecoder::DecodeJson(const std::string& payload, std::vector<Value>& row,
                               std::string& error) const {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(payload);
  } catch (const nlohmann::json::exception& e) {
    error = fmt::format("not JSON: {}", e.what());
    return false;
  }
  if (!doc.is_object()) {
    error = "not a JSON object";
    return false;
  }
  // Fields by column name: exactly, else ignoring case (unquoted SQL names are lower case,
  // JSON keys often camelCase: dateTime).
  std::vector<const nlohmann::json*> found(schema_.size(), nullptr);
  for (const auto& [key, value] : doc.items()) {
    if (auto exact = exact_.find(key); exact != exact_.end()) {
      found[exact->second] = &value;  // an exact match wins over a folded one
    } else if (auto folded = folded_.find(ToLower(key));
               folded != folded_.end() && found[folded->second] == nullptr) {
      found[folded->second] = &value;
    }
  }
  for (size_t c = 0; c < schema_.size(); c++) {
    const Field& field = schema_.field(c);
    Value v = Value::Null(field.type);
    if (const nlohmann::json* found_value = found[c]) {
      const nlohmann::json& j = *found_value;
      if (j.is_null()) {
        v = Value::Null(field.type);
      } else if (j.is_boolean()) {
        v = Value::Boolean(j.get<bool>());
      } else if (j.is_number_integer()) {
        v = field.type.id() == TypeId::kTimestamp ? Value::Timestamp(j.get<int64_t>() * 1000)
                                                   : Value::BigInt(j.get<int64_t>());
      } else if (j.is_number()) {
        v = Value::Double(j.get<double>());
      } else if (j.is_string()) {
        v = Value::Varchar(j.get<std::string>());
      } else {
        v = Value::Varchar(j.dump());
      }
    }
    Value converted;
    if (!Convert(v, field, converted, error)) return false;
    row.push_back(std::move(converted));
  }
  return true;
}

bool RecordDecoder::DecodeCsv(const std::string& payload, std::vector<Value>& row,
                              std::string& error) const {
  std::vector<bool> quoted;
  const std::vector<std::string> fields = SplitCsv(payload, quoted);
  if (fields.size() != schema_.size()) {
    error = fmt::format("{} fields, expected {}", fields.size(), schema_.size());
    return false;
  }
  for (size_t i = 0; i < fields.size(); i++) {
    const Field& field = schema_.field(i);
    const Value v = fields[i].empty() && !quoted[i] ? Value::Null(field.type)
                                                    : Value::Varchar(fields[i]);
    Value converted;
    if (!Convert(v, field, converted, error)) return false;
    row.push_back(std::move(converted));
  }
  return true;
}

}  // namespace sluice::stream
