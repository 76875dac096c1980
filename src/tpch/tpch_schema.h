#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "vector/schema.h"

namespace sluice::tpch {

// The eight TPC-H tables, in dependency order (a table's foreign keys point to earlier ones).
enum class TpchTable : uint8_t {
  kRegion,
  kNation,
  kSupplier,
  kCustomer,
  kPart,
  kPartSupp,
  kOrders,
  kLineitem,
};

inline constexpr std::array<TpchTable, 8> kAllTables = {
    TpchTable::kRegion, TpchTable::kNation,   TpchTable::kSupplier, TpchTable::kCustomer,
    TpchTable::kPart,   TpchTable::kPartSupp, TpchTable::kOrders,   TpchTable::kLineitem};

// "region", "nation", ..., "lineitem" (the table and folder names).
std::string_view TableName(TpchTable table);

// The columns of `table` as in the spec (clause 1.4): identifiers BIGINT, small counts
// INTEGER, money DECIMAL(15,2), dates DATE, text VARCHAR. Field names are lower case.
Schema TableSchema(TpchTable table);

// Cardinalities at scale factor `sf` (clause 4.2.5): suppliers SF*10,000, parts SF*200,000,
// customers SF*150,000, orders SF*1,500,000 (each at least 1), partsupp 4 per part, nation
// 25, region 5. Line items have no fixed count (1..7 per order, about 4 * orders); this
// returns -1 for kLineitem.
int64_t TableRows(TpchTable table, double sf);

}  // namespace sluice::tpch
