#include "io/json_reader.h"

#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>

#include "common/error.h"
#include "common/memory.h"
#include "common/strings.h"
#include "io/csv_convert.h"
#include "io/json_lines.h"
#include "io/json_nested.h"
#include "io/json_split_reader.h"
#include "io/json_tokenizer.h"
#include "io/json_value_reader.h"
#include "types/date_time.h"

namespace sluice {

namespace {

// What the sample showed for one key.
struct KeyEvidence {
  std::string name;
  bool boolean = false;
  bool integer = false;
  bool floating = false;
  bool string = false;
  bool nested = false;
  bool typed_nested = true;                 // every nested value had a LIST or STRUCT type
  LogicalType nested_type = TypeId::kNull;  // their merged type (typed_nested)
  bool all_dates = true;       // every string parsed as a date
  bool all_timestamps = true;  // every string parsed as a timestamp (dates included)
  bool all_times = true;       // every string parsed as a time of day ("12:30:00")

  void Add(const JsonMember& m, std::string* scratch) {
    switch (m.kind) {
      case JsonKind::kNull: break;
      case JsonKind::kTrue:
      case JsonKind::kFalse: boolean = true; break;
      case JsonKind::kInteger: {
        int64_t v;
        (ParseCsvInteger(m.text, &v) ? integer : floating) = true;  // too big: DOUBLE
        break;
      }
      case JsonKind::kFloat: floating = true; break;
      case JsonKind::kNested: {
        nested = true;
        JsonNode node;
        JsonParseError error;
        if (typed_nested && ParseJson(m.text, &node, &error)) {
          nested_type = MergeJsonTypes(nested_type, JsonValueType(node));
          typed_nested = nested_type.IsNested();
        } else {
          typed_nested = false;
        }
        break;
      }
      case JsonKind::kString: {
        string = true;
        if (!all_dates && !all_timestamps && !all_times) break;
        std::string_view text = m.text;
        if (m.escaped) {
          scratch->clear();
          DecodeJsonString(m.text, scratch);
          text = *scratch;
        }
        // Only ISO-looking text: "2024-01-01..." (ParseTimestamp also takes a bare date).
        const bool looks = text.size() >= 10 && text[4] == '-' && text[7] == '-';
        if (all_dates && !(looks && text.size() == 10 && ParseDate(text))) all_dates = false;
        if (all_timestamps && !(looks && ParseTimestamp(text))) all_timestamps = false;
        // "HH:MM:SS[.f]" only: ParseTime also takes a leading date.
        const bool time_like = text.size() >= 8 && text[2] == ':' && text[5] == ':';
        if (all_times && !(time_like && ParseTime(text))) all_times = false;
        break;
      }
    }
  }

  LogicalType Type() const {
    if (nested) {
      // Arrays read as LISTs and objects as STRUCTs, as DuckDB's read_json does.
      const bool scalars = string || boolean || integer || floating;
      if (typed_nested && !scalars) return nested_type;
      return TypeId::kVarchar;
    }
    if (string) {
      if (boolean || integer || floating) return TypeId::kVarchar;
      if (all_dates) return TypeId::kDate;
      if (all_timestamps) return TypeId::kTimestamp;
      if (all_times) return TypeId::kTime;
      return TypeId::kVarchar;
    }
    if (boolean) return integer || floating ? TypeId::kVarchar : TypeId::kBoolean;
    if (floating) return TypeId::kDouble;
    if (integer) return TypeId::kBigInt;
    return TypeId::kVarchar;  // only nulls seen
  }
};

JsonRecordFormat ResolveFormat(const std::string& path, JsonRecordFormat requested) {
  if (requested != JsonRecordFormat::kAuto) return requested;
  FileReader reader(path);
  std::string head(static_cast<size_t>(std::min<int64_t>(reader.size(), 1 << 20)), '\0');
  head.resize(reader.ReadAt(0, head.data(), head.size()));
  return DetectJsonRecordFormat(head);
}

}  // namespace

std::unique_ptr<JsonRecordReader> OpenJsonRecords(const JsonScanFile& file, int64_t begin,
                                                  int64_t end, int64_t max_object_size) {
  if (file.format == JsonRecordFormat::kNewlineDelimited) {
    return std::make_unique<JsonLineReader>(file.path, begin, end, max_object_size);
  }
  return std::make_unique<JsonValueReader>(file.path, file.format, max_object_size);
}

std::unique_ptr<JsonSource> JsonSource::Open(const std::string& path_or_glob,
                                             const JsonReadOptions& options) {
  if (options.target_split_bytes < 1) {
    throw InvalidInputError("JSON target split size must be positive");
  }
  std::unique_ptr<JsonSource> source(new JsonSource());
  source->pattern_ = path_or_glob;
  source->max_line_size_ = options.max_line_size;
  for (const std::string& path : ExpandPaths(path_or_glob)) {
    JsonScanFile file;
    file.path = path;
    file.size = FileReader(path).size();
    file.format = ResolveFormat(path, options.format);
    source->total_bytes_ += file.size;
    source->files_.push_back(std::move(file));
  }

  source->records_as_text_ = options.records_as_text;
  if (options.records_as_text) {
    source->schema_.Add(Field{"json", TypeId::kVarchar, true, ""});
  } else if (options.schema) {
    source->schema_ = *options.schema;
  } else {
    std::vector<KeyEvidence> keys;
    std::unordered_map<std::string, size_t> key_index;
    std::vector<JsonMember> members;
    JsonSyntaxError error;
    std::string scratch;
    std::string key;
    const int64_t per_file = std::max<int64_t>(
        100, options.sample_rows / static_cast<int64_t>(source->files_.size()));
    for (const JsonScanFile& file : source->files_) {
      auto lines = OpenJsonRecords(file, 0, file.size, options.max_line_size);
      std::string_view line;
      int64_t offset = 0;
      for (int64_t n = 0; n < per_file && lines->Next(&line, &offset); n++) {
        if (!ParseJsonLine(line, &members, &error)) {
          throw InvalidInputError(fmt::format(
              "Error reading JSON '{}' line {}, column {}: {}{}", file.path,
              lines->LineAt(offset), error.offset + 1, error.message,
              file.format == JsonRecordFormat::kNewlineDelimited
                  ? " (try format='auto' or format='array' for a file that is not one object "
                    "per line)"
                  : ""));
        }
        for (const JsonMember& m : members) {
          key.clear();
          if (m.key_escaped) {
            DecodeJsonString(m.key, &key);
          } else {
            key.assign(m.key);
          }
          auto [it, inserted] = key_index.emplace(key, keys.size());
          if (inserted) {
            keys.emplace_back();
            keys.back().name = key;
          }
          keys[it->second].Add(m, &scratch);
        }
      }
    }
    if (keys.empty()) {
      throw InvalidInputError(fmt::format(
          "Cannot detect the columns of '{}': no JSON objects with keys in the sample",
          path_or_glob));
    }
    for (const KeyEvidence& k : keys) {
      Field field;
      field.name = k.name;
      field.type = k.Type();
      source->schema_.Add(std::move(field));
    }
  }
  source->BuildSplits(options.target_split_bytes);
  return source;
}

void JsonSource::BuildSplits(int64_t target_split_bytes) {
  for (int f = 0; f < static_cast<int>(files_.size()); f++) {
    const int64_t size = files_[f].size;
    if (files_[f].format != JsonRecordFormat::kNewlineDelimited) {
      splits_.push_back({f, 0, size});
      continue;
    }
    for (int64_t start = 0; start < size; start += target_split_bytes) {
      splits_.push_back({f, start, std::min(size, start + target_split_bytes)});
    }
  }
}

std::unique_ptr<BatchStream> JsonSource::Open(int split, const std::vector<int>& columns) const {
  SLUICE_CHECK(split >= 0 && split < num_splits(), "split={} splits={}", split, num_splits());
  for (const int c : columns) {
    SLUICE_CHECK(c >= 0 && c < static_cast<int>(schema_.size()), "column={}", c);
  }
  const JsonSplit& s = splits_[split];
  return std::make_unique<JsonSplitReader>(schema_, files_[s.file], s, columns, max_line_size_,
                                           records_as_text_);
}

std::string JsonSource::Describe() const {
  return fmt::format("json '{}' ({} file{}, {})", pattern_, files_.size(),
                     files_.size() == 1 ? "" : "s", FormatBytes(total_bytes_));
}

}  // namespace sluice
