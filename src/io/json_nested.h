#pragma once

#include <optional>

#include "common/json_document.h"
#include "types/logical_type.h"
#include "types/value.h"

namespace sluice {

// Types and values of nested JSON read by read_json, as DuckDB infers them: an array becomes
// a LIST whose element type is inferred from the elements seen, an object a STRUCT of its
// keys (the union over the values seen, in order of first appearance); scalars are BIGINT,
// DOUBLE, BOOLEAN or VARCHAR; mixed values and empty objects are VARCHAR holding JSON text.

// The type of one JSON value (kNull for null), as InferJsonType sees it.
LogicalType JsonValueType(const JsonNode& node);
// The type that holds values of both `a` and `b` (kNull absorbs; BIGINT and DOUBLE give
// DOUBLE; lists merge their elements, structs their keys; anything else mixed is VARCHAR).
LogicalType MergeJsonTypes(const LogicalType& a, const LogicalType& b);
// `node` as a value of `type` (from JsonValueType / MergeJsonTypes); nullopt when it does
// not fit (a caller reports the conversion error).
std::optional<Value> JsonToValue(const JsonNode& node, const LogicalType& type);

}  // namespace sluice
