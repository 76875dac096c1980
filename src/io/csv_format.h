#pragma once

#include "io/csv_options.h"
#include "io/csv_writer.h"
#include "io/file_format.h"

namespace sluice {

// CSV as a FileFormat: read_csv's options (dialect detected when unset) and COPY's.
class CsvFormat : public FileFormat {
 public:
  std::string name() const override { return "csv"; }
  std::vector<std::string> extensions() const override { return {".csv"}; }
  std::vector<std::string> read_function_aliases() const override { return {"read_csv_auto"}; }
  const std::vector<OptionSpec>& read_options() const override;
  const std::vector<OptionSpec>& write_options() const override;
  std::unique_ptr<DataSource> OpenFiles(const std::string& path_or_glob,
                                        const OptionValues& options) const override;
  std::unique_ptr<DataSink> CreateFileSink(const std::string& path, const Schema& schema,
                                           const OptionValues& options,
                                           ThreadPool* pool) const override;
  // Keeps the header line of the first part only.
  void ConcatenateFiles(const std::vector<std::string>& parts, const std::string& path,
                        const Schema& schema, const OptionValues& options) const override;

  // The typed options that validated user options stand for.
  static CsvOptions ReadOptionsFrom(const OptionValues& options);
  static CsvWriteOptions WriteOptionsFrom(const OptionValues& options);
};

}  // namespace sluice
