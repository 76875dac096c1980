#pragma once

#include "io/file_format.h"
#include "io/parquet_options.h"

namespace sluice {

// Parquet as a FileFormat; recognized by its "PAR1" magic whatever the file's name.
class ParquetFormat : public FileFormat {
 public:
  std::string name() const override { return "parquet"; }
  std::vector<std::string> extensions() const override { return {".parquet"}; }
  std::vector<std::string> read_function_aliases() const override { return {"parquet_scan"}; }
  bool MatchesContent(std::string_view head) const override { return head.substr(0, 4) == "PAR1"; }
  const std::vector<OptionSpec>& read_options() const override;
  const std::vector<OptionSpec>& write_options() const override;
  std::unique_ptr<DataSource> OpenFiles(const std::string& path_or_glob,
                                        const OptionValues& options) const override;
  // Encodes row groups on `pool` when given.
  std::unique_ptr<DataSink> CreateFileSink(const std::string& path, const Schema& schema,
                                           const OptionValues& options,
                                           ThreadPool* pool) const override;
  // Joins the parts' row groups under one footer (ParquetWriter::Concatenate).
  void ConcatenateFiles(const std::vector<std::string>& parts, const std::string& path,
                        const Schema& schema, const OptionValues& options) const override;

  static ParquetWriteOptions WriteOptionsFrom(const OptionValues& options);
};

}  // namespace sluice
