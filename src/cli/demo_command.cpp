#include <chrono>
#include <filesystem>

#include <fmt/format.h>

#include "api/dataframe.h"
#include "api/session.h"
#include "cli/cli.h"
#include "cli/progress_bar.h"
#include "cli/setting_flags.h"
#include "common/error.h"

namespace sluice {

namespace {

constexpr const char* kDemoUsage = R"(Usage: sluice demo [--dir DIR] [--rows N] [--threads N] [settings]

Generates raw order data as CSV under DIR/raw (kept untouched once written, as in ELT),
then runs the example job with the DataFrame API: read the raw CSV, clean, join with a
customer dimension, aggregate revenue per region and tier, and print the result and the
stage graph of the plan.

Options:
  --dir DIR     where the data goes (default: demo-data)
  --rows N      raw orders to generate (default: 2000000)
  --threads N   worker threads (default: number of cores)

Any setting of `sluice sql --help` is taken too: --name VALUE or --set name=value.
)";

ExprPtr Mod(ExprPtr a, int64_t m) { return Call("%", {std::move(a), Lit(m)}); }

// Raw orders: deterministic pseudo-random columns derived from the row number.
DataFrame GenerateOrders(Session& session, int64_t rows) {
  DataFrame ids = session.Range(0, rows);
  ExprPtr id = Col("range");
  return ids.Select({
      Alias(id, "order_id"),
      Alias(Mod(id * Lit(int64_t{7919}), 997), "customer_id"),
      Alias(Call("concat", {Lit("region-"), CastTo(Mod(id, 5), TypeId::kVarchar)}), "region"),
      Alias(CastTo(Mod(id * Lit(int64_t{104729}), 100000), TypeId::kDouble) / Lit(100.0),
            "amount"),
      Alias(Call("+", {Lit(Value::Date(20454)), CastTo(Mod(id, 365), TypeId::kInteger)}),
            "order_date"),
  });
}

DataFrame Customers(Session& session) {
  ExprPtr id = Col("range");
  return session.Range(0, 1000).Select({
      Alias(id, "customer_id"),
      Alias(Case({Eq(Mod(id, 10), Lit(0)), Lit("gold"), Lt(Mod(id, 10), Lit(4)), Lit("silver"),
                  Lit("bronze")}),
            "tier"),
  });
}

}  // namespace

int DemoCommand(const std::vector<std::string>& args) {
  if (WantsHelp(args)) {
    fmt::print("{}", kDemoUsage);
    return 0;
  }
  std::string dir = "demo-data";
  int64_t rows = 2000000;
  Settings settings;
  for (size_t i = 0; i < args.size(); i++) {
    if (args[i] == "--dir") dir = NeedValue(args, i);
    else if (args[i] == "--rows") rows = std::stoll(NeedValue(args, i));
    else if (ParseSettingFlag(args, i, settings)) continue;
    else throw UsageError(fmt::format("unknown option '{}' (see sluice demo --help)", args[i]));
  }
  Session session(settings);
  ProgressBar bar(true);
  session.set_progress(&bar);
  namespace fs = std::filesystem;
  const std::string raw = dir + "/raw/orders.csv";
  const auto t0 = std::chrono::steady_clock::now();
  if (!fs::exists(raw)) {
    fs::create_directories(dir + "/raw");
    fmt::print("Generating {} raw orders into {} ...\n", rows, raw);
    GenerateOrders(session, rows).Write().Csv(raw);
  } else {
    fmt::print("Using the raw data already in {} (raw data is never overwritten)\n", raw);
  }
  DataFrame orders = session.ReadCsv(raw);
  fmt::print("Raw schema: {}\n", orders.schema().ToString());
  DataFrame cleaned = orders.Filter(Gt(Col("amount"), Lit(1.0)))
                          .WithColumn("month", Call("date_trunc", {Lit("month"), Col("order_date")}));
  DataFrame report = cleaned.Join(Customers(session), std::vector<std::string>{"customer_id"})
                         .GroupBy(std::vector<std::string>{"region", "tier"})
                         .Agg({Alias(CountStar(), "orders"), Alias(Sum(Col("amount")), "revenue"),
                               Alias(Avg(Col("amount")), "avg_amount")})
                         .OrderBy({Desc(Col("revenue"))});
  fmt::print("\nPlan:\n{}\n", report.Explain());
  const std::string table = report.ShowString(20);
  bar.Finish();
  fmt::print("Revenue by region and customer tier:\n{}", table);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  fmt::print("Done in {:.2f} s with {} threads.\n", secs, session.settings().threads());
  return 0;
}

}  // namespace sluice
