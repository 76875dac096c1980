#include "exec/asof_join.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <random>

#include "exec/sort.h"
#include "tests/exec/test_util.h"

namespace sluice {
namespace {

using exec_test::MakeBatches;
using exec_test::MakeSchema;
using exec_test::Row;
using exec_test::RunOperator;
using exec_test::Source;

// left: (k INTEGER, t BIGINT, id INTEGER); right: (k INTEGER, t BIGINT, rid INTEGER).
const std::vector<LogicalType> kTypes = {TypeId::kInteger, TypeId::kBigInt, TypeId::kInteger};

// Random rows with NULL keys and times, few keys and a narrow time range (many ties).
std::vector<Row> RandomRows(std::mt19937& rng, int n, int keys, int times) {
  std::vector<Row> rows;
  for (int i = 0; i < n; i++) {
    const int k = static_cast<int>(rng() % (keys + 1));
    const int t = static_cast<int>(rng() % (times + 1));
    rows.push_back({k == keys ? Value::Null(TypeId::kInteger) : Value::Integer(k),
                    t == times ? Value::Null(TypeId::kBigInt) : Value::BigInt(t),
                    Value::Integer(i)});
  }
  return rows;
}

// Splits rows into `n` partitions by key (NULL keys in partition 0), as a hash exchange.
std::vector<std::vector<Batch>> Partition(const std::vector<Row>& rows, int n, size_t batch) {
  std::vector<std::vector<Row>> parts(n);
  for (const auto& r : rows) parts[r[0].is_null() ? 0 : r[0].GetInt() % n].push_back(r);
  std::vector<std::vector<Batch>> out;
  for (const auto& p : parts) out.push_back(MakeBatches(kTypes, p, batch));
  return out;
}

PhysicalOperatorPtr Sorted(std::vector<std::vector<Batch>> parts, bool by_all) {
  std::vector<SortKey> keys{SortKey{0, true, false}, SortKey{1, true, false}};
  if (by_all) keys.push_back(SortKey{2, true, false});
  return std::make_unique<Sort>(Source(kTypes, std::move(parts)), std::move(keys), std::nullopt);
}

struct Case {
  bool right_before;
  bool strict;
  bool left_outer;
};

// The answer by definition: for each left row, the right rows of its key that satisfy the
// inequality, the closest time, then the smallest rid. nullopt: no match.
std::optional<int> Expected(const Row& l, const std::vector<Row>& right, const Case& c) {
  if (l[0].is_null() || l[1].is_null()) return std::nullopt;
  std::optional<std::pair<int64_t, int>> best;
  for (const Row& r : right) {
    if (r[0].is_null() || r[1].is_null() || r[0].GetInt() != l[0].GetInt()) continue;
    const int64_t lt = l[1].GetInt();
    const int64_t rt = r[1].GetInt();
    const bool ok = c.right_before ? (c.strict ? rt < lt : rt <= lt)
                                   : (c.strict ? rt > lt : rt >= lt);
    if (!ok) continue;
    // Closest first: the largest time before, the smallest time after; then smallest rid.
    const std::pair<int64_t, int> key{c.right_before ? -rt : rt, r[2].GetInt()};
    if (!best || key < *best) best = key;
  }
  if (!best) return std::nullopt;
  return best->second;
}

class AsofJoinTest : public ::testing::TestWithParam<Case> {};

TEST_P(AsofJoinTest, MatchesTheDefinitionAndNeverLooksPastTheInequality) {
  const Case c = GetParam();
  std::mt19937 rng(42);
  const std::vector<Row> left = RandomRows(rng, 3000, 7, 400);
  // Enough right rows per partition that the right buffer is compacted many times.
  const std::vector<Row> right = RandomRows(rng, 20000, 7, 400);
  std::map<int, std::optional<int>> expected;
  size_t expected_rows = 0;
  for (const Row& l : left) {
    expected[l[2].GetInt()] = Expected(l, right, c);
    if (expected[l[2].GetInt()] || c.left_outer) expected_rows++;
  }
  std::map<int, int64_t> right_time;
  for (const Row& r : right) {
    if (!r[1].is_null()) right_time[r[2].GetInt()] = r[1].GetInt();
  }
  for (size_t batch : {5u, 1000u}) {
    AsofJoin::Spec spec;
    spec.left_outer = c.left_outer;
    spec.left_keys = {0};
    spec.right_keys = {0};
    spec.left_time = 1;
    spec.right_time = 1;
    spec.right_before = c.right_before;
    spec.strict = c.strict;
    std::vector<LogicalType> out = kTypes;
    out.insert(out.end(), kTypes.begin(), kTypes.end());
    AsofJoin join(Sorted(Partition(left, 3, batch), false), Sorted(Partition(right, 3, batch), true),
                  spec, MakeSchema(out));
    const auto result = RunOperator(join, 2);
    ASSERT_EQ(result.rows.size(), expected_rows) << "batch " << batch;
    for (size_t b : result.batch_sizes) EXPECT_LE(b, kBatchSize);
    for (const Row& row : result.rows) {
      const int id = row[2].GetInt();
      const std::optional<int> want = expected.at(id);
      if (!want) {
        EXPECT_TRUE(row[5].is_null()) << "left row " << id;
        continue;
      }
      ASSERT_FALSE(row[5].is_null()) << "left row " << id;
      EXPECT_EQ(row[5].GetInt(), *want) << "left row " << id << " batch " << batch;
      // The property: a matched right row is never on the wrong side of the left time (for
      // >=, never in the future of the left row).
      const int64_t lt = row[1].GetInt();
      const int64_t rt = right_time.at(row[5].GetInt());
      EXPECT_EQ(row[0], row[3]);
      if (c.right_before) {
        EXPECT_TRUE(c.strict ? rt < lt : rt <= lt) << rt << " vs " << lt;
      } else {
        EXPECT_TRUE(c.strict ? rt > lt : rt >= lt) << rt << " vs " << lt;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Inequalities, AsofJoinTest,
                         ::testing::Values(Case{true, false, false}, Case{true, true, false},
                                           Case{false, false, false}, Case{false, true, false},
                                           Case{true, false, true}, Case{false, true, true}));

TEST(AsofJoinTest, NoKeysIsOneGroup) {
  const std::vector<Row> left = {{Value::Integer(0), Value::BigInt(5), Value::Integer(1)},
                                 {Value::Integer(0), Value::BigInt(1), Value::Integer(2)}};
  const std::vector<Row> right = {{Value::Integer(9), Value::BigInt(4), Value::Integer(7)},
                                  {Value::Integer(8), Value::BigInt(2), Value::Integer(6)}};
  AsofJoin::Spec spec;
  spec.left_time = 1;
  spec.right_time = 1;
  std::vector<LogicalType> out = kTypes;
  out.insert(out.end(), kTypes.begin(), kTypes.end());
  AsofJoin join(Sorted({MakeBatches(kTypes, left)}, false), Sorted({MakeBatches(kTypes, right)}, true),
                spec, MakeSchema(out));
  const auto result = RunOperator(join, 1);
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.rows[0][2].GetInt(), 1);
  EXPECT_EQ(result.rows[0][5].GetInt(), 7);
}

}  // namespace
}  // namespace sluice
