#include "io/csv_format.h"

#include "io/csv_reader.h"
#include "io/file.h"

namespace sluice {

const std::vector<OptionSpec>& CsvFormat::read_options() const {
  using T = OptionType;
  static const std::vector<OptionSpec> specs = {
      {"header", T::kBoolean, "", "whether the first row holds column names (detected)", {}, {}},
      {"delim",
       T::kCharacter,
       "",
       "field separator (detected among , | ; tab)",
       {"sep", "delimiter"},
       {}},
      {"quote", T::kCharacter, "\"", "quote character", {}, {}},
      {"escape",
       T::kCharacter,
       "",
       "escapes a quote inside a quoted field (the quote itself)",
       {},
       {}},
      {"skip", T::kInteger, "0", "lines skipped at the start of every file", {}, {}, 0},
      {"sample_size", T::kInteger, "20480", "rows sampled for type inference", {}, {}, 1},
      {"ignore_errors", T::kBoolean, "false", "skip rows that do not parse", {}, {}},
      {"nullstr", T::kString, "", "unquoted text read as NULL", {"null"}, {}},
      {"dateformat", T::kString, "", "strptime-like format of dates", {"date_format"}, {}},
      {"timestampformat",
       T::kString,
       "",
       "strptime-like format of timestamps",
       {"timestamp_format"},
       {}},
      {"comment", T::kCharacter, "", "lines starting with it are ignored", {}, {}},
      {"rejects",
       T::kString,
       "",
       "with ignore_errors: CSV file receiving the skipped rows",
       {"rejects_path", "rejects_table"},
       {}},
      {"types", T::kColumns, "", "'name TYPE, ...': the type of the named columns", {}, {}},
      {"columns", T::kColumns, "", "'name TYPE, ...': names and types of all columns", {}, {}},
      {"max_line_size",
       T::kInteger,
       "2097152",
       "longest row accepted, in bytes (at most 256MB)",
       {"maximum_line_size"},
       {},
       1},
      {"auto_detect", T::kBoolean, "true", "detection is always on for unset options", {}, {}},
      {"hive_partitioning", T::kBoolean, "", "key=value directories become columns (auto)", {}, {}},
  };
  return specs;
}

const std::vector<OptionSpec>& CsvFormat::write_options() const {
  using T = OptionType;
  static const std::vector<OptionSpec> specs = {
      {"header", T::kBoolean, "true", "write the column names first", {}, {}},
      {"delimiter", T::kCharacter, ",", "field separator", {"delim", "sep"}, {}},
      {"quote", T::kCharacter, "\"", "quote character", {}, {}},
      {"null", T::kString, "", "text written for NULL", {"nullstr"}, {}},
  };
  return specs;
}

CsvOptions CsvFormat::ReadOptionsFrom(const OptionValues& o) {
  CsvOptions options;
  if (o.Has("header")) options.header = o.Bool("header");
  if (o.Has("delim")) options.delimiter = o.Char("delim");
  options.quote = o.Char("quote");
  if (o.Has("escape")) options.escape = o.Char("escape");
  options.skip = o.Int("skip");
  options.sample_size = o.Int("sample_size");
  options.max_line_size = o.Int("max_line_size");
  options.ignore_errors = o.Bool("ignore_errors");
  if (o.Has("nullstr")) options.null_strings = {o.String("nullstr")};
  if (o.Has("dateformat")) options.date_format = o.String("dateformat");
  if (o.Has("timestampformat")) options.timestamp_format = o.String("timestampformat");
  if (o.Has("comment")) options.comment = o.Char("comment");
  if (o.Has("rejects")) options.rejects_path = o.String("rejects");
  if (o.Has("types")) options.column_types = o.Columns("types");
  if (o.Has("columns")) {
    Schema schema;
    for (auto& [n, t] : o.Columns("columns")) schema.Add(Field{n, t, true, ""});
    options.schema = std::move(schema);
  }
  return options;
}

CsvWriteOptions CsvFormat::WriteOptionsFrom(const OptionValues& o) {
  CsvWriteOptions options;
  options.header = o.Bool("header");
  options.delimiter = o.Char("delimiter");
  options.quote = o.Char("quote");
  if (o.Has("null")) options.null_string = o.String("null");
  return options;
}

std::unique_ptr<DataSource> CsvFormat::OpenFiles(const std::string& path_or_glob,
                                                 const OptionValues& options) const {
  return CsvSource::Open(path_or_glob, ReadOptionsFrom(options));
}

std::unique_ptr<DataSink> CsvFormat::CreateFileSink(const std::string& path, const Schema& schema,
                                                    const OptionValues& options,
                                                    ThreadPool* pool) const {
  return std::make_unique<CsvWriter>(path, schema, WriteOptionsFrom(options));
}

void CsvFormat::ConcatenateFiles(const std::vector<std::string>& parts, const std::string& path,
                                 const Schema& schema, const OptionValues& options) const {
  const auto header =
      static_cast<int64_t>(CsvWriter::HeaderLine(schema, WriteOptionsFrom(options)).size());
  AtomicFileWriter out(path);
  for (size_t p = 0; p < parts.size(); p++) {
    AppendFileRange(out, FileReader(parts[p]), p == 0 ? 0 : header, -1);
  }
  out.Commit();
}

}  // namespace sluice
