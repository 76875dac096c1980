#include "io/parquet_format.h"

#include "io/parquet_reader.h"
#include "io/parquet_writer.h"

namespace sluice {

const std::vector<OptionSpec>& ParquetFormat::read_options() const {
  static const std::vector<OptionSpec> specs = {
      {"hive_partitioning",
       OptionType::kBoolean,
       "",
       "key=value directories become columns (auto)",
       {},
       {}},
  };
  return specs;
}

const std::vector<OptionSpec>& ParquetFormat::write_options() const {
  using T = OptionType;
  static const std::vector<OptionSpec> specs = {
      {"compression",
       T::kString,
       "snappy",
       "page codec",
       {"codec"},
       {"snappy", "zstd", "gzip", "lz4", "lz4_raw", "none", "uncompressed"}},
      {"compression_level", T::kInteger, "0", "codec level (0: the codec's default)", {}, {}},
      {"row_group_size", T::kInteger, "1048576", "rows per row group", {"row_group_rows"}, {}, 1},
      {"dictionary", T::kBoolean, "true", "dictionary-encode columns while it pays", {}, {}},
  };
  return specs;
}

ParquetWriteOptions ParquetFormat::WriteOptionsFrom(const OptionValues& o) {
  ParquetWriteOptions options;
  options.codec = ParseParquetCodec(o.String("compression"));
  options.compression_level = static_cast<int>(o.Int("compression_level"));
  options.row_group_rows = o.Int("row_group_size");
  options.dictionary = o.Bool("dictionary");
  return options;
}

std::unique_ptr<DataSource> ParquetFormat::OpenFiles(const std::string& path_or_glob,
                                                     const OptionValues& options) const {
  return ParquetSource::Open(path_or_glob);
}

std::unique_ptr<DataSink> ParquetFormat::CreateFileSink(const std::string& path,
                                                        const Schema& schema,
                                                        const OptionValues& options,
                                                        ThreadPool* pool) const {
  return std::make_unique<ParquetWriter>(path, schema, WriteOptionsFrom(options), pool);
}

void ParquetFormat::ConcatenateFiles(const std::vector<std::string>& parts,
                                     const std::string& path, const Schema& schema,
                                     const OptionValues& options) const {
  ParquetWriter::Concatenate(parts, path);
}

}  // namespace sluice
