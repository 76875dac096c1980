#include <gtest/gtest.h>

#include <atomic>

#include "common/error.h"
#include "common/memory.h"
#include "common/thread_pool.h"
#include "types/date_time.h"
#include "types/decimal.h"
#include "types/interval.h"
#include "types/string_view.h"
#include "vector/batch.h"

namespace sluice {
namespace {

TEST(ThreadPool, RunsEveryIndexOnce) {
  ThreadPool pool(4);
  std::vector<std::atomic<int>> hits(1000);
  pool.ParallelFor(1000, [&](int i) { hits[i]++; });
  for (auto& h : hits) EXPECT_EQ(h.load(), 1);
}

TEST(ThreadPool, NestedLoopsFinish) {
  ThreadPool pool(2);
  std::atomic<int> total{0};
  pool.ParallelFor(8, [&](int) { pool.ParallelFor(8, [&](int) { total++; }); });
  EXPECT_EQ(total.load(), 64);
}

TEST(ThreadPool, RethrowsLowestFailingIndex) {
  ThreadPool pool(4);
  try {
    pool.ParallelFor(100, [&](int i) {
      if (i == 7 || i == 50) throw InvalidInputError(fmt::format("task {}", i));
    });
    FAIL() << "expected an exception";
  } catch (const InvalidInputError& e) {
    EXPECT_EQ(e.message(), "task 7");
  }
}

TEST(Memory, ReservationsRespectTheLimit) {
  MemoryManager memory(1000);
  MemoryReservation a(&memory, "a");
  a.Resize(600);
  MemoryReservation b(&memory, "hash table");
  EXPECT_FALSE(b.TryResize(500));
  EXPECT_THROW(b.Resize(500), OutOfMemoryError);
  a.Resize(100);
  b.Resize(500);
  EXPECT_EQ(memory.used(), 600);
  EXPECT_EQ(memory.peak(), 600);
}

TEST(Memory, ParsesSizes) {
  EXPECT_EQ(ParseMemorySize("500MB"), 500000000);
  EXPECT_EQ(ParseMemorySize("2GiB"), int64_t{2} << 30);
  EXPECT_EQ(ParseMemorySize("1024"), 1024);
  EXPECT_THROW(ParseMemorySize("12 parsecs"), InvalidInputError);
}

TEST(Dates, RoundTripAcrossEras) {
  for (int32_t d = -800000; d <= 800000; d += 997) {
    const CivilDate c = CivilFromDays(d);
    EXPECT_EQ(DaysFromCivil(c.year, c.month, c.day), d);
  }
  EXPECT_EQ(*ParseDate("1970-01-01"), 0);
  EXPECT_EQ(*ParseDate("2000-03-01"), 11017);
  EXPECT_EQ(FormatDate(*ParseDate("2024-02-29")), "2024-02-29");
  EXPECT_FALSE(ParseDate("2023-02-29").has_value());
  EXPECT_EQ(FormatTimestamp(*ParseTimestamp("2024-03-01 12:30:05.25")), "2024-03-01 12:30:05.25");
  EXPECT_EQ(FormatTimestamp(*ParseTimestamp("1969-12-31T23:59:59")), "1969-12-31 23:59:59");
  // Found by csv_fuzz: a 6-digit year is a valid date but overflowed int64 microseconds.
  EXPECT_FALSE(ParseTimestamp("999999-12-31 10:00:00").has_value());
  EXPECT_FALSE(ParseTimestamp("-999999-01-01").has_value());
  EXPECT_TRUE(ParseTimestamp("200000-01-01 00:00:00").has_value());
}

TEST(Intervals, AddMonthsClampsToMonthEnd) {
  const int32_t jan31 = *ParseDate("2024-01-31");
  auto add = [&](const char* text) {
    const Interval i = *ParseInterval(text);
    return FormatDate(static_cast<int32_t>(*AddMonthsAndDays(jan31, i.months, i.days)));
  };
  EXPECT_EQ(add("1 month"), "2024-02-29");
  EXPECT_EQ(add("1 year 1 day"), "2025-02-01");
  EXPECT_EQ(FormatInterval(*ParseInterval("1 year 2 months 3 days")), "1 year 2 months 3 days");
}

TEST(Decimals, ParseFormatRescale) {
  EXPECT_EQ(FormatDecimal(*ParseDecimal("123.456", 10, 2), 2), "123.46");
  EXPECT_EQ(FormatDecimal(*ParseDecimal("-0.5", 10, 3), 3), "-0.500");
  EXPECT_FALSE(ParseDecimal("12345", 4, 0).has_value());
  EXPECT_EQ(Int128ToString(Pow10(38) - 1), std::string(38, '9'));
  EXPECT_EQ(RescaleDecimal(1255, 2, 1), 126);
}

TEST(StringView, InlineAndHeapCompare) {
  Column c(TypeId::kVarchar, 4);
  StringView a = c.AddString("short");
  StringView b = c.AddString("a much longer string than twelve");
  StringView b2 = c.AddString("a much longer string than twelve");
  EXPECT_TRUE(a.IsInline());
  EXPECT_FALSE(b.IsInline());
  EXPECT_EQ(b, b2);
  EXPECT_NE(a, b);
  EXPECT_LT(b.Compare(a), 0);
  EXPECT_EQ(b.view(), "a much longer string than twelve");
}

TEST(StringView, CompareAgreesWithByteOrder) {
  // Strings that differ at every position (the prefix, inside an 8-byte word, in the tail),
  // in bytes above 0x7f, or only in length: the order must be memcmp's (unsigned bytes).
  const std::string base = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::vector<std::string> texts = {"", "a", "ab", "abc", "abcd", "abcde", base};
  for (size_t cut : {1, 3, 4, 5, 8, 11, 12, 13, 20, 27, 35}) {
    texts.push_back(base.substr(0, cut));
    std::string changed = base;
    changed[cut] = 'A';
    texts.push_back(changed);
    changed[cut] = '\xe9';
    texts.push_back(changed);
  }
  Column c(TypeId::kVarchar, texts.size());
  std::vector<StringView> views;
  for (const auto& t : texts) views.push_back(c.AddString(t));
  for (size_t i = 0; i < texts.size(); i++) {
    for (size_t j = 0; j < texts.size(); j++) {
      const int expected = texts[i] < texts[j] ? -1 : (texts[j] < texts[i] ? 1 : 0);
      EXPECT_EQ(views[i].Compare(views[j]), expected) << texts[i] << " vs " << texts[j];
    }
  }
}

TEST(Column, GatherKeepsNullsAndStrings) {
  auto c = Column::Make(TypeId::kVarchar, 3);
  c->SetValue(0, Value::Varchar("first value that is long"));
  c->SetValue(1, Value::Null(TypeId::kVarchar));
  c->SetValue(2, Value::Varchar("x"));
  c->set_size(3);
  const uint32_t sel[] = {2, 1, 0};
  auto g = c->Gather(sel, 3);
  c.reset();  // the gathered column keeps the heap alive
  EXPECT_EQ(g->GetValue(0).GetString(), "x");
  EXPECT_TRUE(g->GetValue(1).is_null());
  EXPECT_EQ(g->GetValue(2).GetString(), "first value that is long");
  EXPECT_EQ(g->CountNulls(), 1u);
}

TEST(BatchBuilder, CoalescesAcrossBatches) {
  Schema schema({Field{"x", TypeId::kBigInt}});
  BatchBuilder builder(schema, 5);
  auto col = Column::Make(TypeId::kBigInt, 3);
  for (int i = 0; i < 3; i++) col->data<int64_t>()[i] = i;
  col->set_size(3);
  Batch b({col}, 3);
  builder.Append(b, 0, 3);
  builder.Append(b, 1, 2);
  EXPECT_TRUE(builder.Full());
  Batch out = builder.Finish();
  ASSERT_EQ(out.num_rows(), 5u);
  EXPECT_EQ(out.column(0)->GetValue(4).GetInt(), 2);
  EXPECT_EQ(builder.num_rows(), 0u);
}

}  // namespace
}  // namespace sluice
