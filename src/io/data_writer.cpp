#include "io/data_writer.h"

#include "common/error.h"

namespace sluice {

void WriteAndCommit(DataWriter& writer, const std::vector<Batch>& rows) {
  std::unique_ptr<DataSink> sink = writer.OpenSink(0);
  for (const auto& b : rows) {
    if (b.num_rows() > 0) sink->Write(b);
  }
  sink->Close();
  sink.reset();
  writer.Commit();
}

std::string DataWriter::ExportSinks() {
  SLUICE_CHECK(false, "this write cannot be shared between processes");
  return {};
}

void DataWriter::ImportSinks(const std::string& exported) {
  (void)exported;
  SLUICE_CHECK(false, "this write cannot be shared between processes");
}

}  // namespace sluice
