#pragma once

#include <cstdint>

#include "vector/column.h"

namespace sluice {

// Hashes rows [0, n) of `column` into `hashes`: when `combine`, mixes into the existing
// values (for multi-column keys), else overwrites. NULLs hash to kNullHash. Equal values
// of the same type hash equally; DECIMALs of one type hash by their unscaled value.
void HashColumn(const Column& column, size_t n, uint64_t* hashes, bool combine);

}  // namespace sluice
