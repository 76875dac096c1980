#pragma once

#include <string>

#include "iceberg/iceberg_type.h"
#include "types/value.h"
#include "vector/iceberg_hash.h"  // DecimalBytes

namespace sluice::iceberg {

// The spec's binary single-value serialization (Appendix D), used for the lower and upper
// bounds of columns in manifests and for partition summaries.

// `v` (a Sluice value, not NULL) as Iceberg type `type` stores it. Throws
// NotImplementedError for a type Sluice cannot hold.
std::string SerializeValue(const Type& type, const Value& v);
// The Sluice value of `bytes` stored as `type`; throws InvalidInputError (naming `where`) on
// a wrong length.
Value DeserializeValue(const Type& type, const std::string& bytes, const std::string& where);

}  // namespace sluice::iceberg
