#pragma once

#include <string>

#include "iceberg/iceberg_type.h"
#include "types/value.h"

namespace sluice::iceberg {

// The spec's binary single-value serialization (Appendix D), used for the lower and upper
// bounds of columns in manifests and for partition summaries.

// `v` (a Sluice value, not NULL) as Iceberg type `type` stores it. Throws
// NotImplementedError for a type Sluice cannot hold.
std::string SerializeValue(const Type& type, const Value& v);
// The Sluice value of `bytes` stored as `type`; throws InvalidInputError (naming `where`) on
// a wrong length.
Value DeserializeValue(const Type& type, const std::string& bytes, const std::string& where);

// An unscaled decimal as the fewest big-endian two's complement bytes that hold it.
std::string DecimalBytes(int128_t unscaled);

}  // namespace sluice::iceberg
