#include <gtest/gtest.h>

#include "expr_test_util.h"

namespace sluice::testing {
namespace {

TEST(DateArithmetic, DaysAndIntervals) {
  EXPECT_EQ(Show(Call("+", {DateLit("2024-02-28"), I(1)})), "2024-02-29");
  EXPECT_EQ(Show(Call("+", {DateLit("2023-02-28"), I(1)})), "2023-03-01");
  EXPECT_EQ(Show(Call("+", {I(1), DateLit("2023-12-31")})), "2024-01-01");
  EXPECT_EQ(Show(Call("-", {DateLit("2024-03-01"), DateLit("2024-02-01")})), "29");
  EXPECT_EQ(Show(Call("-", {DateLit("2024-03-01"), I(1)})), "2024-02-29");
  EXPECT_EQ(Show(Call("+", {DateLit("2024-01-31"), IntervalLit("1 month")})),
            "2024-02-29 00:00:00");
  EXPECT_EQ(Show(Call("-", {DateLit("2024-03-31"), IntervalLit("1 month")})),
            "2024-02-29 00:00:00");
  EXPECT_EQ(Show(Call("+", {TsLit("2024-12-31 23:00:00"), IntervalLit("2 hours")})),
            "2025-01-01 01:00:00");
  EXPECT_EQ(Show(Call("-", {TsLit("2024-01-02 01:00:00"), TsLit("2024-01-01 00:00:00")})),
            "1 day 01:00:00");
  EXPECT_EQ(Bind(Call("+", {DateLit("2024-01-31"), IntervalLit("1 day")}))->type,
            LogicalType(TypeId::kTimestamp));
  EXPECT_EQ(Show(Call("date_add", {DateLit("2024-01-31"), IntervalLit("1 day")})),
            "2024-02-01 00:00:00");
}

TEST(DateParts, Extract) {
  auto part = [](const std::string& p, ExprPtr d) { return Show(Call("date_part", {S(p), d})); };
  const ExprPtr ts = TsLit("2024-02-29 13:45:30.25");
  EXPECT_EQ(part("year", ts), "2024");
  EXPECT_EQ(part("quarter", ts), "1");
  EXPECT_EQ(part("month", ts), "2");
  EXPECT_EQ(part("day", ts), "29");
  EXPECT_EQ(part("dow", ts), "4");  // Thursday
  EXPECT_EQ(part("dayofyear", ts), "60");
  EXPECT_EQ(part("hour", ts), "13");
  EXPECT_EQ(part("minute", ts), "45");
  EXPECT_EQ(part("second", ts), "30");
  EXPECT_EQ(part("epoch", DateLit("1970-01-02")), "86400.0");
  EXPECT_EQ(part("week", DateLit("2021-01-03")), "53");
  EXPECT_EQ(part("week", DateLit("2024-12-30")), "1");
  EXPECT_EQ(Show(Call("extract", {S("YEAR"), DateLit("1999-12-31")})), "1999");
  EXPECT_EQ(Show(Call("year", {DateLit("1999-12-31")})), "1999");
  EXPECT_EQ(Show(Call("month", {TsLit("1999-12-31 10:00:00")})), "12");
  EXPECT_EQ(Show(Call("day", {DateLit("1960-03-05")})), "5");
  EXPECT_EQ(ErrorOf([] {
              Bind(Call("date_part", {S("fortnight"), DateLit("2024-01-01")}));
            }),
            "extract specifier \"fortnight\" not recognized");
}

TEST(DateParts, TruncAndDiff) {
  // A DATE truncates to a TIMESTAMP, as in DuckDB.
  EXPECT_EQ(Show(Call("date_trunc", {S("month"), DateLit("2024-02-29")})), "2024-02-01 00:00:00");
  EXPECT_EQ(Show(Call("date_trunc", {S("quarter"), DateLit("2024-05-29")})),
            "2024-04-01 00:00:00");
  EXPECT_EQ(Show(Call("date_trunc", {S("week"), DateLit("2024-03-03")})), "2024-02-26 00:00:00");
  EXPECT_EQ(Show(Call("date_trunc", {S("hour"), TsLit("2024-03-03 10:59:59")})),
            "2024-03-03 10:00:00");
  EXPECT_EQ(Show(Call("date_trunc", {S("year"), TsLit("2024-03-03 10:59:59")})),
            "2024-01-01 00:00:00");
  EXPECT_EQ(Show(Call("date_diff", {S("month"), DateLit("2024-01-31"), DateLit("2024-02-01")})),
            "1");
  EXPECT_EQ(Show(Call("datediff", {S("day"), DateLit("2024-02-01"), DateLit("2024-03-01")})), "29");
  EXPECT_EQ(Show(Call("date_diff", {S("year"), DateLit("2023-12-31"), DateLit("2024-01-01")})),
            "1");
  EXPECT_EQ(Show(Call("date_diff",
                      {S("hour"), TsLit("2024-01-01 00:59:00"), TsLit("2024-01-01 01:00:00")})),
            "1");
}

TEST(DateFunctions, Constructors) {
  EXPECT_EQ(Show(Call("make_date", {I(2024), I(2), I(29)})), "2024-02-29");
  EXPECT_EQ(ErrorOf([] {
              EvalConst(Call("make_date", {I(2023), I(2), I(29)}));
            }),
            "Date out of range: 2023-2-29");
  EXPECT_EQ(Show(Call("to_timestamp", {D(86400.5)})), "1970-01-02 00:00:00.5");
  EXPECT_EQ(Show(Call("epoch_ms", {BI(1000)})), "1970-01-01 00:00:01");
  EXPECT_EQ(Show(Call("epoch_ms", {TsLit("1970-01-01 00:00:01")})), "1000");
  EXPECT_EQ(Show(Call("last_day", {DateLit("2024-02-10")})), "2024-02-29");
  EXPECT_EQ(Show(Call("strftime", {TsLit("2024-03-05 14:07:09"), S("%Y/%m/%d %H:%M:%S %a %B %j")})),
            "2024/03/05 14:07:09 Tue March 065");
  EXPECT_EQ(Show(Call("strftime", {DateLit("2024-03-05"), S("%-d.%-m.%y")})), "5.3.24");
  EXPECT_EQ(Bind(Call("current_date", {}))->type, LogicalType(TypeId::kDate));
}

TEST(Math, Functions) {
  EXPECT_EQ(Show(Call("abs", {I(-3)})), "3");
  EXPECT_EQ(Show(Call("abs", {Dec("-1.25", 3, 2)})), "1.25");
  EXPECT_EQ(ErrorOf([] { EvalConst(Call("abs", {I(INT32_MIN)})); }),
            "Overflow on abs(-2147483648) of INTEGER");
  EXPECT_EQ(Show(Call("round", {D(2.5)})), "3.0");
  EXPECT_EQ(Show(Call("round", {D(-2.5)})), "-3.0");
  EXPECT_EQ(Show(Call("round", {D(1.2345), I(2)})), "1.23");
  EXPECT_EQ(Show(Call("round", {Dec("1.255", 4, 3), I(2)})), "1.26");
  EXPECT_EQ(Bind(Call("round", {Dec("1.255", 4, 3), I(2)}))->type, LogicalType::Decimal(4, 2));
  EXPECT_EQ(Show(Call("floor", {Dec("-1.5", 2, 1)})), "-2");
  EXPECT_EQ(Show(Call("ceil", {D(1.1)})), "2.0");
  EXPECT_EQ(Show(Call("floor", {I(7)})), "7");
  EXPECT_EQ(Show(Call("sqrt", {I(16)})), "4.0");
  EXPECT_EQ(ErrorOf([] { EvalConst(Call("sqrt", {I(-1)})); }),
            "cannot take square root of a negative number");
  EXPECT_EQ(Show(Call("power", {I(2), I(10)})), "1024.0");
  EXPECT_EQ(Show(Call("ln", {D(1)})), "0.0");
  EXPECT_EQ(Show(Call("log10", {I(1000)})), "3.0");
  EXPECT_EQ(Show(Call("exp", {I(0)})), "1.0");
  EXPECT_EQ(Show(Call("sign", {D(-0.5)})), "-1");
  EXPECT_EQ(Show(Call("greatest", {I(1), Null(), I(3)})), "3");
  EXPECT_EQ(Show(Call("least", {S("b"), S("a")})), "a");
  EXPECT_EQ(Show(Call("greatest", {Null(), Lit(Value::Null(TypeId::kInteger))})), "NULL");
  EXPECT_EQ(Show(Call("nullif", {I(1), I(1)})), "NULL");
  EXPECT_EQ(Show(Call("nullif", {I(1), I(2)})), "1");
}

TEST(Hashing, IsDeterministic) {
  EXPECT_EQ(Show(Call("hash", {I(1)})), Show(Call("hash", {I(1)})));
  EXPECT_NE(Show(Call("hash", {S("a")})), Show(Call("hash", {S("b")})));
}

}  // namespace
}  // namespace sluice::testing
