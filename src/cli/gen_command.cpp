#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "cli/cli.h"
#include "common/error.h"
#include "common/settings.h"
#include "common/thread_pool.h"
#include "stream/nexmark_generator.h"
#include "tpch/tpch_generator.h"

namespace sluice {

namespace {

constexpr const char* kGenUsage = R"(Usage: sluice gen tpch --sf SF --out DIR [options]
       sluice gen nexmark --events N --out DIR [--rate R] [--partitions K]

Generates the TPC-H data set at scale factor SF (SF 1: lineitem ~6M rows, orders 1.5M,
partsupp 800k, part 200k, customer 150k, supplier 10k, nation 25, region 5) into
DIR/<table>/part-<k>.csv (or .parquet), in parallel. The files are the same for any
thread count; part files of an earlier run in those folders are replaced.

Options:
      --sf SF             scale factor, e.g. 0.01, 1, 10 (required)
      --out DIR           output folder (required)
      --format FORMAT     csv (default) or parquet
      --threads N         worker threads (default: number of cores)
  -h, --help              show this help

nexmark: the Nexmark benchmark's persons, auctions and bids (1 : 3 : 46) as JSON lines in
DIR/person, DIR/auction, DIR/bid (K files each, events dealt round robin), event time
advancing 1/R s per event from 2024-01-01 (R: 10000), and DIR/nexmark.sql declaring the
three tables (connector 'filesystem', watermark 4 s) for sluice sql and sluice stream run.
)";

int NexmarkCommand(const std::vector<std::string>& args) {
  stream::NexmarkOptions options;
  for (size_t i = 1; i < args.size(); i++) {
    const std::string& a = args[i];
    if (a == "--events") {
      options.events = ParsePositiveInt(a, NeedValue(args, i));
    } else if (a == "--out") {
      options.directory = NeedValue(args, i);
    } else if (a == "--rate") {
      options.events_per_second = ParsePositiveInt(a, NeedValue(args, i));
    } else if (a == "--partitions") {
      options.partitions = static_cast<int>(std::min<int64_t>(ParsePositiveInt(a, NeedValue(args, i)), 1024));
    } else {
      throw UsageError(fmt::format("unknown option '{}' (see sluice gen --help)", a));
    }
  }
  if (options.directory.empty()) throw UsageError("sluice gen nexmark needs --out DIR");
  const auto start = std::chrono::steady_clock::now();
  const stream::NexmarkCounts counts = stream::GenerateNexmark(options);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::FILE* ddl = std::fopen((options.directory + "/nexmark.sql").c_str(), "w");
  if (ddl == nullptr) throw IOError("cannot write " + options.directory + "/nexmark.sql");
  const std::string text = stream::NexmarkDdl(options.directory);
  std::fwrite(text.data(), 1, text.size(), ddl);
  std::fclose(ddl);
  fmt::print("Nexmark: {} persons, {} auctions, {} bids ({:.1f} MB) written to {} in {:.2f} s\n",
             counts.persons, counts.auctions, counts.bids, static_cast<double>(counts.bytes) / 1e6,
             options.directory, seconds);
  return 0;
}

double ParseScaleFactor(const std::string& text) {
  char* end = nullptr;
  const double sf = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0' || !(sf > 0)) {
    throw UsageError(fmt::format("--sf needs a positive number, got '{}'", text));
  }
  return sf;
}

}  // namespace

int GenCommand(const std::vector<std::string>& args) {
  if (WantsHelp(args)) {
    fmt::print("{}", kGenUsage);
    return 0;
  }
  if (!args.empty() && args[0] == "nexmark") return NexmarkCommand(args);
  if (args.empty() || args[0] != "tpch") {
    throw UsageError(fmt::format("sluice gen: unknown data set '{}' (known: tpch, nexmark)\n\n{}",
                                 args.empty() ? "" : args[0], kGenUsage));
  }
  tpch::TpchGenOptions options;
  bool have_sf = false;
  Settings settings;
  for (size_t i = 1; i < args.size(); i++) {
    const std::string& a = args[i];
    if (a == "--sf") {
      options.scale_factor = ParseScaleFactor(NeedValue(args, i));
      have_sf = true;
    } else if (a == "--out") {
      options.directory = NeedValue(args, i);
    } else if (a == "--format") {
      const std::string format = NeedValue(args, i);
      if (format == "csv") {
        options.format = tpch::TpchFileFormat::kCsv;
      } else if (format == "parquet") {
        options.format = tpch::TpchFileFormat::kParquet;
      } else {
        throw UsageError(fmt::format("unknown --format '{}': use csv or parquet", format));
      }
    } else if (a == "--threads") {
      settings.Set("threads", NeedValue(args, i));
    } else {
      throw UsageError(fmt::format("unknown option '{}' (see sluice gen --help)", a));
    }
  }
  if (!have_sf || options.directory.empty()) {
    throw UsageError("sluice gen tpch needs --sf and --out (see sluice gen --help)");
  }
  const auto start = std::chrono::steady_clock::now();
  ThreadPool pool(settings.threads());
  const std::vector<tpch::TpchTableOutput> outputs = tpch::GenerateTpch(options, pool);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  int64_t total_bytes = 0;
  for (const auto& out : outputs) {
    fmt::print("{:<10} {:>12} rows {:>4} files {:>10.1f} MB\n", tpch::TableName(out.table),
               out.rows, out.files, static_cast<double>(out.bytes) / 1e6);
    total_bytes += out.bytes;
  }
  fmt::print("TPC-H SF {} written to {} in {:.2f} s ({:.1f} MB, {} threads)\n",
             options.scale_factor, options.directory, seconds,
             static_cast<double>(total_bytes) / 1e6, settings.threads());
  return 0;
}

}  // namespace sluice
