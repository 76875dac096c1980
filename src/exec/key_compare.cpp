#include "exec/key_compare.h"

#include "types/physical_dispatch.h"

namespace sluice {

RowCompare MakeRowCompare(const LogicalType& type) {
  RowCompare compare = nullptr;
  VisitPhysicalType(type, [&]<typename T>() { compare = &CompareKeyRows<T>; });
  return compare;
}

}  // namespace sluice
