// Units of the stream module that SQL cannot reach: record decoding, the files source's
// offsets, durations, window ends, checkpoint round trips.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "api/session.h"
#include "api/sql_runner.h"
#include "binder/sql_binder.h"
#include "sql/parser.h"
#include "plan/window_tvf.h"
#include "stream/checkpoint_store.h"
#include "stream/file_stream_source.h"
#include "stream/interval_join.h"
#include "stream/record_decoder.h"
#include "stream/stream_job.h"
#include "vector/value_rows.h"

namespace sluice::stream {
namespace {

namespace fs = std::filesystem;

Schema BidSchema() {
  Schema s;
  s.Add(Field{"auction", LogicalType(TypeId::kBigInt), true, ""});
  s.Add(Field{"name", LogicalType(TypeId::kVarchar), true, ""});
  s.Add(Field{"ts", LogicalType(TypeId::kTimestamp), true, ""});
  return s;
}

TEST(RecordDecoderTest, JsonFieldsByNameMissingIsNullEpochMillis) {
  const RecordDecoder decoder(BidSchema(), "json");
  std::vector<Value> row;
  std::string error;
  ASSERT_TRUE(decoder.Decode(R"({"ts": 1000, "auction": "7", "extra": 1})", row, error)) << error;
  EXPECT_EQ(row[0], Value::BigInt(7));
  EXPECT_TRUE(row[1].is_null());
  EXPECT_EQ(row[2], Value::Timestamp(1000000));
  ASSERT_TRUE(decoder.Decode(R"({"TS": "2024-01-01 00:00:01.5"})", row, error)) << error;
  EXPECT_EQ(row[2].ToString(), "2024-01-01 00:00:01.5");  // names match ignoring case
  ASSERT_TRUE(decoder.Decode(R"({"Name": "folded", "name": "exact"})", row, error)) << error;
  EXPECT_EQ(row[1], Value::Varchar("exact"));
}

TEST(RecordDecoderTest, BadRecordsSayWhy) {
  const RecordDecoder decoder(BidSchema(), "json");
  std::vector<Value> row;
  std::string error;
  EXPECT_FALSE(decoder.Decode("{not json", row, error));
  EXPECT_NE(error.find("not JSON"), std::string::npos) << error;
  EXPECT_FALSE(decoder.Decode("[1, 2]", row, error));
  EXPECT_EQ(error, "not a JSON object");
  EXPECT_FALSE(decoder.Decode(R"({"auction": "seven"})", row, error));
  EXPECT_NE(error.find("column auction"), std::string::npos) << error;
}

TEST(RecordDecoderTest, CsvQuotingAndEmptyIsNull) {
  const RecordDecoder decoder(BidSchema(), "csv");
  std::vector<Value> row;
  std::string error;
  ASSERT_TRUE(decoder.Decode(R"(3,"a, ""b""",2024-01-01 00:00:02)", row, error)) << error;
  EXPECT_EQ(row[0], Value::BigInt(3));
  EXPECT_EQ(row[1], Value::Varchar(R"(a, "b")"));
  ASSERT_TRUE(decoder.Decode(R"(,"",2024-01-01)", row, error)) << error;
  EXPECT_TRUE(row[0].is_null());
  EXPECT_EQ(row[1], Value::Varchar(""));
  EXPECT_FALSE(decoder.Decode("1,2", row, error));
  EXPECT_EQ(error, "2 fields, expected 3");
}

TEST(FileStreamSourceTest, ReadsCompleteLinesAndResumesFromOffsets) {
  const fs::path dir = fs::temp_directory_path() / ("sluice_stream_files_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "a.jsonl") << "one\ntwo\npart";
  std::ofstream(dir / "_hidden") << "skipped\n";
  FileStreamSource source(dir.string(), "json");
  SourceOffsets offsets;
  std::vector<RawRecord> records;
  source.Poll(offsets, 100, records);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].payload, "two");
  EXPECT_EQ(records[1].offset, "4");
  EXPECT_EQ(offsets.at("a.jsonl"), "8");
  // The line being written completes; a new file appears.
  std::ofstream(dir / "a.jsonl", std::ios::app) << "ial\n";
  std::ofstream(dir / "b.jsonl") << "three\n";
  records.clear();
  source.Poll(offsets, 100, records);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].payload, "partial");
  EXPECT_EQ(records[1].partition, "b.jsonl");
  // Replaying from saved offsets returns the same records.
  SourceOffsets saved = {{"a.jsonl", "4"}};
  records.clear();
  source.Poll(saved, 1, records);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].payload, "two");
  fs::remove_all(dir);
}

TEST(FileStreamSourceTest, ParquetSegmentsReadOnceCompleteRowByRow) {
  const fs::path dir = fs::temp_directory_path() / ("sluice_stream_segments_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  Session session;
  RunSqlScript(session, "COPY (SELECT range AS auction, 'n' || CAST(range AS VARCHAR) AS name, "
                        "TIMESTAMP '2024-01-01' + INTERVAL (range) SECOND AS ts FROM range(5)) "
                        "TO '" + (dir / "_seg1").string() + "' (FORMAT parquet)");
  // A segment still being written (no footer yet) waits.
  std::string bytes;
  {
    std::ifstream in(dir / "_seg1", std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::ofstream(dir / "seg1.parquet", std::ios::binary) << bytes.substr(0, bytes.size() - 4);
  FileStreamSource source(dir.string(), "parquet");
  SourceOffsets offsets;
  std::vector<RawRecord> records;
  source.Poll(offsets, 100, records);
  EXPECT_TRUE(records.empty());
  EXPECT_EQ(offsets.at("seg1.parquet"), "0");
  fs::rename(dir / "_seg1", dir / "seg1.parquet");
  source.Poll(offsets, 3, records);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[2].offset, "2");
  EXPECT_EQ(offsets.at("seg1.parquet"), "3");
  const RecordDecoder decoder(BidSchema(), "parquet");
  std::vector<Value> row;
  std::string error;
  ASSERT_TRUE(decoder.Decode(records[1].payload, row, error)) << error;
  EXPECT_EQ(row[0], Value::BigInt(1));
  EXPECT_EQ(row[1], Value::Varchar("n1"));
  EXPECT_EQ(row[2].GetInt(), Value::Timestamp(1704067201000000).GetInt());
  records.clear();
  source.Poll(offsets, 100, records);  // the rest, from the saved offset
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].offset, "3");
  EXPECT_EQ(offsets.at("seg1.parquet"), "5");
  records.clear();
  source.Poll(offsets, 100, records);
  EXPECT_TRUE(records.empty());
  EXPECT_THROW(FileStreamSource(dir.string(), "avro"), InvalidInputError);
  fs::remove_all(dir);
}

TEST(StreamDurationTest, Units) {
  EXPECT_EQ(ParseDurationMs("10s"), 10000);
  EXPECT_EQ(ParseDurationMs("500ms"), 500);
  EXPECT_EQ(ParseDurationMs("2min"), 120000);
  EXPECT_EQ(ParseDurationMs("1 h"), 3600000);
  EXPECT_EQ(ParseDurationMs("250"), 250);
  EXPECT_EQ(ParseDurationMs("5 days"), 5 * 86400000LL);
  EXPECT_THROW(ParseDurationMs("soon"), InvalidInputError);
  EXPECT_THROW(ParseDurationMs("5 fortnights"), InvalidInputError);
  EXPECT_THROW(ParseDurationMs("-1s"), InvalidInputError);
}

TEST(WindowTvfTest, LastWindowEnd) {
  WindowTvf tumble;
  tumble.size = 10;
  EXPECT_EQ(tumble.LastWindowEnd(0), 10);
  EXPECT_EQ(tumble.LastWindowEnd(9), 10);
  EXPECT_EQ(tumble.LastWindowEnd(-1), 0);
  tumble.offset = 2;
  EXPECT_EQ(tumble.LastWindowEnd(1), 2);
  WindowTvf hop;
  hop.kind = WindowTvf::Kind::kHop;
  hop.step = 5;
  hop.size = 10;
  EXPECT_EQ(hop.LastWindowEnd(7), 15);  // windows [0, 10) and [5, 15)
  WindowTvf cumulate;
  cumulate.kind = WindowTvf::Kind::kCumulate;
  cumulate.step = 5;
  cumulate.size = 15;
  EXPECT_EQ(cumulate.LastWindowEnd(1), 15);
}

TEST(CheckpointStoreTest, RoundTripKeepsOnlyTheLatest) {
  const fs::path dir = fs::temp_directory_path() / ("sluice_stream_cp_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  CheckpointStore store(dir.string());
  EXPECT_FALSE(store.Load().has_value());
  Checkpoint cp;
  cp.id = 3;
  cp.sources["bids"].offsets = {{"p0", "17"}};
  cp.sources["bids"].max_event_time = {{"p0", 123}};
  cp.sources["asks"].offsets = {{"q0", "5"}};
  cp.fired_watermark = 100;
  cp.watermark = 110;
  Schema one;
  one.Add(Field{"n", LogicalType(TypeId::kBigInt), true, ""});
  cp.sources["bids"].buffer =
      BatchesFromRows(BidSchema(), {{Value::BigInt(1), Value::Varchar("x"), Value::Timestamp(5)}});
  cp.pending["sink"] = BatchesFromRows(one, {{Value::BigInt(2)}});
  const std::map<std::string, Schema> sources = {{"bids", BidSchema()}, {"asks", one}};
  store.Save(cp, sources, {{"sink", one}});
  cp.id = 4;
  store.Save(cp, sources, {{"sink", one}});
  EXPECT_FALSE(fs::exists(dir / "cp-3"));
  const std::optional<Checkpoint> loaded = store.Load();
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->id, 4);
  ASSERT_EQ(loaded->sources.size(), 2u);
  EXPECT_EQ(loaded->sources.at("bids").offsets, cp.sources["bids"].offsets);
  EXPECT_EQ(loaded->sources.at("bids").max_event_time, cp.sources["bids"].max_event_time);
  EXPECT_EQ(loaded->sources.at("asks").offsets, cp.sources["asks"].offsets);
  EXPECT_TRUE(loaded->sources.at("asks").buffer.empty());
  EXPECT_EQ(loaded->fired_watermark, 100);
  EXPECT_EQ(loaded->watermark, 110);
  const std::vector<Batch>& buffer = loaded->sources.at("bids").buffer;
  ASSERT_EQ(buffer.size(), 1u);
  ASSERT_EQ(buffer[0].num_rows(), 1u);
  EXPECT_EQ(buffer[0].column(1)->GetValue(0), Value::Varchar("x"));
  EXPECT_EQ(buffer[0].column(2)->GetValue(0), Value::Timestamp(5));
  EXPECT_EQ(loaded->pending.at("sink")[0].column(0)->GetValue(0), Value::BigInt(2));
  fs::remove_all(dir);
}

TEST(CheckpointStoreTest, ReadsASingleSourceCheckpointOfTheOlderFormat) {
  const fs::path dir = fs::temp_directory_path() / ("sluice_stream_cp_old_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "cp-2");
  std::ofstream(dir / "checkpoint.json")
      << R"({"checkpoint_id": 2, "offsets": {"a.jsonl": "40"}, "max_event_time": {"a.jsonl": 9},
            "fired_watermark": 1, "watermark": 3, "pending": {}})";
  const std::optional<Checkpoint> loaded = CheckpointStore(dir.string()).Load();
  ASSERT_TRUE(loaded.has_value());
  ASSERT_EQ(loaded->sources.count(""), 1u);
  EXPECT_EQ(loaded->sources.at("").offsets.at("a.jsonl"), "40");
  EXPECT_EQ(loaded->sources.at("").max_event_time.at("a.jsonl"), 9);
  fs::remove_all(dir);
}

constexpr int64_t kMinute = 60'000'000;

TEST(IntervalBoundsTest, ExpiryAndStateRetention) {
  // b.ts BETWEEN a.ts - 5 min AND a.ts + 10 min
  IntervalBounds inner{-5 * kMinute, 10 * kMinute};
  EXPECT_EQ(inner.LeftExpiry(0), 10 * kMinute);  // the last b a left row at 0 can meet
  EXPECT_EQ(inner.RightExpiry(0), 5 * kMinute);  // the last a a right row at 0 can meet
  EXPECT_EQ(inner.LeftKeepUntil(0), inner.LeftExpiry(0));
  EXPECT_EQ(inner.RightKeepUntil(0), inner.RightExpiry(0));
  // LEFT: a right row at 0 meets left rows up to 5 min, which are final at 15 min.
  IntervalBounds left = inner;
  left.left_outer = true;
  EXPECT_EQ(left.RightKeepUntil(0), 15 * kMinute);
  EXPECT_EQ(left.LeftKeepUntil(0), 10 * kMinute);
  // RIGHT: a left row at 0 meets right rows up to 10 min, which are final at 15 min.
  IntervalBounds right = inner;
  right.right_outer = true;
  EXPECT_EQ(right.LeftKeepUntil(0), 15 * kMinute);
  EXPECT_EQ(right.RightKeepUntil(0), 5 * kMinute);
  // Bounds entirely after the left row (b.ts in [a.ts + 1 min, a.ts + 2 min]).
  IntervalBounds later{kMinute, 2 * kMinute, true, true};
  EXPECT_EQ(later.RightExpiry(0), -kMinute);
  EXPECT_EQ(later.RightKeepUntil(0), kMinute);  // its partners' (<= -1 min) expiry + 2 min
  EXPECT_EQ(later.LeftKeepUntil(0), 2 * kMinute);
  // No overflow at the end of time.
  EXPECT_EQ(inner.LeftExpiry(INT64_MAX), INT64_MAX);
  EXPECT_EQ(later.RightExpiry(INT64_MIN), INT64_MIN);
}

// The interval join of `from_where` ("FROM ... WHERE ...") over tables a(k, ts) and b(k, ts)
// (both with a WATERMARK on ts).
IntervalJoin AnalyzeJoin(const std::string& from_where) {
  std::map<std::string, SourceDefinition> sources;
  for (const char* name : {"a", "b"}) {
    SourceDefinition def;
    def.name = name;
    def.schema.Add(Field{"k", LogicalType(TypeId::kBigInt), true, ""});
    def.schema.Add(Field{std::string(name) + "_ts", LogicalType(TypeId::kTimestamp), true, ""});
    def.watermark_column = std::string(name) + "_ts";
    sources[name] = def;
  }
  const std::string text = "SELECT * " + from_where;
  sql::QueryPtr query = sql::ParseQuery(text);
  Session session;
  SqlBinder binder(session, text);
  IntervalJoin join = IntervalJoin::Analyze(query->As<sql::SelectNode>(), sources, binder);
  join.join = nullptr;  // points into `query`
  return join;
}

TEST(IntervalJoinTest, BoundsOfBetweenAndComparisons) {
  IntervalJoin j = AnalyzeJoin(
      "FROM a x, b y WHERE x.k = y.k AND y.b_ts BETWEEN x.a_ts - INTERVAL '5' MINUTE AND "
      "x.a_ts + INTERVAL '10' MINUTE");
  EXPECT_EQ(j.bounds.lower, -5 * kMinute);
  EXPECT_EQ(j.bounds.upper, 10 * kMinute);
  EXPECT_EQ(j.left_source, "a");
  EXPECT_EQ(j.right_alias, "y");
  EXPECT_FALSE(j.bounds.left_outer || j.bounds.right_outer);
  // Strict bounds are one microsecond in; the left time may be on either side of the
  // comparison; unqualified time columns name their table.
  j = AnalyzeJoin("FROM a JOIN b ON a.k = b.k AND a.a_ts < b_ts + INTERVAL '1' HOUR AND "
                  "b.b_ts < a_ts");
  EXPECT_EQ(j.bounds.lower, -60 * kMinute + 1);
  EXPECT_EQ(j.bounds.upper, -1);
  // Several bounds: the tightest wins. Equal times: both bounds 0.
  j = AnalyzeJoin("FROM a LEFT JOIN b ON a.k = b.k AND b.b_ts >= a.a_ts AND "
                  "b.b_ts <= a.a_ts + INTERVAL '2' MINUTE AND b.b_ts <= a.a_ts + INTERVAL '3' MINUTE");
  EXPECT_EQ(j.bounds.lower, 0);
  EXPECT_EQ(j.bounds.upper, 2 * kMinute);
  EXPECT_TRUE(j.bounds.left_outer);
  EXPECT_FALSE(j.bounds.right_outer);
  j = AnalyzeJoin("FROM b FULL JOIN a ON a.a_ts = b.b_ts");
  EXPECT_EQ(j.left_source, "b");
  EXPECT_EQ(j.bounds.lower, 0);
  EXPECT_EQ(j.bounds.upper, 0);
  EXPECT_TRUE(j.bounds.left_outer && j.bounds.right_outer);
}

TEST(IntervalJoinTest, TimeSidesAndHowFarTheJoinedRowsTrail) {
  const IntervalJoin j = AnalyzeJoin(
      "FROM a x JOIN b y ON x.k = y.k AND y.b_ts BETWEEN x.a_ts - INTERVAL '5' MINUTE AND "
      "x.a_ts + INTERVAL '10' MINUTE");
  auto side = [&](std::vector<std::string> parts) {
    sql::ColumnRefExpr ref;
    ref.parts = std::move(parts);
    return j.TimeSide(ref);
  };
  EXPECT_EQ(side({"x", "a_ts"}), 0);
  EXPECT_EQ(side({"Y", "B_TS"}), 1);
  EXPECT_EQ(side({"b_ts"}), 1);
  EXPECT_EQ(side({"y", "a_ts"}), -1);
  EXPECT_EQ(side({"k"}), -1);
  // A pair with left time t is complete when its right row (time <= t + 10 min) came; with
  // right time t, when its left row (time <= t + 5 min) came.
  EXPECT_EQ(j.OutputDelay(0), 10 * kMinute);
  EXPECT_EQ(j.OutputDelay(1), 5 * kMinute);
  // Bounds entirely before: the partner is never later.
  const IntervalJoin before = AnalyzeJoin("FROM a, b WHERE b.b_ts BETWEEN a.a_ts - INTERVAL "
                                          "'2' MINUTE AND a.a_ts - INTERVAL '1' MINUTE");
  EXPECT_EQ(before.OutputDelay(0), 0);
  EXPECT_EQ(before.OutputDelay(1), 2 * kMinute);
}

TEST(IntervalJoinTest, RefusesUnboundedJoins) {
  auto expect_error = [](const std::string& from_where, const std::string& text) {
    std::string message = "no error";
    try {
      AnalyzeJoin(from_where);
    } catch (const UserError& e) {
      message = e.what();
    }
    EXPECT_NE(message.find(text), std::string::npos) << from_where << ": " << message;
  };
  expect_error("FROM a, b WHERE a.k = b.k AND b.b_ts >= a.a_ts",
               "bounds b.b_ts - a.a_ts from above too");
  expect_error("FROM a, b WHERE a.k = b.k", "from below and above");
  // An outer join's WHERE does not decide which rows match.
  expect_error("FROM a LEFT JOIN b ON a.k = b.k WHERE b.b_ts BETWEEN a.a_ts AND a.a_ts",
               "its ON bounds");
  expect_error("FROM a, b WHERE b.b_ts BETWEEN a.a_ts AND a.a_ts + INTERVAL '1' MONTH",
               "must not use months");
  expect_error("FROM a SEMI JOIN b ON a.a_ts = b.b_ts", "inner, LEFT, RIGHT or FULL");
}

}  // namespace
}  // namespace sluice::stream
