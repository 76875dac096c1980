#pragma once

#include "common/error.h"
#include "types/interval.h"
#include "types/logical_type.h"
#include "types/string_view.h"

namespace sluice {

// Calls fn.template operator()<T>() with T the C++ type a Column stores values of `type` as
// (see LogicalType). SQLNULL columns are stored as uint8_t. LIST, STRUCT and MAP have no single
// physical type: callers handle them first (a NotImplementedError names the type if not).
template <typename F>
inline void VisitPhysicalType(const LogicalType& type, F&& fn) {
  switch (type.id()) {
    case TypeId::kNull:
    case TypeId::kBoolean: fn.template operator()<uint8_t>(); break;
    case TypeId::kTinyInt: fn.template operator()<int8_t>(); break;
    case TypeId::kSmallInt: fn.template operator()<int16_t>(); break;
    case TypeId::kInteger:
    case TypeId::kDate: fn.template operator()<int32_t>(); break;
    case TypeId::kBigInt:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
    case TypeId::kTime: fn.template operator()<int64_t>(); break;
    case TypeId::kDouble: fn.template operator()<double>(); break;
    case TypeId::kDecimal:
      if (type.IsWideDecimal()) {
        fn.template operator()<int128_t>();
      } else {
        fn.template operator()<int64_t>();
      }
      break;
    case TypeId::kVarchar:
    case TypeId::kBlob: fn.template operator()<StringView>(); break;
    case TypeId::kInterval: fn.template operator()<Interval>(); break;
    case TypeId::kList:
    case TypeId::kStruct:
    case TypeId::kMap:
      throw NotImplementedError("this operation on " + type.ToString() + " values");
  }
}

}  // namespace sluice
