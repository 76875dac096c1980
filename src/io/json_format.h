#pragma once

#include "io/file_format.h"
#include "io/json_reader.h"

namespace sluice {

// JSON objects (newline-delimited, a top-level array, or pretty-printed) as a FileFormat.
class JsonFormat : public FileFormat {
 public:
  std::string name() const override { return "json"; }
  std::vector<std::string> extensions() const override { return {".json", ".jsonl", ".ndjson"}; }
  std::vector<std::string> read_function_aliases() const override {
    return {"read_json_auto", "read_ndjson"};
  }
  // A file starting with an object ('{' after blanks).
  bool MatchesContent(std::string_view head) const override;
  const std::vector<OptionSpec>& read_options() const override;
  const std::vector<OptionSpec>& write_options() const override;
  std::unique_ptr<DataSource> OpenFiles(const std::string& path_or_glob,
                                        const OptionValues& options) const override;
  std::unique_ptr<DataSink> CreateFileSink(const std::string& path, const Schema& schema,
                                           const OptionValues& options,
                                           ThreadPool* pool) const override;
  // ARRAY true parts are joined into one array; JSON lines are appended.
  void ConcatenateFiles(const std::vector<std::string>& parts, const std::string& path,
                        const Schema& schema, const OptionValues& options) const override;

  static JsonReadOptions ReadOptionsFrom(const OptionValues& options);
};

// The JsonRecordFormat a `format` option value names (one of the option's choices).
JsonRecordFormat ParseJsonRecordFormat(const std::string& name);

}  // namespace sluice
