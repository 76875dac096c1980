#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "types/logical_type.h"
#include "vector/batch.h"

namespace sluice {

// A self-contained byte encoding of one Batch, for spill files (and later for shipping
// batches between processes). Per column: the type id, the validity bitmap when the column
// has NULLs, then the values: fixed-width values as stored, VARCHAR as lengths plus the
// concatenated bytes (no pointers). Constant columns are written flat. Little-endian, the
// host's layout: files are read back by the process that wrote them.
//
// Appends the encoding of `batch` to `out`.
void SerializeBatch(const Batch& batch, std::string* out);

// Decodes one batch written by SerializeBatch whose columns have `types` (the encoding keeps
// only type ids, not decimal precision). Throws InternalError on malformed input.
Batch DeserializeBatch(const uint8_t* data, size_t size, const std::vector<LogicalType>& types);

}  // namespace sluice
