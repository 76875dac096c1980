#include "io/data_writer.h"

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

}  // namespace sluice
