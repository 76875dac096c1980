#include "tpch/tpch_schema.h"

#include <algorithm>
#include <cmath>

#include "common/error.h"
#include "tpch/tpch_dists.h"

namespace sluice::tpch {

namespace {

const LogicalType kMoney = LogicalType::Decimal(15, 2);

Field Col(std::string name, LogicalType type) { return Field{std::move(name), type, false, ""}; }

int64_t Scaled(int64_t base, double sf) {
  return std::max<int64_t>(1, static_cast<int64_t>(std::floor(static_cast<double>(base) * sf)));
}

}  // namespace

std::string_view TableName(TpchTable table) {
  switch (table) {
    case TpchTable::kRegion:
      return "region";
    case TpchTable::kNation:
      return "nation";
    case TpchTable::kSupplier:
      return "supplier";
    case TpchTable::kCustomer:
      return "customer";
    case TpchTable::kPart:
      return "part";
    case TpchTable::kPartSupp:
      return "partsupp";
    case TpchTable::kOrders:
      return "orders";
    case TpchTable::kLineitem:
      return "lineitem";
  }
  SLUICE_CHECK(false, "table={}", static_cast<int>(table));
}

Schema TableSchema(TpchTable table) {
  constexpr TypeId kBig = TypeId::kBigInt;
  constexpr TypeId kInt = TypeId::kInteger;
  constexpr TypeId kText = TypeId::kVarchar;
  constexpr TypeId kDate = TypeId::kDate;
  switch (table) {
    case TpchTable::kRegion:
      return Schema({Col("r_regionkey", kBig), Col("r_name", kText), Col("r_comment", kText)});
    case TpchTable::kNation:
      return Schema({Col("n_nationkey", kBig), Col("n_name", kText), Col("n_regionkey", kBig),
                     Col("n_comment", kText)});
    case TpchTable::kSupplier:
      return Schema({Col("s_suppkey", kBig), Col("s_name", kText), Col("s_address", kText),
                     Col("s_nationkey", kBig), Col("s_phone", kText), Col("s_acctbal", kMoney),
                     Col("s_comment", kText)});
    case TpchTable::kCustomer:
      return Schema({Col("c_custkey", kBig), Col("c_name", kText), Col("c_address", kText),
                     Col("c_nationkey", kBig), Col("c_phone", kText), Col("c_acctbal", kMoney),
                     Col("c_mktsegment", kText), Col("c_comment", kText)});
    case TpchTable::kPart:
      return Schema({Col("p_partkey", kBig), Col("p_name", kText), Col("p_mfgr", kText),
                     Col("p_brand", kText), Col("p_type", kText), Col("p_size", kInt),
                     Col("p_container", kText), Col("p_retailprice", kMoney),
                     Col("p_comment", kText)});
    case TpchTable::kPartSupp:
      return Schema({Col("ps_partkey", kBig), Col("ps_suppkey", kBig), Col("ps_availqty", kInt),
                     Col("ps_supplycost", kMoney), Col("ps_comment", kText)});
    case TpchTable::kOrders:
      return Schema({Col("o_orderkey", kBig), Col("o_custkey", kBig), Col("o_orderstatus", kText),
                     Col("o_totalprice", kMoney), Col("o_orderdate", kDate),
                     Col("o_orderpriority", kText), Col("o_clerk", kText),
                     Col("o_shippriority", kInt), Col("o_comment", kText)});
    case TpchTable::kLineitem:
      return Schema({Col("l_orderkey", kBig), Col("l_partkey", kBig), Col("l_suppkey", kBig),
                     Col("l_linenumber", kInt), Col("l_quantity", kMoney),
                     Col("l_extendedprice", kMoney), Col("l_discount", kMoney),
                     Col("l_tax", kMoney), Col("l_returnflag", kText), Col("l_linestatus", kText),
                     Col("l_shipdate", kDate), Col("l_commitdate", kDate),
                     Col("l_receiptdate", kDate), Col("l_shipinstruct", kText),
                     Col("l_shipmode", kText), Col("l_comment", kText)});
  }
  SLUICE_CHECK(false, "table={}", static_cast<int>(table));
}

int64_t TableRows(TpchTable table, double sf) {
  switch (table) {
    case TpchTable::kRegion:
      return static_cast<int64_t>(kRegions.size());
    case TpchTable::kNation:
      return static_cast<int64_t>(kNations.size());
    case TpchTable::kSupplier:
      return Scaled(kSuppliersPerSf, sf);
    case TpchTable::kCustomer:
      return Scaled(kCustomersPerSf, sf);
    case TpchTable::kPart:
      return Scaled(kPartsPerSf, sf);
    case TpchTable::kPartSupp:
      return Scaled(kPartsPerSf, sf) * kSuppliersPerPart;
    case TpchTable::kOrders:
      return Scaled(kOrdersPerSf, sf);
    case TpchTable::kLineitem:
      return -1;
  }
  SLUICE_CHECK(false, "table={}", static_cast<int>(table));
}

}  // namespace sluice::tpch
