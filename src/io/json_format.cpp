#include "io/json_format.h"

#include "common/error.h"
#include "common/strings.h"
#include "io/json_writer.h"

namespace sluice {

bool JsonFormat::MatchesContent(std::string_view head) const {
  const size_t start = head.find_first_not_of(" \t\r\n");
  return start != std::string_view::npos && head[start] == '{';
}

const std::vector<OptionSpec>& JsonFormat::read_options() const {
  using T = OptionType;
  static const std::vector<OptionSpec> specs = {
      {"sample_size", T::kInteger, "20480", "lines read to infer columns and types", {}, {}},
      {"columns", T::kColumns, "", "'name TYPE, ...': the columns read, no inference", {}, {}},
      {"maximum_object_size", T::kInteger, "67108864", "longest line accepted, in bytes", {}, {}},
      {"format",
       T::kString,
       "auto",
       "record layout: newline_delimited (nd), array (one top-level array), unstructured "
       "(pretty-printed objects), or auto (decided per file)",
       {},
       {"auto", "newline_delimited", "nd", "array", "unstructured"}},
      {"auto_detect", T::kBoolean, "true",
       "infer columns and types from a sample; false requires columns", {}, {}},
      {"hive_partitioning", T::kBoolean, "", "key=value directories become columns (auto)", {}, {}},
  };
  return specs;
}

const std::vector<OptionSpec>& JsonFormat::write_options() const {
  static const std::vector<OptionSpec> specs = {
      {"array", OptionType::kBoolean, "false",
       "write one top-level JSON array instead of one object per line", {}, {}},
  };
  return specs;
}

JsonRecordFormat ParseJsonRecordFormat(const std::string& name) {
  if (name == "newline_delimited" || name == "nd") return JsonRecordFormat::kNewlineDelimited;
  if (name == "array") return JsonRecordFormat::kArray;
  if (name == "unstructured") return JsonRecordFormat::kUnstructured;
  return JsonRecordFormat::kAuto;
}

JsonReadOptions JsonFormat::ReadOptionsFrom(const OptionValues& o) {
  JsonReadOptions options;
  options.sample_rows = o.Int("sample_size");
  options.max_line_size = o.Int("maximum_object_size");
  options.format = ParseJsonRecordFormat(ToLower(o.String("format")));
  if (o.Has("auto_detect") && !o.Bool("auto_detect") && !o.Has("columns")) {
    throw BindError(
        "When auto_detect=false, read_json requires columns to be specified through the "
        "\"columns\" parameter.");
  }
  if (o.Has("columns")) {
    Schema schema;
    for (auto& [n, t] : o.Columns("columns")) schema.Add(Field{n, t, true, ""});
    options.schema = std::move(schema);
  }
  return options;
}

std::unique_ptr<DataSource> JsonFormat::OpenFiles(const std::string& path_or_glob,
                                                  const OptionValues& options) const {
  return JsonSource::Open(path_or_glob, ReadOptionsFrom(options));
}

std::unique_ptr<DataSink> JsonFormat::CreateFileSink(const std::string& path, const Schema& schema,
                                                     const OptionValues& options,
                                                     ThreadPool* pool) const {
  return std::make_unique<JsonWriter>(path, schema, options.Bool("array"));
}

void JsonFormat::ConcatenateFiles(const std::vector<std::string>& parts, const std::string& path,
                                  const Schema& schema, const OptionValues& options) const {
  if (!options.Bool("array")) {
    FileFormat::ConcatenateFiles(parts, path, schema, options);
    return;
  }
  const auto head = static_cast<int64_t>(kJsonArrayHead.size());
  const auto tail = static_cast<int64_t>(kJsonArrayTail.size());
  AtomicFileWriter out(path);
  out.Write(kJsonArrayHead);
  bool first = true;
  for (const std::string& part : parts) {
    FileReader in(part);
    const int64_t body = in.size() - head - tail;
    if (body <= 0) continue;
    if (!first) out.Write(kJsonArraySeparator);
    AppendFileRange(out, in, head, body);
    first = false;
  }
  out.Write(kJsonArrayTail);
  out.Commit();
}

}  // namespace sluice
