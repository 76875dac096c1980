// The checked date/time primitives: interval parsing and arithmetic at the edges of their
// fields, the DATE and TIMESTAMP ranges, age() and strptime. Each case here wrapped silently
// (or crashed in std::stoll) before the range checks.
#include <gtest/gtest.h>

#include <limits>

#include "common/error.h"
#include "expr/date_part.h"
#include "expr/strptime_format.h"
#include "expr_test_util.h"
#include "types/date_time.h"
#include "types/interval.h"

namespace sluice::testing {
namespace {

TEST(IntervalRange, ParseChecksEveryField) {
  EXPECT_EQ(FormatInterval(*ParseInterval("2147483647 days")), "2147483647 days");
  EXPECT_EQ(FormatInterval(*ParseInterval("-2147483648 days")), "-2147483648 days");
  EXPECT_THROW(ParseInterval("2147483648 days"), OutOfRangeError);
  EXPECT_THROW(ParseInterval("178956971 years"), OutOfRangeError);
  EXPECT_THROW(ParseInterval("2562047788 hours 1 hour"), OutOfRangeError);
  EXPECT_THROW(ParseInterval("99999999999999999999999 days"), OutOfRangeError);
  EXPECT_EQ(FormatInterval(*ParseInterval("9223372036854775807 microseconds")),
            "2562047788:00:54.775807");
  EXPECT_EQ(FormatInterval(*ParseInterval("1.5 months")), "1 month 15 days");
  EXPECT_EQ(FormatInterval(*ParseInterval("1 day -02:00:00")), "1 day -02:00:00");
  EXPECT_FALSE(ParseInterval("3 fortnights").has_value());
}

TEST(IntervalRange, ArithmeticThrowsInsteadOfWrapping) {
  const Interval max_days{0, std::numeric_limits<int32_t>::max(), 0};
  EXPECT_THROW(AddIntervals(max_days, Interval{0, 1, 0}), OutOfRangeError);
  EXPECT_THROW(SubtractIntervals(Interval{0, std::numeric_limits<int32_t>::min(), 0},
                                 Interval{0, 1, 0}),
               OutOfRangeError);
  EXPECT_THROW(NegateInterval(Interval{0, 0, std::numeric_limits<int64_t>::min()}),
               OutOfRangeError);
  EXPECT_EQ(NegateInterval(Interval{1, 2, 3}), (Interval{-1, -2, -3}));
  // The comparison key of a huge interval saturates instead of overflowing.
  const Interval huge{std::numeric_limits<int32_t>::max(), std::numeric_limits<int32_t>::max(),
                      std::numeric_limits<int64_t>::max()};
  EXPECT_EQ(huge.NormalizedMicros(), std::numeric_limits<int64_t>::max());
  EXPECT_TRUE(huge.NormalizedMicros128() > (Interval{0, 1, 0}.NormalizedMicros128()));
}

TEST(TimestampRange, AddingAnIntervalStaysInRange) {
  const int64_t y2000 = *ParseTimestamp("2000-01-01");
  EXPECT_FALSE(AddIntervalToTimestamp(y2000, Interval{0, 106751992, 0}).has_value());
  EXPECT_FALSE(AddIntervalToTimestamp(y2000, Interval{std::numeric_limits<int32_t>::max(), 0, 0}));
  EXPECT_FALSE(AddIntervalToTimestamp(kMaxTimestamp, Interval{0, 0, 1}).has_value());
  EXPECT_EQ(FormatTimestamp(*AddIntervalToTimestamp(y2000, Interval{0, 10000000, 0})),
            "29379-01-26 00:00:00");
  EXPECT_EQ(FormatTimestamp(kMaxTimestamp), "294247-01-10 04:00:54.775806");
  EXPECT_EQ(FormatTimestamp(kMinTimestamp), "290309-12-22 (BC) 00:00:00");
  EXPECT_FALSE(ParseTimestamp("-290308-12-21 23:59:59").has_value());
  EXPECT_EQ(*ParseTimestamp("290309-12-22 (BC) 00:00:00"), kMinTimestamp);
  EXPECT_FALSE(DateToTimestamp(kMaxDate).has_value());
  EXPECT_EQ(FormatDate(static_cast<int32_t>(kMaxDate)), "5881580-07-10");
  EXPECT_EQ(*ParseDate("5881580-07-10"), kMaxDate);
  EXPECT_FALSE(ParseDate("5881580-07-11").has_value());
}

TEST(DateTimeRange, SqlArithmeticErrors) {
  EXPECT_EQ(ErrorOf([] { EvalConst(Call("+", {DateLit("5881580-07-10"), I(1)})); }),
            "Date out of range");
  EXPECT_EQ(ErrorOf([] {
              EvalConst(Call("+", {TsLit("2000-01-01"), IntervalLit("106751992 days")}));
            }),
            "Date and time not in timestamp range");
  EXPECT_EQ(ErrorOf([] {
              EvalConst(Call("-", {TsLit("294247-01-10 04:00:54"), TsLit("1900-01-01")}));
            }),
            "Timestamp difference is out of bounds");
}

TEST(Age, BorrowsFromTheEarlierMonth) {
  auto age = [](const char* a, const char* b) {
    return FormatInterval(
        Age(DayTime::FromTimestamp(*ParseTimestamp(a)), DayTime::FromTimestamp(*ParseTimestamp(b))));
  };
  EXPECT_EQ(age("2024-03-31 10:00:00", "2024-02-29 12:00:00"), "1 month 1 day 22:00:00");
  EXPECT_EQ(age("2024-01-31", "2024-03-01"), "-1 month -1 day");
  EXPECT_EQ(age("2000-02-29", "1990-03-31"), "9 years 10 months 29 days");
}

TEST(Strptime, ParsesAndExplains) {
  std::string error;
  bool out_of_range = false;
  const StrptimeFormat f = StrptimeFormat::Compile("%d/%m/%Y %I:%M %p");
  EXPECT_EQ(FormatTimestamp(*f.Parse("29/02/2024 01:30 pm", &error, &out_of_range)),
            "2024-02-29 13:30:00");
  EXPECT_FALSE(f.Parse("29/13/2024 01:30 pm", &error, &out_of_range).has_value());
  EXPECT_FALSE(out_of_range);
  EXPECT_NE(error.find("Month out of range, expected a value between 1 and 12"), std::string::npos);
  EXPECT_FALSE(f.Parse("30/02/2024 01:30 pm", &error, &out_of_range).has_value());
  EXPECT_TRUE(out_of_range);
  EXPECT_EQ(error, "Date out of range: 2024-2-30");
  EXPECT_THROW(StrptimeFormat::Compile("%Q"), InvalidInputError);
}

}  // namespace
}  // namespace sluice::testing
