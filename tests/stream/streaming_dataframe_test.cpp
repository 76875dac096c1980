// The streaming DataFrame API (Spark Structured Streaming's shape over `sluice stream run`):
// a source declared by ReadStream(...).Load, windows, watermarks, grouping, WriteStream to a
// warehouse table with the available-now and continuous triggers, and its errors. Each job's
// rows are checked against the batch query of the same steps over the same records.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "api/dataframe.h"
#include "api/session.h"
#include "api/sql_runner.h"
#include "common/error.h"
#include "stream/streaming_dataframe.h"

namespace sluice::stream {
namespace {

namespace fs = std::filesystem;

class StreamingDataFrameTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("sluice_sdf_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "in");
    session_ = std::make_unique<Session>(Settings(), (dir_ / "db").string());
  }
  void TearDown() override {
    session_.reset();
    fs::remove_all(dir_);
  }

  void Append(const std::string& file, const std::string& lines) {
    std::ofstream out(dir_ / "in" / file, std::ios::app);
    out << lines;
  }

  // Declares `bids` over the files of in/ with ReadStream (watermark 5 s).
  StreamingDataFrame Bids() {
    Schema schema;
    schema.Add(Field{"auction", LogicalType(TypeId::kBigInt), true, ""});
    schema.Add(Field{"price", LogicalType(TypeId::kBigInt), true, ""});
    schema.Add(Field{"ts", LogicalType(TypeId::kTimestamp), true, ""});
    return ReadStream(*session_)
        .Format("filesystem")
        .Option("path", (dir_ / "in").string())
        .Option("format", "json")
        .Schema(schema)
        .Watermark("ts", "5 seconds")
        .Load("bids");
  }

  // The rows of `sql`'s result, one "a|b|c" string each.
  std::vector<std::string> Rows(const std::string& sql) {
    std::vector<StatementResult> results = RunSqlScript(*session_, sql);
    std::vector<std::string> rows;
    for (const Batch& b : results.back().batches) {
      for (size_t r = 0; r < b.num_rows(); r++) {
        std::string row;
        for (size_t c = 0; c < b.num_columns(); c++) {
          row += (c > 0 ? "|" : "") + b.column(c)->GetValue(r).ToString();
        }
        rows.push_back(row);
      }
    }
    return rows;
  }

  fs::path dir_;
  std::unique_ptr<Session> session_;
};

constexpr const char* kBids =
    "{\"auction\": 1, \"price\": 10, \"ts\": \"2024-01-01 00:00:01\"}\n"
    "{\"auction\": 2, \"price\": 3, \"ts\": \"2024-01-01 00:00:04\"}\n"
    "{\"auction\": 1, \"price\": 30, \"ts\": \"2024-01-01 00:00:12\"}\n"
    "{\"auction\": 3, \"price\": 40, \"ts\": \"2024-01-01 00:00:25\"}\n"
    "{\"auction\": 3, \"price\": 41, \"ts\": \"2024-01-01 00:00:02\"}\n"
    "{\"auction\": 2, \"price\": 7, \"ts\": \"2024-01-01 00:00:27\"}\n";

TEST_F(StreamingDataFrameTest, WindowedAggregateEqualsTheBatchQuery) {
  Append("a.jsonl", kBids);
  // The filter is written before the window: it is applied after it, with the same rows.
  StreamingDataFrame counts = Bids()
                                  .Filter(Call(">", {Col("price"), Lit(Value::BigInt(5))}))
                                  .Tumble("ts", "10 seconds")
                                  .GroupBy({Col("window_start"), Col("window_end")})
                                  .Agg({Alias(CountStar(), "bids"), Alias(Sum(Col("price")), "volume")});
  StreamingQuery query = counts.WriteStream().Trigger(Trigger::kAvailableNow).ToTable("counts");
  const StreamJobStats stats = query.AwaitTermination();
  EXPECT_EQ(stats.records, 6);
  EXPECT_EQ(stats.late_rows, 1);  // 00:00:02 after the watermark reached 00:00:20
  EXPECT_EQ(query.id(), "counts");
  EXPECT_NE(query.sql().find("INSERT INTO \"counts\""), std::string::npos) << query.sql();
  EXPECT_EQ(Rows("SELECT * FROM counts ORDER BY window_start"),
            (std::vector<std::string>{"2024-01-01 00:00:00|2024-01-01 00:00:10|1|10",
                                      "2024-01-01 00:00:10|2024-01-01 00:00:20|1|30",
                                      "2024-01-01 00:00:20|2024-01-01 00:00:30|2|47"}));
  // The same steps as a batch query over the same records: equal but for the window that
  // the late row would have changed.
  const std::string later = " WHERE window_start > TIMESTAMP '2024-01-01 00:00:00'";
  EXPECT_EQ(Rows("SELECT count(*) FROM ((SELECT * FROM counts" + later + ") EXCEPT ALL (SELECT * FROM (" +
                 counts.Sql() + ")" + later + ") UNION ALL ((SELECT * FROM (" + counts.Sql() + ")" + later +
                 ") EXCEPT ALL (SELECT * FROM counts" + later + ")))"),
            std::vector<std::string>{"0"});
  EXPECT_EQ(Rows("SELECT auction, price FROM counts_late"), std::vector<std::string>{"3|41"});
}

TEST_F(StreamingDataFrameTest, RowStepsWatermarkAndContinuousTrigger) {
  Append("a.jsonl", kBids);
  // WithWatermark redeclares the source's delay: with 30 s, 00:00:02 is on time.
  StreamingDataFrame rows = Bids()
                                .WithWatermark("ts", "30 s")
                                .WithColumn("price", Call("*", {Col("price"), Lit(Value::BigInt(100))}))
                                .WithColumn("big", Call(">", {Col("price"), Lit(Value::BigInt(2000))}))
                                .Select({Col("auction"), Col("price"), Col("big"), Col("ts")});
  StreamingQuery query = rows.WriteStream().CheckpointInterval("100ms").QueryName("live").ToTable("priced");
  // A continuous query picks up a file that appears while it runs.
  auto wait_for_records = [&](const std::string& count) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (query.Status().find("\"records\": " + count) == std::string::npos &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  };
  wait_for_records("6");
  Append("b.jsonl", "{\"auction\": 9, \"price\": 1, \"ts\": \"2024-01-01 00:00:29\"}\n");
  wait_for_records("7");
  EXPECT_NE(query.Status().find("\"state\": \"running\""), std::string::npos) << query.Status();
  const StreamJobStats stats = query.Stop();
  EXPECT_EQ(stats.records, 7);
  EXPECT_EQ(stats.late_rows, 0);
  EXPECT_EQ(Rows("SELECT auction, price, big FROM priced ORDER BY ts"),
            (std::vector<std::string>{"1|1000|false", "3|4100|true", "2|300|false", "1|3000|true",
                                      "3|4000|true", "2|700|false", "9|100|false"}));
  // A select written before a window keeps the window's columns.
  const std::string sql = Bids()
                              .Select({Col("auction"), Col("ts")})
                              .Hop("ts", "5 seconds", "10 seconds")
                              .GroupBy({Col("window_end"), Col("auction")})
                              .Agg({Alias(CountStar(), "n")})
                              .Sql();
  EXPECT_EQ(Rows("SELECT sum(n), count(DISTINCT window_end) FROM (" + sql + ")"),
            (std::vector<std::string>{"14|6"}));
}

TEST_F(StreamingDataFrameTest, SessionWindowsPerKey) {
  Append("a.jsonl", kBids);
  // With a watermark a minute behind, 00:00:02 is on time (with the declared 5 s, late).
  StreamingQuery query = Bids()
                             .WithWatermark("ts", "1 minute")
                             .SessionWindow("ts", "10 seconds", {"auction"})
                             .GroupBy({Col("auction"), Col("window_start"), Col("window_end")})
                             .Agg({Alias(CountStar(), "bids")})
                             .WriteStream()
                             .Trigger(Trigger::kAvailableNow)
                             .ToTable("sessions");
  query.AwaitTermination();
  EXPECT_EQ(Rows("SELECT auction, window_start, window_end, bids FROM sessions ORDER BY auction, window_start"),
            (std::vector<std::string>{"1|2024-01-01 00:00:01|2024-01-01 00:00:11|1",
                                      "1|2024-01-01 00:00:12|2024-01-01 00:00:22|1",
                                      "2|2024-01-01 00:00:04|2024-01-01 00:00:14|1",
                                      "2|2024-01-01 00:00:27|2024-01-01 00:00:37|1",
                                      "3|2024-01-01 00:00:02|2024-01-01 00:00:12|1",
                                      "3|2024-01-01 00:00:25|2024-01-01 00:00:35|1"}));
}

TEST_F(StreamingDataFrameTest, ErrorsNameTheProblem) {
  EXPECT_THROW(
      {
        try {
          ReadStream(*session_).Table("nope");
        } catch (const InvalidInputError& e) {
          EXPECT_NE(std::string(e.what()).find("nope is not a table over a stream"), std::string::npos);
          throw;
        }
      },
      InvalidInputError);
  StreamingDataFrame bids = Bids();
  EXPECT_THROW(bids.WithWatermark("price", "1s"), InvalidInputError);  // not a TIMESTAMP
  EXPECT_THROW(bids.Tumble("when", "1s"), InvalidInputError);          // no such column
  EXPECT_THROW(bids.Tumble("ts", "soon"), InvalidInputError);          // not a duration
  EXPECT_THROW(bids.Tumble("ts", "1s").Hop("ts", "1s", "2s"), InvalidInputError);  // two windows
  // A windowed job must say when a row is final: the grouping drops window_end.
  EXPECT_THROW(bids.Tumble("ts", "10s").GroupBy({Col("auction")}).Agg({CountStar()}).WriteStream().ToTable("t"),
               UserError);
}

}  // namespace
}  // namespace sluice::stream
