#include "io/file_format.h"

#include "io/file.h"
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

void FileFormat::ConcatenateFiles(const std::vector<std::string>& parts, const std::string& path,
                                  const Schema& schema, const OptionValues& options) const {
  AtomicFileWriter out(path);
  for (const std::string& part : parts) AppendFileRange(out, FileReader(part), 0, -1);
  out.Commit();
}

}  // namespace sluice
