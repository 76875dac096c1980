#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "io/parquet_metadata.h"

namespace sluice {

// Decompresses `src` (compressed with `codec`) into exactly `dst_size` bytes at `dst`.
// Returns false when the data is corrupt or does not decompress to dst_size bytes (the
// caller names the file and column in its error). Throws NotImplementedError for codecs
// Sluice does not support (LZO, BROTLI). Thread-safe.
bool ParquetDecompress(parquet::Codec codec, const uint8_t* src, size_t src_size, uint8_t* dst,
                       size_t dst_size);

// Appends `src` compressed with `codec` to `out`. `level` is the codec's level (0: default).
// Thread-safe.
void ParquetCompress(parquet::Codec codec, int level, const char* src, size_t src_size,
                     std::string* out);

}  // namespace sluice
