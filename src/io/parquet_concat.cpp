// ParquetWriter::Concatenate: one file from the part files of a parallel write.

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "common/error.h"
#include "io/file.h"
#include "io/parquet_reader.h"
#include "io/parquet_writer.h"

namespace sluice {

void ParquetWriter::Concatenate(const std::vector<std::string>& parts, const std::string& path) {
  SLUICE_CHECK(!parts.empty(), "nothing to concatenate into {}", path);
  AtomicFileWriter out(path);
  out.Write("PAR1");
  int64_t offset = 4;
  parquet::FileMetaData merged;
  for (size_t p = 0; p < parts.size(); p++) {
    ParquetSource::File part = ReadParquetFooter(parts[p]);
    if (p == 0) {
      merged.version = part.metadata.version;
      merged.schema = part.metadata.schema;
      merged.created_by = part.metadata.created_by;
    } else if (part.metadata.schema.size() != merged.schema.size()) {
      throw InvalidInputError(
          fmt::format("Parquet file '{}' has another schema than '{}'", parts[p], parts[0]));
    }
    // The row groups lie between the leading magic and the footer, at offsets that move by
    // where this part's bytes land in the joined file.
    int64_t begin = part.size, end = 4;
    for (const parquet::RowGroup& group : part.metadata.row_groups) {
      for (const parquet::ColumnChunk& chunk : group.columns) {
        const parquet::ColumnMetaData& meta = *chunk.meta_data;
        const int64_t start = meta.dictionary_page_offset.value_or(meta.data_page_offset);
        begin = std::min(begin, start);
        end = std::max(end, start + meta.total_compressed_size);
      }
    }
    if (part.metadata.row_groups.empty()) continue;
    const FileReader reader(parts[p]);
    AppendFileRange(out, reader, begin, end - begin);
    const int64_t shift = offset - begin;
    for (parquet::RowGroup& group : part.metadata.row_groups) {
      for (parquet::ColumnChunk& chunk : group.columns) {
        chunk.file_offset += shift;
        chunk.meta_data->data_page_offset += shift;
        if (chunk.meta_data->dictionary_page_offset) *chunk.meta_data->dictionary_page_offset += shift;
      }
      merged.num_rows += group.num_rows;
      merged.row_groups.push_back(std::move(group));
    }
    offset += end - begin;
  }
  std::string footer;
  parquet::SerializeFileMetaData(merged, &footer);
  const uint32_t footer_len = static_cast<uint32_t>(footer.size());
  footer.append(reinterpret_cast<const char*>(&footer_len), 4);
  footer.append("PAR1");
  out.Write(footer);
  out.Commit();
}

}  // namespace sluice
