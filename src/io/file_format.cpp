#include "io/file_format.h"

#include "io/hive_dataset.h"

namespace sluice {

std::unique_ptr<DataSource> FileFormat::Open(const std::string& pattern,
                                             const OptionValues& options) const {
  HivePartitioning mode = HivePartitioning::kAuto;
  if (options.Has("hive_partitioning")) {
    mode = options.Bool("hive_partitioning") ? HivePartitioning::kOn : HivePartitioning::kOff;
  }
  return OpenDataset(pattern, mode, [&](const std::string& p) { return OpenFiles(p, options); });
}

std::string FileFormat::WriteExtension() const {
  const std::vector<std::string> all = extensions();
  return all.empty() ? "" : all[0];
}

FileTarget FileFormat::MakeTarget(OptionValues options, ThreadPool* pool) const {
  return FileTarget{WriteExtension(), [this, options = std::move(options), pool](
                                          const std::string& path, const Schema& schema) {
                      return CreateWriter(path, schema, options, pool);
                    }};
}

}  // namespace sluice
