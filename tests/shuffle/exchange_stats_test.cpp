#include "shuffle/exchange_stats.h"

#include <gtest/gtest.h>

#include "tests/shuffle/test_util.h"

namespace sluice {
namespace {

using shuffle_test::MakeBatch;
using shuffle_test::Row;
using shuffle_test::Sequence;

// Regression (issue 10): the exchange counted allocated buffers, so 16 BIGINT rows in a
// batch built with room for 2048 counted as 16 KiB and more; the adaptive decisions
// (broadcast switch, skew split, coalescing) then saw sizes hundreds of times too large.
TEST(ExchangeStatsTest, CountsTheRowsNotTheBufferCapacity) {
  const Batch batch = MakeBatch({TypeId::kBigInt}, Sequence(0, 16), kBatchSize);
  EXPECT_GE(batch.MemoryBytes(), size_t{16} << 10);
  EXPECT_EQ(DataBytes(batch), 16 * 8);
}

TEST(ExchangeStatsTest, StringsCountLengthAndBytesWhereverTheyLive) {
  const std::string long_text(100, 'x');  // stored in the heap, not inline
  const Batch batch =
      MakeBatch({TypeId::kVarchar}, {{Value::Varchar("ab")}, {Value::Varchar(long_text)}});
  EXPECT_EQ(DataBytes(batch), (4 + 2) + (4 + 100));
  // A slice counts only its own rows, although it shares the heap.
  EXPECT_EQ(DataBytes(batch.Slice(1, 1)), 4 + 100);
}

TEST(ExchangeStatsTest, NullsAddAValidityBitmap) {
  const Batch batch =
      MakeBatch({TypeId::kInteger},
                {{Value::Integer(1)}, {Value::Null(TypeId::kInteger)}, {Value::Integer(3)}});
  EXPECT_EQ(DataBytes(batch), 3 * 4 + 1);
}

TEST(ExchangeStatsTest, TotalsAddThePartitions) {
  ExchangeStats stats;
  stats.rows = {1, 2, 3};
  stats.bytes = {10, 0, 5};
  EXPECT_EQ(stats.total_rows(), 6);
  EXPECT_EQ(stats.total_bytes(), 15);
}

}  // namespace
}  // namespace sluice
