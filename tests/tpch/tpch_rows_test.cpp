#include "tpch/tpch_rows.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "tpch/tpch_dists.h"
#include "tpch/tpch_schema.h"

namespace sluice::tpch {
namespace {

constexpr double kSf = 0.01;

// All rows of every table at kSf, generated once for the whole suite.
class TpchRowsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tables_ = new std::map<TpchTable, std::vector<Batch>>();
    for (TpchTable table : kAllTables) {
      if (!IsDriver(table)) continue;
      GenerateRows(table, kSf, 0, DriverRows(table, kSf),
                   [](TpchTable t, const Batch& b) { (*tables_)[t].push_back(b); });
    }
  }
  static void TearDownTestSuite() { delete tables_; }

  static int64_t Rows(TpchTable table) {
    int64_t n = 0;
    for (const Batch& b : (*tables_)[table]) n += static_cast<int64_t>(b.num_rows());
    return n;
  }
  // Calls fn(batch, row) for every row of `table`.
  template <typename Fn>
  static void ForEachRow(TpchTable table, Fn fn) {
    for (const Batch& b : (*tables_)[table]) {
      for (size_t r = 0; r < b.num_rows(); r++) fn(b, r);
    }
  }
  static int64_t Int(const Batch& b, int col, size_t row) {
    const Column& c = *b.column(static_cast<size_t>(col));
    if (c.type().id() == TypeId::kBigInt) return c.data<int64_t>()[row];
    return c.data<int32_t>()[row];
  }
  static int64_t Money(const Batch& b, int col, size_t row) {
    return b.column(static_cast<size_t>(col))->data<int64_t>()[row];
  }
  static int32_t Date(const Batch& b, int col, size_t row) {
    return b.column(static_cast<size_t>(col))->data<int32_t>()[row];
  }
  static std::string Text(const Batch& b, int col, size_t row) {
    return b.column(static_cast<size_t>(col))->data<StringView>()[row].str();
  }

  static std::map<TpchTable, std::vector<Batch>>* tables_;
};

std::map<TpchTable, std::vector<Batch>>* TpchRowsTest::tables_ = nullptr;

TEST_F(TpchRowsTest, Cardinalities) {
  EXPECT_EQ(Rows(TpchTable::kRegion), 5);
  EXPECT_EQ(Rows(TpchTable::kNation), 25);
  EXPECT_EQ(Rows(TpchTable::kSupplier), 100);
  EXPECT_EQ(Rows(TpchTable::kCustomer), 1'500);
  EXPECT_EQ(Rows(TpchTable::kPart), 2'000);
  EXPECT_EQ(Rows(TpchTable::kPartSupp), 8'000);
  EXPECT_EQ(Rows(TpchTable::kOrders), 15'000);
  // 1..7 lines per order: mean 4, standard deviation of the total 2 * sqrt(15000) ~ 245.
  EXPECT_NEAR(static_cast<double>(Rows(TpchTable::kLineitem)), 60'000, 1'500);
  EXPECT_EQ(TableRows(TpchTable::kLineitem, 1), -1);
  EXPECT_EQ(TableRows(TpchTable::kOrders, 1), 1'500'000);
  EXPECT_EQ(TableRows(TpchTable::kPartSupp, 1), 800'000);
}

TEST_F(TpchRowsTest, SchemasMatchBatches) {
  for (TpchTable table : kAllTables) {
    const Schema schema = TableSchema(table);
    for (const Batch& b : (*tables_)[table]) {
      ASSERT_EQ(b.num_columns(), schema.size()) << TableName(table);
      for (size_t c = 0; c < schema.size(); c++) {
        EXPECT_EQ(b.column(c)->type(), schema.field(c).type) << TableName(table) << " " << c;
      }
    }
  }
}

TEST_F(TpchRowsTest, KeysAreConsistent) {
  std::set<int64_t> order_keys;
  std::map<int64_t, int32_t> order_dates;
  ForEachRow(TpchTable::kOrders, [&](const Batch& b, size_t r) {
    EXPECT_TRUE(order_keys.insert(Int(b, 0, r)).second);
    order_dates[Int(b, 0, r)] = Date(b, 4, r);
    const int64_t customer = Int(b, 1, r);
    EXPECT_GE(customer, 1);
    EXPECT_LE(customer, 1'500);
    EXPECT_NE(customer % 3, 0);
  });
  EXPECT_EQ(*order_keys.rbegin(), OrderKey(15'000 - 1));
  EXPECT_EQ(OrderKey(7), 8);
  EXPECT_EQ(OrderKey(8), 33);

  std::set<std::pair<int64_t, int64_t>> part_suppliers;
  ForEachRow(TpchTable::kPartSupp, [&](const Batch& b, size_t r) {
    const int64_t supplier = Int(b, 1, r);
    EXPECT_GE(supplier, 1);
    EXPECT_LE(supplier, 100);
    EXPECT_TRUE(part_suppliers.insert({Int(b, 0, r), supplier}).second) << "duplicate partsupp";
  });
  EXPECT_EQ(part_suppliers.size(), 8'000u);

  std::map<int64_t, int64_t> last_line;
  ForEachRow(TpchTable::kLineitem, [&](const Batch& b, size_t r) {
    const int64_t order = Int(b, 0, r);
    ASSERT_TRUE(order_keys.count(order)) << order;
    EXPECT_TRUE(part_suppliers.count({Int(b, 1, r), Int(b, 2, r)}));
    EXPECT_EQ(Int(b, 3, r), last_line[order] + 1) << "line numbers are 1..n";
    last_line[order] = Int(b, 3, r);
  });
  EXPECT_EQ(last_line.size(), order_keys.size());

  for (TpchTable table : {TpchTable::kSupplier, TpchTable::kCustomer}) {
    ForEachRow(table, [&](const Batch& b, size_t r) {
      const int64_t nation = Int(b, 3, r);
      EXPECT_GE(nation, 0);
      EXPECT_LE(nation, 24);
      EXPECT_EQ(std::stoi(Text(b, 4, r).substr(0, 2)), nation + 10) << "phone country code";
    });
  }
  ForEachRow(TpchTable::kNation,
             [&](const Batch& b, size_t r) { EXPECT_EQ(Int(b, 2, r), kNations[r].region); });
}

TEST_F(TpchRowsTest, LineitemValueDomains) {
  std::map<int64_t, int32_t> order_dates;
  std::map<int64_t, int64_t> order_totals;
  std::map<int64_t, std::string> order_status;
  ForEachRow(TpchTable::kOrders, [&](const Batch& b, size_t r) {
    order_dates[Int(b, 0, r)] = Date(b, 4, r);
    order_totals[Int(b, 0, r)] = Money(b, 3, r);
    order_status[Int(b, 0, r)] = Text(b, 2, r);
    EXPECT_GE(Date(b, 4, r), kStartDate);
    EXPECT_LE(Date(b, 4, r), kEndDate - 151);
  });
  std::map<int64_t, int64_t> totals;
  std::map<int64_t, std::set<std::string>> statuses;
  ForEachRow(TpchTable::kLineitem, [&](const Batch& b, size_t r) {
    const int64_t order = Int(b, 0, r);
    const int64_t quantity = Money(b, 4, r);
    const int64_t discount = Money(b, 6, r);
    const int64_t tax = Money(b, 7, r);
    EXPECT_EQ(quantity % 100, 0);
    EXPECT_GE(quantity, 100);
    EXPECT_LE(quantity, 5'000);
    EXPECT_EQ(Money(b, 5, r), quantity / 100 * RetailPriceCents(Int(b, 1, r)));
    EXPECT_GE(discount, 0);
    EXPECT_LE(discount, 10);
    EXPECT_GE(tax, 0);
    EXPECT_LE(tax, 8);
    const int32_t ship = Date(b, 10, r), commit = Date(b, 11, r), receipt = Date(b, 12, r);
    const int32_t ordered = order_dates[order];
    EXPECT_GE(ship - ordered, 1);
    EXPECT_LE(ship - ordered, 121);
    EXPECT_GE(commit - ordered, 30);
    EXPECT_LE(commit - ordered, 90);
    EXPECT_GE(receipt - ship, 1);
    EXPECT_LE(receipt - ship, 30);
    EXPECT_LE(receipt, kEndDate);
    const std::string flag = Text(b, 8, r), status = Text(b, 9, r);
    if (receipt <= kCurrentDate) {
      EXPECT_TRUE(flag == "R" || flag == "A") << flag;
    } else {
      EXPECT_EQ(flag, "N");
    }
    EXPECT_EQ(status, ship > kCurrentDate ? "O" : "F");
    statuses[order].insert(status);
    totals[order] += (Money(b, 5, r) * (100 - discount) * (100 + tax) + 5'000) / 10'000;
    const std::string comment = Text(b, 15, r);
    EXPECT_GE(comment.size(), 10u);
    EXPECT_LE(comment.size(), 43u);
  });
  for (const auto& [order, total] : totals) {
    EXPECT_EQ(order_totals[order], total);
    const auto& s = statuses[order];
    EXPECT_EQ(order_status[order], s.size() == 2 ? "P" : *s.begin());
  }
}

TEST_F(TpchRowsTest, PartValueDomains) {
  std::set<std::string> colors(kColors.begin(), kColors.end());
  std::set<std::string> types;
  int promo = 0;
  ForEachRow(TpchTable::kPart, [&](const Batch& b, size_t r) {
    std::set<std::string> words;
    std::string name = Text(b, 1, r) + " ";
    for (size_t start = 0, space; (space = name.find(' ', start)) != std::string::npos;
         start = space + 1) {
      const std::string word = name.substr(start, space - start);
      EXPECT_TRUE(colors.count(word)) << word;
      words.insert(word);
    }
    EXPECT_EQ(words.size(), 5u) << name;
    const std::string mfgr = Text(b, 2, r);
    EXPECT_EQ(Text(b, 3, r).substr(0, 7), "Brand#" + mfgr.substr(13));
    types.insert(Text(b, 4, r));
    promo += Text(b, 4, r).rfind("PROMO", 0) == 0;
    EXPECT_GE(Int(b, 5, r), 1);
    EXPECT_LE(Int(b, 5, r), 50);
    EXPECT_EQ(Money(b, 7, r), RetailPriceCents(Int(b, 0, r)));
  });
  EXPECT_EQ(types.size(), 150u);
  EXPECT_NEAR(promo / 2000.0, 1.0 / 6, 0.03);  // Q14's PROMO share
  ForEachRow(TpchTable::kPartSupp, [&](const Batch& b, size_t r) {
    EXPECT_GE(Int(b, 2, r), 1);
    EXPECT_LE(Int(b, 2, r), 9'999);
    EXPECT_GE(Money(b, 3, r), 100);
    EXPECT_LE(Money(b, 3, r), 100'000);
  });
  ForEachRow(TpchTable::kCustomer, [&](const Batch& b, size_t r) {
    EXPECT_GE(Money(b, 5, r), -99'999);
    EXPECT_LE(Money(b, 5, r), 999'999);
    const std::string address = Text(b, 2, r);
    EXPECT_GE(address.size(), 10u);
    EXPECT_LE(address.size(), 40u);
  });
}

TEST_F(TpchRowsTest, CommentsFollowTheGrammar) {
  int special_requests = 0;
  ForEachRow(TpchTable::kOrders, [&](const Batch& b, size_t r) {
    const std::string comment = Text(b, 8, r);
    EXPECT_NE(comment.front(), ' ');
    EXPECT_NE(comment.back(), ' ');
    const size_t special = comment.find("special");
    special_requests +=
        special != std::string::npos && comment.find("requests", special + 7) != std::string::npos;
  });
  // Q13 drops the orders whose comment matches '%special%requests%': about 1 to 2 percent.
  EXPECT_GT(special_requests, 15'000 * 0.003);
  EXPECT_LT(special_requests, 15'000 * 0.05);
}

TEST(TpchRowsSplitTest, AnySplitGivesTheSameRows) {
  // Generating [0, 3000) at once or as [0, 1234) + [1234, 3000) yields the same rows.
  auto collect = [](int64_t first, int64_t count, std::vector<std::string>* rows) {
    GenerateRows(TpchTable::kOrders, kSf, first, count, [&](TpchTable t, const Batch& b) {
      for (size_t r = 0; r < b.num_rows(); r++) {
        std::string line = std::string(TableName(t));
        for (const Value& v : b.GetRow(r)) line += "|" + v.ToString();
        rows->push_back(line);
      }
    });
  };
  std::vector<std::string> whole, split_a, split_b;
  collect(0, 3'000, &whole);
  collect(0, 1'234, &split_a);
  collect(1'234, 3'000 - 1'234, &split_b);
  std::multiset<std::string> a(whole.begin(), whole.end());
  std::multiset<std::string> b(split_a.begin(), split_a.end());
  b.insert(split_b.begin(), split_b.end());
  EXPECT_EQ(a, b);
}

}  // namespace
}  // namespace sluice::tpch
