// The Sluice side of bench/run.sh: runs the foundation workloads over generated data with
// the DataFrame API and prints one JSON object per workload: {"name":..., "seconds":...,
// "result":...}. The same workloads run in DuckDB from bench/duckdb/bench.mjs.
#include <chrono>
#include <cstdlib>
#include <string>

#include <fmt/format.h>

#include "api/dataframe.h"
#include "api/session.h"

using namespace sluice;  // NOLINT: a small program, not a header

// The same allocator options as the sluice binary (src/cli/main.cpp).
extern "C" {
const char* malloc_conf = "dirty_decay_ms:60000,muzzy_decay_ms:60000";
}

namespace {

template <typename F>
void Time(const std::string& name, F&& run) {
  const auto start = std::chrono::steady_clock::now();
  const std::string result = run();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print("{{\"name\":\"{}\",\"seconds\":{:.4f},\"result\":\"{}\"}}\n", name, secs, result);
  std::fflush(stdout);
}

std::string First(const DataFrame& df) {
  auto rows = df.CollectRows();
  std::string out;
  for (size_t i = 0; i < rows[0].size(); i++) out += (i ? "," : "") + rows[0][i].ToString();
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t rows = argc > 1 ? std::stoll(argv[1]) : 50000000;
  const int threads = argc > 2 ? std::stoi(argv[2]) : Settings::DefaultThreads();
  const std::string csv = argc > 3 ? argv[3] : "";
  Settings settings;
  settings.set_threads(threads);
  Session session(settings);
  const int64_t keys = 1000000;
  ExprPtr r = Col("range");
  DataFrame facts =
      session.Range(0, rows)
          .Select({Alias(r, "id"), Alias(Call("%", {r * Lit(int64_t{7919}), Lit(keys)}), "k"),
                   Alias(CastTo(Call("%", {r, Lit(int64_t{1000})}), TypeId::kDouble), "v")})
          .Cache();
  DataFrame dim = session.Range(0, keys)
                      .Select({Alias(r, "did"), Alias(Call("%", {r, Lit(int64_t{97})}), "w")})
                      .Cache();
  Time("load", [&] { return std::to_string(facts.Count() + dim.Count()); });
  Time("a_filter_project_sum", [&] {
    return First(facts.Filter(Lt(Call("%", {Col("k"), Lit(int64_t{10})}), Lit(int64_t{5})))
                     .Agg({Sum(Col("v") * Lit(2.0))}));
  });
  Time("b_groupby_1m", [&] {
    return First(facts.GroupBy(std::vector<std::string>{"k"})
                     .Agg({Alias(CountStar(), "n"), Alias(Sum(Col("v")), "s"), Alias(Avg(Col("v")), "a")})
                     .Agg({Count(Col("k")), Sum(Col("n")), Sum(Col("s"))}));
  });
  Time("c_join_50m_1m", [&] {
    return First(facts.Join(dim, Eq(Col("k"), Col("did"))).Agg({CountStar(), Sum(Col("w"))}));
  });
  if (!csv.empty()) {
    Time("d_read_csv", [&] {
      return First(session.ReadCsv(csv).Agg({CountStar(), Sum(Col("v"))}));
    });
  }
  return 0;
}
